"""The HTML report in a real browser: no request elsewhere, no console error, not blank, both looks.

Skipped where no Chromium is installed, except under CI (`CI` set), where a missing browser
fails them: `.ci/run` installs Chromium first and must not go green without these checks.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from .chromium import Page, find_chromium, png_pixels

CHROMIUM = find_chromium()
UNDER_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")

WHITE, DARK = (255, 255, 255), (0x14, 0x18, 0x1D)
"""The page's background in the light and the dark look."""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Page:
    if CHROMIUM is None:
        if UNDER_CI:
            pytest.fail("Chromium is not installed, and under CI the report's browser checks may "
                        "not be skipped; install it (apt-get install chromium) or unset CI",
                        pytrace=False)
        pytest.skip("Chromium is not installed")
    with Page(CHROMIUM, tmp_path_factory.mktemp("chromium")) as page:
        yield page


def colours(png: bytes) -> tuple[Counter[bytes], int]:
    """How often each colour appears (every 2nd pixel of every 2nd row), and how many were seen."""
    width, height, rows = png_pixels(png)
    assert (width, height) == (1280, 2000)
    seen: Counter[bytes] = Counter()
    for row in rows[::2]:
        for i in range(0, len(row), 6):
            seen[row[i:i + 3]] += 1
    return seen, sum(seen.values())


def test_the_page_asks_for_nothing_else_and_logs_no_error(browser: Page, drill_files, tmp_path) -> None:
    url = drill_files["html"].as_uri()
    browser.events.clear()
    browser.open(url)
    assert browser.requests() == [url]
    assert browser.problems() == []
    assert browser.evaluate("document.querySelectorAll('svg.hl').length") == 3
    assert browser.evaluate("document.documentElement.scrollWidth <= innerWidth")  # fits a laptop


def test_light_look_is_drawn_on_white_and_not_blank(browser: Page, drill_files, tmp_path) -> None:
    browser.open(drill_files["html"].as_uri())
    seen, total = colours(browser.screenshot(tmp_path / "light.png"))
    background, count = seen.most_common(1)[0]
    assert tuple(background) == WHITE
    assert 1 - count / total > 0.05  # text, tables and pictures cover a good part of the page
    assert len(seen) > 100  # text, lines and coloured marks, not a flat page


def test_dark_look_is_drawn_on_dark(browser: Page, drill_files, tmp_path) -> None:
    browser.open(drill_files["html"].as_uri(), dark=True)
    seen, total = colours(browser.screenshot(tmp_path / "dark.png"))
    background, count = seen.most_common(1)[0]
    assert tuple(background) == DARK
    assert 1 - count / total > 0.05
    assert browser.problems() == []


def test_printed_it_is_on_white_even_in_the_dark_look(browser: Page, drill_files, tmp_path) -> None:
    browser.open(drill_files["html"].as_uri(), dark=True, media="print")
    seen, _ = colours(browser.screenshot(tmp_path / "print.png"))
    assert tuple(seen.most_common(1)[0][0]) == WHITE
    assert browser.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
    pdf = browser.pdf()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 20_000


def test_the_harness_does_see_requests_and_console_errors(browser: Page, tmp_path: Path) -> None:
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><title>x</title><img src="https://example.org/x.png">'
                    '<script>console.error("boom")</script>', encoding="utf-8")
    browser.events.clear()
    browser.open(page.as_uri())
    assert "https://example.org/x.png" in browser.requests()
    assert "console: boom" in browser.problems()


@pytest.fixture(scope="module")
def poland_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sim.catalog import default_scenario
    from sim.engine.session import Session
    from sim.report.build import build_report, write_html
    from sim.scenario import load_scenario

    scenario = load_scenario(default_scenario())
    session = Session(scenario, seed=1)
    while not session.finished:
        session.advance(scenario.duration)
    return write_html(build_report(session), tmp_path_factory.mktemp("poland") / "report.html")


def test_the_poland_report_fits_and_reads_whole(browser: Page, poland_html: Path) -> None:
    browser.events.clear()
    browser.open(poland_html.as_uri())
    assert browser.problems() == []
    # nothing pushes the page sideways: the 32-actor matrix and long source URLs stay inside
    assert browser.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert browser.evaluate("[...document.querySelectorAll('.table')].every("
                            "t => t.scrollWidth <= t.clientWidth + 1 || t.querySelector('.matrix'))")
    # actor names in the pictures are whole, or cut between words with an ellipsis
    names = browser.evaluate("[...document.querySelectorAll('svg.hl text[font-weight=\"600\"]')]"
                             ".map(t => [...t.childNodes].filter(n => n.nodeType === 3)"
                             ".map(n => n.textContent).join(''))")
    assert "Senior US intelligence" in names  # two lines in the beliefs panel
    assert "Senior US intelligence…" in names  # cut between words elsewhere
    assert not [n for n in names if n.endswith(("officia", "offi…", "heightenec"))]
    # a posture drawn in a strip fits inside it
    assert browser.evaluate("""[...document.querySelectorAll('svg.hl text[font-size="10"]')]
        .filter(t => t.previousElementSibling && t.previousElementSibling.tagName === 'rect')
        .every(t => t.getBBox().x + t.getBBox().width <=
                    t.previousElementSibling.getBBox().x + t.previousElementSibling.getBBox().width)""")
    # the two legend lines of the beliefs picture do not overprint
    assert browser.evaluate("""(() => { const t = [...document.querySelectorAll('svg.hl text')]
        .filter(e => e.textContent.startsWith('probability of the truth')
                  || e.textContent.startsWith('other answers'));
        const [a, b] = t.map(e => e.getBBox());
        return t.length === 2 && (a.y + a.height <= b.y || b.y + b.height <= a.y); })()""")
    # the crowded opening of the 48-hour timeline is drawn again, larger
    assert browser.evaluate("[...document.querySelectorAll('svg.hl > title')]"
                            ".some(t => /the first \\d+h00m$/.test(t.textContent))")
    text = browser.evaluate("document.body.innerText")
    assert ".." not in text.replace("...", "")
    assert browser.evaluate("document.querySelectorAll('details').length") >= 1  # pairs folded
