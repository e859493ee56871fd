"""What a summary becomes: tables, Markdown, plots, the progress bar, the in-terminal chart."""

from __future__ import annotations

import io

import pytest

from sim.whatif.plan import SweepSpec
from sim.whatif.progress import ProgressBar
from sim.whatif.runner import Arm, Options, compare, sweep
from sim.whatif.tables import (
    histogram_text,
    render_markdown,
    render_text,
    show_time,
    summary_tables,
)


@pytest.fixture(scope="module")
def swept(tiny):
    return sweep(tiny, SweepSpec(grid={"answer_p": ["0.2", "0.9"]}, reps=40), Options(workers=1))


def test_tables_have_one_row_per_point(swept):
    tables = summary_tables(swept)
    contact = tables[0]
    assert contact.title == "A reaches B (contact)"
    assert contact.headers == ("point", "n", "happened", "mean", "95% CI", "sd", "p10", "median",
                               "p90")
    assert [row[0] for row in contact.rows] == ["answer_p=0.2", "answer_p=0.9"]
    alert = next(t for t in tables if t.title.startswith("Alert reached"))
    assert alert.headers == ("point", "n", "chance", "95% CI")
    text = render_text(tables, "head")
    assert text.startswith("head\n\nA reaches B (contact)")
    md = render_markdown(tables, "title\nsecond line")
    assert md.startswith("# title\nsecond line\n\n## A reaches B (contact)")


def test_show_time():
    assert show_time(42.46) == "42.5m"
    assert show_time(187.2) == "3h07.2m"
    assert show_time(None) == "never"
    assert show_time(float("inf")) == "never"


def test_histogram_text():
    assert histogram_text([1, 1, 1, 2], bins=2) == "█▃"
    assert histogram_text([float("inf")]) == ""


def test_plots_of_a_sweep_and_a_comparison(swept, tiny, tmp_path):
    from sim.whatif.plots import write_plots

    files = write_plots(swept, tmp_path / "sweep")
    names = {f.name for f in files}
    assert {"dist-contact.png", "dist-contact.svg", "contact-vs-answer_p.svg",
            "alert-vs-answer_p.png"} <= names
    assert all(f.stat().st_size > 1000 for f in files)
    assert (tmp_path / "sweep" / "dist-failed.png").read_bytes().startswith(b"\x89PNG")
    pair = compare(tiny, Arm("A", overrides={"answer_p": "0.4"}),
                   Arm("B", overrides={"answer_p": "0.8"}), reps=30, options=Options(workers=1))
    files = write_plots(pair, tmp_path / "pair")
    assert "diff.svg" in {f.name for f in files}
    assert not any("-vs-" in f.name for f in files)


def test_progress_bar_lines():
    stream = io.StringIO()
    bar = ProgressBar(stream, interval=0)
    bar(50, 200)
    bar(200, 200)
    bar.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # not a terminal: one line per update, no carriage returns
    assert "50/200 runs  25%" in lines[0]
    assert "/s  ETA" in lines[0]
    assert "200/200 runs 100%" in lines[1]
    assert "ETA 0m" in lines[1]


def test_progress_bar_redraws_in_place_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    bar = ProgressBar(stream, interval=0)
    bar(1, 4)
    bar(4, 4)
    bar.close()
    assert stream.getvalue().count("\r") == 2
    assert stream.getvalue().endswith("\n")


def test_plots_read_in_hours_with_the_2022_line_and_whole_titles(swept):
    from sim.whatif import plots

    plt = plots._pyplot()
    contact = next(i for i, m in enumerate(swept.layout.metrics) if m.id == "contact")
    info = swept.layout.metrics[contact]
    fig = plots._distribution(plt, swept, contact, info)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "hours from the scenario's start (15 Nov 12:00 UTC)"
    assert "2022" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert 0.5 in [line.get_xdata()[0] for line in ax.get_lines()]  # tiny's 2022 value: 30m
    assert max(x for line in ax.get_lines() for x in line.get_xdata()) < 5  # hours, not minutes
    assert all(len(row) <= plots.TITLE_WIDTH for row in ax.get_title().splitlines())
    assert "\n" in ax.get_title()  # the long title wraps instead of running off
    plt.close(fig)
    fig = plots._against(plt, swept, contact, info, "answer_p")
    mean = fig.axes[-1]
    assert [line.get_ydata()[0] for line in mean.get_lines() if line.get_label() == "2022"] == [0.5]
    plt.close(fig)
