#!/usr/bin/env sh
# Set up a virtual environment with the project, then play the Przewodów 2022 scenario.
# Usage: scripts/play.sh [hotline play arguments...]
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
if .venv/bin/hotline play --help >/dev/null 2>&1; then
    exec .venv/bin/hotline play "$@"
fi
# Until the terminal UI lands, the main job is the headless run of the scenario.
exec .venv/bin/hotline run scenarios/poland-2022.yaml "$@"
