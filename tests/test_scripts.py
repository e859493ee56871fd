"""`scripts/play.sh` on a stand-in checkout: it installs only when pyproject.toml changed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script")

#: A stand-in for the venv's python: logs pip installs, runs anything else for real.
FAKE_PYTHON = f"""#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
    echo pip >> "$(dirname "$0")/../calls.log"
    printf '#!/bin/sh\\necho "hotline $*"\\n' > "$(dirname "$0")/hotline"
    chmod +x "$(dirname "$0")/hotline"
    exit 0
fi
exec {sys.executable} "$@"
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "play.sh", tmp_path / "scripts" / "play.sh")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    bin_ = tmp_path / ".venv" / "bin"
    bin_.mkdir(parents=True)
    (bin_ / "python").write_text(FAKE_PYTHON, encoding="utf-8")
    (bin_ / "python").chmod(0o755)
    return tmp_path


def _play(checkout: Path, *args: str) -> str:
    done = subprocess.run(["sh", str(checkout / "scripts" / "play.sh"), *args],
                          capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def _installs(checkout: Path) -> int:
    log = checkout / ".venv" / "calls.log"
    return len(log.read_text().split()) if log.exists() else 0


def test_play_installs_once_then_only_when_pyproject_changes(checkout: Path) -> None:
    assert _play(checkout, "--seat", "us-cjcs") == "hotline play --seat us-cjcs\n"
    assert _installs(checkout) == 1
    assert _play(checkout) == "hotline play\n"
    assert _installs(checkout) == 1  # up to date: straight to the app
    with (checkout / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write("version = '2'\n")
    _play(checkout)
    assert _installs(checkout) == 2
    (checkout / ".venv" / "bin" / "hotline").unlink()  # a broken venv installs again
    _play(checkout)
    assert _installs(checkout) == 3
