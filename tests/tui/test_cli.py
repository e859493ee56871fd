"""`hotline play` on the command line: registration, and every bad input as exit 2 with no traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from sim.engine.session import FACILITATOR
from sim.scenario import load_scenario
from tui.game import Game

from .helpers import PLAY


def _journal(tmp_path: Path, scenario_path: Path = PLAY) -> Path:
    path = tmp_path / "j.jsonl"
    game = Game.start(scenario_path, load_scenario(scenario_path), seat=FACILITATOR,
                      journal_path=path)
    game.session.next_turn()
    game.session.next_turn()
    game.close()
    return path


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(["play", *argv])
    return code, capsys.readouterr().err


def test_play_is_registered(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["play", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for flag in ("--pick", "--seat", "--seed", "--variant", "--set", "--journal", "--resume"):
        assert flag in out


@pytest.mark.parametrize(("argv", "message"), [
    (["--seat", "nobody"], "--seat nobody: not a playable actor of play; expected facilitator or "
                           "one of: pm, gen, ally, east"),
    (["--seat", "wire"], "not a playable actor"),
    (["--variant", "nope"], "unknown variant 'nope'"),
    (["--set", "east_answer"], "expected name=value"),
    (["--set", "east_answer=2"], "out of range"),
    (["--set", "nope=1"], "unknown parameter 'nope'"),
])
def test_bad_flags(capsys, argv, message):
    code, err = run(capsys, str(PLAY), *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_invalid_scenario(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(PLAY.read_text().replace("turn: 30m", "turn: soon"))
    code, err = run(capsys, str(bad))
    assert code == 2
    assert f"{bad}:" in err
    assert "turn" in err


def test_missing_scenario(capsys, tmp_path):
    code, err = run(capsys, str(tmp_path / "nothing.yaml"))
    assert code == 2
    assert "no such file" in err


def test_existing_journal_is_not_overwritten(capsys, tmp_path):
    path = _journal(tmp_path)
    before = path.read_bytes()
    code, err = run(capsys, str(PLAY), "--journal", str(path))
    assert code == 2
    assert "--resume" in err
    assert path.read_bytes() == before


def test_resume_takes_no_scenario(capsys, tmp_path):
    code, err = run(capsys, str(PLAY), "--resume", str(_journal(tmp_path)))
    assert code == 2
    assert "leave out SCENARIO" in err


def test_resume_with_another_seat(capsys, tmp_path):
    code, err = run(capsys, "--resume", str(_journal(tmp_path)), "--seat", "pm")
    assert code == 2
    assert "played from the seat 'facilitator'" in err


def test_missing_journal(capsys, tmp_path):
    code, err = run(capsys, "--resume", str(tmp_path / "none.jsonl"))
    assert code == 2
    assert "no such journal" in err


def test_damaged_journal(capsys, tmp_path):
    path = _journal(tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = "{garbage\n"
    path.write_text("".join(lines))
    code, err = run(capsys, "--resume", str(path))
    assert code == 2
    assert f"{path}:2: damaged journal line" in err


def test_journal_of_other_scenario_content(capsys, tmp_path):
    copy = tmp_path / "copy.yaml"
    shutil.copy(PLAY, copy)
    path = _journal(tmp_path, copy)
    copy.write_text(copy.read_text().replace("duration: 6h", "duration: 7h"))
    code, err = run(capsys, "--resume", str(path))
    assert code == 2
    assert "is not the content this journal was written with" in err


def test_not_a_journal(capsys, tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"hello": 1}\n')
    code, err = run(capsys, "--resume", str(path))
    assert code == 2
    assert "not a Hotline journal" in err


def test_bad_input_in_a_real_process_has_no_traceback(tmp_path):
    """The installed command, as a person runs it."""
    exe = Path(sys.executable).with_name("hotline")
    result = subprocess.run([str(exe), "play", str(PLAY), "--seat", "nobody"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("hotline play: error: --seat nobody")
    assert "Traceback" not in result.stderr


def test_stdin_not_a_terminal_is_refused_at_once(tmp_path):
    journal = tmp_path / "j.jsonl"
    done = subprocess.run([str(Path(sys.executable).with_name("hotline")), "play", str(PLAY),
                           "--journal", str(journal)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.startswith("hotline play: error: standard input is not a terminal"), done.stderr
    assert "hotline run SCENARIO" in done.stderr
    assert not journal.exists()


def test_resume_refuses_a_seed_and_a_bad_variant(capsys, tmp_path):
    path = _journal(tmp_path)
    before = path.read_bytes()
    code, err = run(capsys, "--resume", str(path), "--seed", "3")
    assert code == 2
    assert "--seed: a journal keeps the seed it was played with" in err
    code, err = run(capsys, "--resume", str(path), "--variant", "nope")
    assert code == 2
    assert "unknown variant 'nope'" in err
    code, err = run(capsys, "--resume", str(path), "--set", "east_answer=7")
    assert code == 2
    assert "out of range" in err
    assert path.read_bytes() == before


@pytest.mark.parametrize(("argv", "message"), [
    (["--rehearse", "--seed", "3"], "--rehearse chooses the seed; leave out --seed"),
    (["--require", "contact"], "--require names key events for --rehearse; add --rehearse"),
    (["--rehearse", "3", "--require", "nope"], "--require nope: not a metric of play"),
    (["--rehearse", "0"], "expected at least 1 candidate seed"),
])
def test_rehearse_flags_that_cannot_work(capsys, argv, message):
    code, err = run(capsys, str(PLAY), *argv)
    assert code == 2
    assert message in err


def test_rehearse_says_which_seed_and_why_and_plays_it(tmp_path):
    from sim.engine.journal import read_journal

    from .test_pty import Terminal

    journal = tmp_path / "r.jsonl"
    term = Terminal("play", str(PLAY), "--rehearse", "6", "--require", "wire:statement",
                    "--seat", "facilitator", "--journal", str(journal), size=(120, 36))
    try:
        mark = term.wait_for("of 6 tried, is the closest to the 2022 record")
        term.wait_for("Rehearsal", after=mark)  # told on screen too
        term.send("\x11")  # ctrl+q
        assert term.process.wait(timeout=20) == 0
        said = term.text
    finally:
        term.close()
    seed = read_journal(journal).header["seed"]
    assert f"rehearsal: seed {seed}, of 6 tried" in said
    assert "key events that happen in it: wire:statement" in said
