#!/usr/bin/env sh
# Mutation testing of the pure core (the modules in [tool.mutmut] of pyproject.toml), then the
# score per module. Slow (tens of minutes on two cores): not part of CI. Running it again
# continues where it stopped and re-tests only what changed; `rm -rf mutants` starts afresh.
# Usage: scripts/mutation.sh [MUTANT-GLOB...], e.g. scripts/mutation.sh 'sim.engine.policy*'
# for one module (mutants not yet checked are left out of the score).
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test,mutation]'
.venv/bin/mutmut run "$@"
.venv/bin/mutmut results --all true | .venv/bin/python benchmarks/mutation_score.py
