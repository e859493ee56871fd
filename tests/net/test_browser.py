"""A browser seat: headless Chromium opens the seat app through `hotline serve` and joins.

Skipped where no Chromium is installed, except under CI (`CI` set), where a missing browser
fails the test, as the report's browser checks do.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.report import chromium
from tests.report.chromium import Page, find_chromium, png_pixels

ROOT = Path(__file__).resolve().parents[2]
UNDER_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _badge_pixels(png: bytes) -> int:
    """Pixels of the top bar in the green of the PLANNING badge (the token page has none)."""
    width, _, rows = png_pixels(png)
    return sum(1 for row in rows[:20] for x in range(0, width * 3, 3)
               if row[x + 1] > 0xC0 and row[x] < 0xB0 and row[x + 2] < 0x60)


def _lit_pixels(png: bytes) -> int:
    """Bright pixels (text, borders) of the page: none until the app has drawn its screen."""
    width, _, rows = png_pixels(png)
    return sum(1 for row in rows[::4] for x in range(0, width * 3, 12) if row[x + 1] > 0x80)


def _wait(done: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def test_a_browser_joins_a_seat_with_its_token(host, tmp_path: Path, monkeypatch) -> None:
    exe = find_chromium()
    if exe is None:
        if UNDER_CI:
            pytest.fail("Chromium is not installed, and under CI the browser seat may not be "
                        "skipped; install it (apt-get install chromium) or unset CI", pytrace=False)
        pytest.skip("Chromium is not installed")
    # the page is served on loopback: let the browser resolve it (everything else stays blocked)
    monkeypatch.setattr(chromium, "FLAGS", tuple(
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
        if flag.startswith("--host-resolver-rules") else flag for flag in chromium.FLAGS))
    port = _free_port()
    web = subprocess.Popen([sys.executable, "-m", "sim.cli", "serve", host.server.url,
                            "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        assert _wait(lambda: _listening(port), 20)
        with Page(exe, tmp_path / "chromium", width=1280, height=800) as page:
            page.open(f"http://127.0.0.1:{port}/")
            shot = tmp_path / "seat.png"
            # the app starts behind the page: type only once its token screen is drawn
            assert _wait(lambda: _lit_pixels(page.screenshot(shot)) > 100, 30), shot
            for kind in ("mousePressed", "mouseReleased"):
                page.call("Input.dispatchMouseEvent", {"type": kind, "x": 640, "y": 400,
                                                       "button": "left", "clickCount": 1})
            page.call("Input.insertText", {"text": host.server.exercise.tokens.tokens["ru-cgs"]})
            for kind in ("keyDown", "keyUp"):
                page.call("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                     "windowsVirtualKeyCode": 13, "text": "\r"})
            assert _wait(lambda: "ru-cgs" in host.server.live, 20)  # the host has the seat
            assert _wait(lambda: _badge_pixels(page.screenshot(shot)) > 300, 20), shot
    finally:
        web.terminate()
        web.wait(timeout=20)


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
