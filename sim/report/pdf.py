"""The report as PDF: the HTML page printed by headless Chromium, through the print stylesheet.

No PDF library is needed: a Chromium (or Chrome) on the machine prints the same self-contained
HTML file a person would open, with the page's print rules (light colours, no contents bar,
no figure or table row split across pages). Without one, the caller says how to get one.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

#: Executable names of Chromium and Chrome, tried in this order.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Seconds the browser may take to print.
TIMEOUT = 120
#: Flags that keep the browser off the network and out of the user's profile.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--proxy-server=127.0.0.1:9", "--no-pdf-header-footer")


class PdfError(Exception):
    """No browser to print with, or the browser failed; the message says what to do."""


def find_browser() -> str | None:
    """The path of a Chromium or Chrome, if one is installed."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_browser() -> str:
    """The browser to print with.

    Raises:
        PdfError: none is installed; the message says how to get one.
    """
    browser = find_browser()
    if browser is None:
        raise PdfError("--pdf prints the HTML report with headless Chromium, which is not "
                       "installed; install it (Debian/Ubuntu: apt-get install chromium) or open "
                       "the HTML report in a browser and print it")
    return browser


def print_pdf(html: Path, pdf: Path) -> Path:
    """Print the HTML file `html` to `pdf` with headless Chromium; returns `pdf`.

    Raises:
        PdfError: no Chromium installed, or it did not write the PDF.
    """
    browser = require_browser()
    pdf = Path(pdf)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hotline-pdf-") as profile:
        try:
            done = subprocess.run(  # noqa: S603 - a browser found on PATH, fixed flags
                [browser, *FLAGS, f"--user-data-dir={profile}",
                 f"--print-to-pdf={pdf.resolve()}", Path(html).resolve().as_uri()],
                capture_output=True, text=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"{browser} did not print within {TIMEOUT} s") from None
    if done.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        tail = (done.stderr or "").strip().splitlines()[-1:] or ["no message"]
        raise PdfError(f"{browser} did not write {pdf}: {tail[0]}")
    return pdf
