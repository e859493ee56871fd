#!/usr/bin/env sh
# Set up a virtual environment with the project and its test extra, then lint and test.
# Usage: scripts/test.sh [pytest args...]
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
.venv/bin/ruff check sim tui tests benchmarks scenarios
.venv/bin/python -m pytest -q "$@"
