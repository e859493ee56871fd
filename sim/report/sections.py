"""The report's sections as blocks of plain text, tables and figures, for both writers.

HTML and Markdown render the same blocks, so they always say the same thing; every value
here is plain text (the writers escape it for their format).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.durations import format_duration, format_hm
from sim.report.model import Report
from sim.report.tables import (
    beliefs_table,
    calls_table,
    decisions_table,
    history_table,
    matrix_table,
    objectives_table,
    pairs_table,
    posture_table,
    summary_items,
)

#: A table cell: text, or (text, tone) where tone is `ok`, `bad` or `muted`.
Cell = str | tuple[str, str]


#: Pairs of actors listed before the rest are folded away: those with failed calls first.
PAIRS_SHOWN = 15
#: Most actors drawn in the who-reached-whom matrix; more would not fit across a page.
MATRIX_MAX = 14

@dataclass(frozen=True)
class Table:
    """Rows of cells under a header row."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    empty: str = "Nothing to show."
    """What to say instead of a table without rows."""
    fold_after: int | None = None
    """Show this many rows; fold the rest away (HTML: under a "more" line), None: show all."""
    kind: str = ""
    """A class for the HTML table's look, e.g. `matrix` (column heads written upwards)."""


@dataclass(frozen=True)
class Items:
    """Label–value pairs, such as the summary."""

    pairs: tuple[tuple[str, Cell], ...]


@dataclass(frozen=True)
class Figure:
    """A picture: `timeline`, `beliefs` or `posture`."""

    key: str
    caption: str


@dataclass(frozen=True)
class Text:
    """A paragraph; `tone` `warn` marks a warning."""

    text: str
    tone: str = ""


@dataclass(frozen=True)
class Bullets:
    """A list, numbered or not."""

    items: tuple[str, ...]
    ordered: bool = False


Block = Table | Items | Figure | Text | Bullets


@dataclass(frozen=True)
class Section:
    """A titled part of the report."""

    id: str
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


def played(report: Report) -> str:
    """How much was played, e.g. `6h played, to 15 Nov 20:40 UTC`."""
    return f"{format_duration(report.summary.played)} played, to {report.clock(report.summary.played)}"


def sections(report: Report) -> list[Section]:
    """Every section of the report, in reading order."""
    s = report.summary
    met = sum(1 for o in report.objectives if o.met)
    out = [Section("summary", "Summary", (
        *(Text(f"Warning: {w}", "warn") for w in s.warnings),
        *((Text(s.description),) if s.description else ()),
        Items(tuple(summary_items(report))),
    ))]
    objectives: tuple[Block, ...] = (
        Text(f"{met} of {len(report.objectives)} objectives met. {_times(report)}"),
        Table(*objectives_table(report), empty="The scenario sets no objectives."),
    ) if report.objectives else (Text("The scenario sets no objectives."),)
    out.append(Section("objectives", "Objectives", objectives))
    out.append(Section("timeline", "Timeline by actor", (Figure(
        "timeline", "One lane per actor. Lines between lanes are calls (solid: connected, with the "
        "call's length as a bar on both lanes; dashed with ✗: an attempt that failed) and messages "
        "(arrows; dotted with ✗: lost). Diamonds are public statements, green when true and red "
        "when false; bars with a level are posture moves; dots are players' decisions and the "
        "facilitator's notes. Hover over a mark for its details."), *_zoom(report))))
    failed = sum(1 for c in report.calls if c.failed)
    out.append(Section("contacts", "Who reached whom", (
        Text(f"{len(report.calls)} call attempts, {failed} failed. Contact means a connected call "
             "or a meeting both sat in; times are from the start of the scenario."),
        _matrix(report),
        Table(*pairs_table(report), empty="No pair of actors was in touch.",
              fold_after=PAIRS_SHOWN),
    )))
    out.append(Section("calls", "Call attempts", (
        Table(*calls_table(report), empty="Nobody placed a call."),)))
    truth = report.hypothesis(s.truth)
    out.append(Section("beliefs", "Beliefs against the ground truth", (
        Text(f"The ground truth: {truth.rstrip('.')}. Each panel shows how likely an actor held each answer "
             "to be; the bold line is the truth."),
        Figure("beliefs", f"Probability each actor gave the truth ({truth}) over time."),
        Table(*beliefs_table(report)),
    )))
    out.append(Section("posture", "Posture on the ladder", (
        Figure("posture", "Each actor's level on the escalation ladder over time, lowest rung "
               "lightest."),
        Table(*posture_table(report), empty="Nobody moved on the ladder."),
    )))
    out.append(Section("attribution", "First public claims", tuple(_attribution(report))))
    year = report.summary.history
    out.append(Section("history", f"Against {year}", (
        Text(f"Each metric of this session beside what happened in {year}, with the sources the "
             "scenario cites (confidence: C confirmed, R reported once, E estimate, X conflicting). "
             + _times(report)),
        Table(*history_table(report), empty="The scenario defines no metrics.", kind="sources"),
    )))
    out.append(Section("decisions", "Decisions and notes", (
        Table(*decisions_table(report), empty="No player acted and the facilitator took no notes."),
    )))
    discussion: Block = (Bullets(report.discussion, ordered=True) if report.discussion
                         else Text("The scenario lists no discussion questions."))
    out.append(Section("discussion", "Questions for the debrief", (discussion,)))
    return out


def _zoom(report: Report) -> tuple[Block, ...]:
    """The crowded opening of the timeline again, larger, when most happened early."""
    from sim.report.swimlane import dense_until

    until = dense_until(report)
    if until is None:
        return ()
    return (Figure("timeline-zoom", f"The first {format_hm(until)}, drawn larger: three quarters "
                   "of the calls, messages and marks fall in it."),)


def _matrix(report: Report) -> Block:
    """The who-reached-whom matrix, or, for more actors than fit across a page, a pointer."""
    headers, rows = matrix_table(report)
    if len(rows) > MATRIX_MAX:
        return Text(f"{len(rows)} actors were in touch: too many for a matrix across the page. "
                    "The list below gives every pair, those with failed calls first.")
    return Table(headers, rows, empty="Nobody called, wrote to or met anybody.", kind="matrix")


def _times(report: Report) -> str:
    """Where times count from, and what a missing time means."""
    s = report.summary
    out = f"Times count from the scenario's start ({report.clock(0)})"
    if s.stopped_early:
        return out + (f"; play stopped at +{format_hm(s.played)}, so what had not happened by "
                      "then reads \"not by\" that time.")
    return out + "."


def _attribution(report: Report) -> list[Block]:
    """The first public claims about the key question, then the scenario's own metrics on them.

    "Public claim" means one thing here: a statement on a public channel that gives an
    answer to the key question, right or wrong. The scenario's metrics on statements are
    listed by their own labels, found by their own rule, with the same times as the tables.
    """
    s = report.summary
    truth = report.hypothesis(s.truth)
    first, right = report.first_public, report.first_public_correct
    intro = Text("A public claim is a statement on a public channel that answers the key "
                 "question, rightly or wrongly. The scenario's metrics on statements follow, "
                 "with the same times as in the tables above and below.")
    not_yet = f"not by +{format_hm(s.played)}" if s.stopped_early else "never"
    if first is None:
        pairs: list[tuple[str, Cell]] = [("Ground truth", truth),
                                         ("First public claim", (not_yet, "bad"))]
    else:
        verdict = ("right" if first.correct else "wrong")
        pairs = [
            ("Ground truth", truth),
            ("First public claim", f"{report.hypothesis(first.hypothesis)} "
             f"({first.confidence:.0%} sure)"),
            ("By", f"{report.name(first.actor)} on {first.channel}"),
            ("At", f"{report.stamp(first.t)}; {report.local(first.actor, first.t)} on their clock"),
            ("Against the truth", (verdict, "ok" if first.correct else "bad")),
        ]
        if first.text:
            pairs.append(("Words", first.text))
        if right is None:
            pairs.append(("First true public claim", (not_yet, "bad")))
        elif right is not first:
            pairs.append(("First true public claim",
                          f"{report.name(right.actor)} at {report.stamp(right.t)}, "
                          f"{format_hm(right.t - first.t)} after the first"))
    for label, a in report.statement_metrics:
        pairs.append((label, (not_yet, "muted") if a is None else
                      f"{report.stamp(a.t)}: {report.name(a.actor)} on {a.channel}"
                      + (f" «{a.hypothesis} {a.confidence:.0%}»" if a.hypothesis else "")))
    return [intro, Items(tuple(pairs))]
