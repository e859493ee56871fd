"""The `hotline` command as a user runs it: exit codes, exact messages, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sim import __version__, cli

ROOT = Path(__file__).resolve().parents[1]
TINY = "tests/data/scenarios/tiny.yaml"
BAD = "tests/data/bad"
LINE = re.compile(r"^(?P<file>[^:]+)(:(?P<line>\d+):(?P<col>\d+))?: error: (?P<rest>.+)$")


def hotline(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m sim.cli ARGS` from the project root."""
    return subprocess.run([sys.executable, "-m", "sim.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=False)


def test_version() -> None:
    done = hotline("--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"hotline {__version__}\n", "")


@pytest.mark.parametrize("command", ["validate", "schema", "run"])
def test_help_of_every_subcommand(command: str) -> None:
    done = hotline(command, "--help")
    assert done.returncode == 0
    assert done.stdout.startswith(f"usage: hotline {command} [-h]")
    assert done.stderr == ""


def test_help_lists_the_subcommands_and_exit_codes() -> None:
    done = hotline("--help")
    assert done.returncode == 0
    for command in ("validate", "schema", "run"):
        assert re.search(rf"^    {command}\s", done.stdout, re.MULTILINE)
    assert "Exit status: 0 success, 1 internal failure, 2 invalid scenario or bad" in done.stdout


def test_validate_ok() -> None:
    done = hotline("validate", TINY)
    assert done.returncode == 0
    assert done.stdout == (f"{TINY}: ok: tiny — 3 actors, 2 channels, 1 injects, 4 rules, 4 metrics\n")
    assert done.stderr == ""


def test_validate_invalid_prints_every_diagnostic_to_stderr() -> None:
    done = hotline("validate", f"{BAD}/variant_parameters.yaml")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        f"{BAD}/variant_parameters.yaml:12:16: error: variants.typo.set.answer_pp: unknown parameter "
        "'answer_pp' (did you mean 'answer_p'?); expected one of: answer_p, setup_t\n"
        f"{BAD}/variant_parameters.yaml:13:25: error: variants.slow.set.setup_t: 20m is out of range; "
        "expected 0m to 10m\n"
    )


def test_validate_several_files_reports_each_and_fails_if_any_fails() -> None:
    done = hotline("validate", TINY, f"{BAD}/bad_duration.yaml")
    assert done.returncode == 2
    assert done.stdout.startswith(f"{TINY}: ok: tiny")
    assert done.stderr == (f"{BAD}/bad_duration.yaml:6:11: error: duration: '5 minutes' is not a "
                           "duration; expected a duration like 90s, 20m, 2h or 1d 6h\n")


def test_every_bad_file_fails_cleanly() -> None:
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / BAD).glob("*.yaml"))
    done = hotline("validate", *files)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    named = set()
    for line in done.stderr.splitlines():
        match = LINE.match(line)
        assert match, line
        assert "Input should be" not in line
        named.add(match["file"])
    assert named == set(files)


def test_validate_json() -> None:
    done = hotline("validate", "--json", TINY, f"{BAD}/unknown_reference.yaml")
    assert done.returncode == 2
    assert done.stderr == ""
    report = json.loads(done.stdout)
    assert report[0] == {"file": TINY, "valid": True, "diagnostics": []}
    assert report[1]["file"] == f"{BAD}/unknown_reference.yaml"
    assert report[1]["valid"] is False
    assert report[1]["truncated"] == 0
    assert report[1]["diagnostics"][0] == {
        "file": f"{BAD}/unknown_reference.yaml", "line": 23, "column": 12, "path": "rules[0].actor",
        "message": "unknown actor 'wier' (did you mean 'wire'?); expected one of: a, b, wire",
        "severity": "error",
    }
    assert [d["path"] for d in report[1]["diagnostics"]] == ["rules[0].actor", "rules[0].do.call.channel"]


def test_validate_missing_file() -> None:
    done = hotline("validate", "no/such.yaml")
    assert done.returncode == 2
    assert done.stderr == "no/such.yaml: error: no such file; expected the path of a scenario .yaml file\n"


def test_validate_directory() -> None:
    done = hotline("validate", BAD)
    assert done.returncode == 2
    assert done.stderr == f"{BAD}: error: is a directory; expected a scenario .yaml file\n"


def test_validate_max_bytes() -> None:
    size = (ROOT / BAD / "bad_duration.yaml").stat().st_size
    done = hotline("validate", "--max-bytes", "100", f"{BAD}/bad_duration.yaml")
    assert done.returncode == 2
    assert done.stderr == (f"{BAD}/bad_duration.yaml: error: file is {size} bytes, over the limit of "
                           "100; raise the limit with --max-bytes if the file is trusted\n")


@pytest.mark.parametrize("command", [["validate"], ["run"], ["params"], ["sweep"], ["calibrate"],
                                     ["sensitivity", "--metric", "contact"],
                                     ["budget", "--metric", "contact"]])
def test_every_command_that_reads_a_scenario_takes_max_values(command: list[str]) -> None:
    # the tiny scenario holds a few hundred values: 50 is too few, and the error says how past
    done = hotline(*command, "--max-values", "50", TINY)
    assert done.returncode == 2, done.stderr
    assert done.stderr.endswith("more than 50 values in the document; expected a scenario of a "
                                "size people write; raise the limit with --max-values if the "
                                "file is trusted\n")
    assert "Traceback" not in done.stderr


def test_max_values_lets_a_trusted_larger_file_load(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    text = (ROOT / TINY).read_text(encoding="utf-8")
    big.write_text(text + "x-padding: [" + ", ".join(["0"] * 3000) + "]\n", encoding="utf-8")
    assert hotline("validate", "--max-values", "2000", str(big)).returncode == 2
    done = hotline("validate", "--max-values", "5000", str(big))
    assert "more than" not in done.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["validate", "--max-values", "0", TINY],
     "hotline validate: error: argument --max-values: 0 is too small; expected at least 1 value"),
    (["run", "--max-values", "many", TINY],
     "hotline run: error: argument --max-values: 'many' is not a number of values; expected e.g. "
     "1000000"),
    (["validate", "--bogus", TINY], "hotline: error: unrecognized arguments: --bogus"),
    (["validate"], "hotline validate: error: the following arguments are required: FILE"),
    (["frobnicate"], "hotline: error: argument COMMAND: invalid choice: 'frobnicate'"),
    (["validate", "--max-bytes", "0", TINY],
     "hotline validate: error: argument --max-bytes: 0 is too small; expected at least 1 byte"),
    (["validate", "--max-bytes", "lots", TINY],
     "hotline validate: error: argument --max-bytes: 'lots' is not a number of bytes; expected e.g. 1048576"),
])
def test_bad_arguments_exit_2_with_usage(args: list[str], message: str) -> None:
    done = hotline(*args)
    assert done.returncode == 2
    assert done.stderr.startswith("usage: hotline")
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_schema_prints_the_json_schema() -> None:
    """The printed schema is the committed one editors use, and it describes the language."""
    done = hotline("schema")
    assert done.returncode == 0
    assert done.stdout == (ROOT / "scenarios/hotline.schema.json").read_text(encoding="utf-8")
    schema = json.loads(done.stdout)
    assert schema["title"] == "Hotline scenario"
    assert sorted(schema["properties"]) == [
        "actors", "channels", "confidence", "default_variant", "discussion", "duration",
        "evidence", "hotline", "id", "injects", "ladder", "metrics", "note", "objectives",
        "observation", "parameters", "pause_on", "question", "questions", "record_label", "rules",
        "source", "sources", "sourcing", "start", "summary", "timezone", "title", "turn", "variants"]
    call = schema["$defs"]["CallChannel"]["properties"]
    assert sorted(call) == ["accept_request", "answer", "capacity", "confidence", "description",
                            "down", "duration", "ends", "id", "kind", "name", "note", "retry",
                            "ring_timeout", "setup", "source", "turns", "up"]
    assert call["capacity"]["deprecated"] is True  # retired: editors strike it through
    response = schema["$defs"]["Actor"]["properties"]["response"]
    assert response["propertyNames"] == {"enum": ["call", "message", "broadcast", "meeting"]}


def test_schema_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "hotline.schema.json"
    done = hotline("schema", "-o", str(out))
    assert (done.returncode, done.stdout) == (0, "")
    assert out.read_text(encoding="utf-8") == hotline("schema").stdout


def test_an_internal_error_exits_1_without_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    def broken(args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "cmd_schema", broken)
    assert cli.main(["schema"]) == 1
    assert capsys.readouterr().err == ("hotline: internal error: RuntimeError: boom\n"
                                       "rerun with --debug for the traceback, and please report it\n")
    with pytest.raises(RuntimeError, match=r"^boom$"):
        cli.main(["--debug", "schema"])


def test_a_retired_setting_is_one_warning_line_and_the_file_still_validates(tmp_path: Path) -> None:
    """Rule: a retired setting warns once per file, in the FILE:LINE:COL form, and exit stays 0."""
    text = (ROOT / TINY).read_text(encoding="utf-8")
    old = tmp_path / "old.yaml"
    old.write_text(text.replace("    kind: call\n", "    kind: call\n    capacity: 3\n"), encoding="utf-8")
    done = hotline("validate", str(old))
    assert done.returncode == 0
    assert done.stdout.startswith(f"{old}: ok: ")
    assert done.stderr == (f"{old}:44:5: warning: channels[0].capacity: 'capacity' is ignored: a call "
                           "line links two actors who are both busy while they talk, so it never "
                           "carries more than one call at a time; remove it\n")


def test_params_lists_parameters_and_variants() -> None:
    done = hotline("params", "tests/data/scenarios/play.yaml")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Border incident (UI test)",
        "",
        "Parameters (--set NAME=VALUE, --grid NAME=V1,V2):",
        "  name         type         default  allowed  unit",
        "  east_answer  probability  0.0      0 to 1",
        "      chance the east picks up",
        "",
        "Variants (--variant NAME):",
        "  base (default): sets nothing: the defaults",
        "  line-works: sets east_answer=1",
        "      the hotline is answered",
    ]
    data = json.loads(hotline("params", "tests/data/scenarios/play.yaml", "--json").stdout)
    assert data["parameters"][0] == {"name": "east_answer", "type": "probability",
                                     "default": "0.0", "allowed": "0 to 1", "unit": "",
                                     "description": "chance the east picks up"}
    assert [v["name"] for v in data["variants"]] == ["base", "line-works"]


def test_params_of_a_missing_file_exits_2() -> None:
    done = hotline("params", "nothing.yaml")
    assert done.returncode == 2
    assert "no such file" in done.stderr
    assert "Traceback" not in done.stderr


def test_bare_hotline_prints_help() -> None:
    done = hotline()
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: hotline")
    for command in ("play", "run", "params", "sweep", "compare", "sensitivity", "budget", "report",
                    "validate"):
        assert command in done.stdout
    assert done.stderr == ""


def test_the_flags_defaults_are_the_loaders() -> None:
    from sim.loadflags import DEFAULT_BYTES, DEFAULT_VALUES
    from sim.scenario import LoadLimits

    assert (LoadLimits().max_bytes, LoadLimits().max_nodes) == (DEFAULT_BYTES, DEFAULT_VALUES)
