"""`hotline report --pdf`: printed through headless Chromium, every page with something on it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from .chromium import find_chromium
from .helpers import COMMITTED, ROOT


def _hotline(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim.cli", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180, check=False)


def page_contents(pdf: bytes) -> list[bytes]:
    """Each page's content stream, inflated (enough of PDF for Chromium's output)."""
    objects = {int(m.group(1)): m.group(2) for m in
               re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", pdf, flags=re.S)}
    pages = []
    for body in objects.values():
        if re.search(rb"/Type\s*/Page(?!s)", body):
            refs = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", body)
            numbers = [int(n) for n in re.findall(rb"(\d+) 0 R", refs.group(1))] if refs else []
            streams = []
            for n in numbers:
                found = re.search(rb"stream\r?\n(.*?)\r?\nendstream", objects[n], flags=re.S)
                raw = found.group(1) if found else b""
                streams.append(zlib.decompress(raw) if b"/FlateDecode" in objects[n] else raw)
            pages.append(b"".join(streams))
    return pages


@pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed")
def test_the_report_prints_to_pdf_and_no_page_is_blank(tmp_path: Path) -> None:
    done = _hotline("report", COMMITTED, "--html", tmp_path / "aar.html", "--pdf",
                    tmp_path / "aar.pdf")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(tmp_path / "aar.html"), str(tmp_path / "aar.pdf")]
    pdf = (tmp_path / "aar.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    pages = page_contents(pdf)
    assert len(pages) >= 3  # a long report: several pages
    for number, content in enumerate(pages, start=1):
        # text drawn (glyph runs) or pictures painted on every page
        assert re.search(rb"\bT[jJ]\b|\bDo\b", content), f"page {number} is blank"


def test_without_chromium_pdf_says_how_to_get_it(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path / "empty")}
    done = _hotline("report", COMMITTED, "--out", tmp_path / "out", "--pdf", tmp_path / "a.pdf",
                    env=env)
    assert done.returncode == 2, done.stderr
    assert "apt-get install chromium" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()  # refused before writing anything
