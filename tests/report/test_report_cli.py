"""`hotline report` and `hotline run --save` as subprocesses: files written, bad input refused."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sim.engine.session import content_hash

from .helpers import DRILL, hotline

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d4944415478da63f8ffff3f0005fe02fea7d6a4a50000000049454e44ae426082")


def refused(done, *needles: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stderr.startswith("hotline report: error: "), done.stderr
    assert "Traceback" not in done.stderr
    for needle in needles:
        assert needle in done.stderr, done.stderr


def test_report_of_a_journal_goes_to_a_folder_by_default(drill_journal: Path, tmp_path: Path) -> None:
    done = hotline("report", drill_journal, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "report-drill"
    assert done.stdout.split() == [str(Path("report-drill") / name) for name in (
        "report.html", "report.md", "report-timeline.svg", "report-beliefs.svg", "report-posture.svg")]
    assert "<h2>Who reached whom</h2>" in (folder / "report.html").read_text(encoding="utf-8")
    assert (folder / "report.md").read_text(encoding="utf-8").startswith("# After-action report: ")
    assert done.stderr == ""


def test_html_and_markdown_where_asked(drill_journal: Path, tmp_path: Path) -> None:
    done = hotline("report", drill_journal, "--html", tmp_path / "a" / "x.html")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["x.html"]
    done = hotline("report", drill_journal, "--md", tmp_path / "b" / "aar.md", "--out", tmp_path / "c")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [
        "aar-beliefs.svg", "aar-posture.svg", "aar-timeline.svg", "aar.md"]
    assert not (tmp_path / "c").exists()


def test_a_saved_run_replays_to_the_log_of_the_run(tmp_path: Path) -> None:
    run = hotline("run", DRILL, "--seed", "5", "--json", "--save", tmp_path / "run.journal")
    assert run.returncode == 0, run.stderr
    lines = (tmp_path / "run.journal").read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert (header["format"], header["seed"], header["scenario_id"]) == ("hotline-journal", 5, "drill")
    assert [json.loads(line) for line in lines[1:]] == [{"op": "advance", "until": 360.0}]
    from sim.engine.journal import open_session, read_journal

    session = open_session(read_journal(tmp_path / "run.journal"))
    assert "".join(r.dumps() + "\n" for r in session.log) == run.stdout
    assert hotline("run", DRILL, "--seed", "5", "--json").stdout == run.stdout  # saving changes nothing
    done = hotline("report", tmp_path / "run.journal", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "- Source: saved run: " in md
    assert "- Seed: 5" in md
    assert "- Seats: none: every actor automated" in md


def test_a_saved_run_goes_on_through_pauses(tmp_path: Path) -> None:
    scenario = tmp_path / "paused.yaml"
    scenario.write_text(DRILL.read_text(encoding="utf-8").replace(
        "    at: 10m\n", "    at: 10m\n    pause: true\n", 1), encoding="utf-8")
    run = hotline("run", scenario, "--json", "--save", tmp_path / "p.journal")
    assert run.returncode == 0, run.stderr
    assert '"kind":"pause"' in run.stdout
    assert '"t":180.0' in run.stdout
    from sim.engine.journal import open_session, read_journal

    session = open_session(read_journal(tmp_path / "p.journal"))
    assert "".join(r.dumps() + "\n" for r in session.log) == run.stdout


def test_save_refuses_replications() -> None:
    done = hotline("run", DRILL, "--reps", "2", "--save", "x.journal")
    assert done.returncode == 2
    assert "--save keeps one run" in done.stderr


def test_run_json_lines_with_their_scenario(tmp_path: Path) -> None:
    run = hotline("run", DRILL, "--json", "--seed", "3")
    log = tmp_path / "run.jsonl"
    log.write_text(run.stdout, encoding="utf-8")
    refused(hotline("report", log), "does not name its scenario", "--scenario FILE")
    done = hotline("report", log, "--scenario", DRILL, "--seed", "3", "--md", tmp_path / "r.md")
    assert done.returncode == 0, done.stderr
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "- Source: run log: " in md
    assert "- Seed: 3" in md
    assert re.search(r"\| US Chairman – Russian Chief of Staff +\| 19m +\| never", md)


def test_run_json_lines_against_another_scenario_are_refused(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    log.write_text(hotline("run", DRILL, "--json").stdout, encoding="utf-8")
    refused(hotline("report", log, "--scenario", "tests/data/scenarios/tiny.yaml"),
            "is not in scenario 'tiny'")


def test_run_json_lines_cut_short_still_report_with_a_warning(tmp_path: Path) -> None:
    text = hotline("run", DRILL, "--json").stdout
    log = tmp_path / "cut.jsonl"
    log.write_text(text[: len(text) - 20], encoding="utf-8")
    done = hotline("report", log, "--scenario", DRILL, "--html", tmp_path / "r.html")
    assert done.returncode == 0, done.stderr
    assert "warning:" in done.stderr
    assert "cut short" in done.stderr


def test_a_journal_cut_mid_line_still_reports_with_a_warning(drill_journal: Path, tmp_path: Path) -> None:
    data = drill_journal.read_bytes()
    cut = tmp_path / "cut.journal"
    cut.write_bytes(data[: len(data) - 15])  # the last `advance`, half written
    done = hotline("report", cut, "--md", tmp_path / "r.md")
    assert done.returncode == 0, done.stderr
    assert re.search(r"hotline report: warning: .*cut\.journal:\d+: the last line was cut short",
                     done.stderr)
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "**Warning: " in md
    assert "cut short" in md
    assert "- Played: 2h 30m of 6h scenario time" in md  # up to the last whole operation


@pytest.mark.parametrize(("content", "needles"), [
    (None, ["no such file"]),
    (b"", ["the file is empty"]),
    (b"\n  \n", ["the file is empty"]),
    (PNG, ["not a Hotline journal or run log", "binary"]),
    (b'{"name": "something else", "items": [1, 2]}\n', ["neither a Hotline journal", "expected"]),
    (b'{\n  "format": "hotline-journal"\n}\n', ["first line is not JSON"]),
    (b'[1, 2, 3]\n', ["neither a Hotline journal"]),
    (b'{"format": "geojson"}\n', ["format 'geojson'"]),
    (b"hello, world\n", ["first line is not JSON"]),
])
def test_foreign_missing_and_empty_files_are_refused(tmp_path: Path, content, needles) -> None:
    path = tmp_path / "source.journal"
    if content is not None:
        path.write_bytes(content)
    refused(hotline("report", path, "--out", tmp_path / "out"), *needles)
    assert not (tmp_path / "out").exists()


def test_a_directory_is_refused(tmp_path: Path) -> None:
    refused(hotline("report", tmp_path), "is a directory")


def test_a_journal_damaged_before_its_last_line_is_refused(drill_journal: Path, tmp_path: Path) -> None:
    lines = drill_journal.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3][:20] + "\n"
    bad = tmp_path / "bad.journal"
    bad.write_text("".join(lines), encoding="utf-8")
    refused(hotline("report", bad), f"{bad}:4: damaged journal line")


def test_a_journal_of_other_scenario_content_is_refused(drill_journal: Path, tmp_path: Path) -> None:
    changed = tmp_path / "drill.yaml"
    changed.write_text(DRILL.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    refused(hotline("report", drill_journal, "--scenario", changed), "hash differs")


def test_a_journal_whose_scenario_is_gone_says_how_to_name_it(drill_journal: Path, tmp_path: Path) -> None:
    lines = drill_journal.read_text(encoding="utf-8").splitlines(keepends=True)
    header = json.loads(lines[0])
    header["scenario"] = "/nowhere/drill-gone.yaml"
    moved = tmp_path / "moved.journal"
    moved.write_text(json.dumps(header) + "\n" + "".join(lines[1:]), encoding="utf-8")
    refused(hotline("report", moved), "cannot be read", "--scenario FILE")


def test_a_damaged_record_in_run_json_lines_is_refused(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    log.write_text('{"t": 1.0, "kind": "inject"}\n{"t": "soon", "kind": "inject"}\n{"t": 2, '
                   '"kind": "inject"}\n', encoding="utf-8")
    refused(hotline("report", log, "--scenario", DRILL), f"{log}:2: damaged record")


def test_an_unwritable_destination_is_refused(drill_journal: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    refused(hotline("report", drill_journal, "--html", blocker / "r.html"),
            "cannot be written: Not a directory")


HASH = content_hash(DRILL.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("header", "ops", "needle"), [
    ({}, [], "bad.journal:1: damaged journal header: the header has no 'seed'; expected a whole number"),
    ({"seed": 1, "variant": "nope"}, [], "unknown variant 'nope'"),
    ({"seed": 1, "seats": ["zz"]}, [], "'zz' is not a playable actor"),
    ({"seed": 1}, [{"op": "advance", "until": "soon"}], "damaged journal"),
    ({"seed": 1}, [{"op": "act", "t": 1, "action": {"actor": "zz", "do": {"convene": "nac"}}}],
     "does not replay"),
    ({"seed": 1, "version": 2}, [], "journal version 2"),
])
def test_a_journal_with_a_bad_header_or_operation_is_refused(tmp_path: Path, header, ops, needle) -> None:
    full = {"format": "hotline-journal", "version": 1, "scenario": str(DRILL), "scenario_hash": HASH,
            **header}
    bad = tmp_path / "bad.journal"
    bad.write_text("".join(json.dumps(x) + "\n" for x in [full, *ops]), encoding="utf-8")
    refused(hotline("report", bad), needle)


def test_a_session_stopped_early_says_not_by_rather_than_never(tmp_path: Path) -> None:
    from sim.engine.journal import Journal
    from sim.engine.session import Session
    from sim.scenario import load_scenario

    session = Session(load_scenario(DRILL), seed=7)
    journal = Journal.create(tmp_path / "short.jsonl", session, DRILL,
                             DRILL.read_text(encoding="utf-8"))
    session.advance(60)
    journal.close()
    done = hotline("report", tmp_path / "short.jsonl", "--md", tmp_path / "aar.md")
    assert done.returncode == 0, done.stderr
    md = (tmp_path / "aar.md").read_text(encoding="utf-8")
    assert re.search(r"\| US reaches the Russian staff +\| not by \+1h00m \| never +\|", md), md
    assert ("Times count from the scenario's start (15 Nov 14:40 UTC); play stopped at +1h00m"
            in md)
    # Moscow not reached in the hour played: "within 2 hours" is still open, not missed
    assert re.search(r"\| Reach Moscow within 2 hours +\|.*\| open: play stopped before its "
                     r"deadline +\|", md), md
    assert "still open" in md
