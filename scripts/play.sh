#!/usr/bin/env sh
# Set up a virtual environment with the project, then play the Przewodów 2022 scenario.
# Usage: scripts/play.sh [hotline play arguments...]
#
# The install runs only when pyproject.toml changed since the last one (a stamp in .venv
# holds its hash), so a relaunch reaches the first screen in about a second. The project is
# installed editable: source changes need no reinstall.
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
STAMP=.venv/.hotline-pyproject.sha256
WANT=$(.venv/bin/python -c 'import hashlib,sys; print(hashlib.sha256(open("pyproject.toml","rb").read()).hexdigest())')
if [ ! -x .venv/bin/hotline ] || [ "$(cat "$STAMP" 2>/dev/null || true)" != "$WANT" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
    printf '%s\n' "$WANT" > "$STAMP"
fi
exec .venv/bin/hotline play "$@"
