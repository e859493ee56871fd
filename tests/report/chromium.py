"""Headless Chromium driven over the DevTools protocol on a pipe, and a small PNG reader.

The page's own requests, console messages and errors arrive as DevTools events, so the
browser's background traffic (updates, time checks) does not count against the page. The
network is blocked too: names resolve nowhere and every request goes to a dead proxy.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import struct
import time
import zlib
from pathlib import Path
from typing import Any

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--mute-audio",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
         "--remote-debugging-pipe")


def find_chromium() -> str | None:
    """The Chromium executable, if one is installed."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Page:
    """One browser with one tab, recording what the page asks for and what it complains about."""

    def __init__(self, exe: str, profile: Path, width: int = 1280, height: int = 2000) -> None:
        profile.mkdir(parents=True, exist_ok=True)
        to_browser, self._commands = os.pipe()
        self._events, from_browser = os.pipe()
        devnull = os.open(os.devnull, os.O_RDWR)
        log = os.open(profile / "browser.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        actions = [(os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, log, 1),
                   (os.POSIX_SPAWN_DUP2, log, 2), (os.POSIX_SPAWN_DUP2, to_browser, 3),
                   (os.POSIX_SPAWN_DUP2, from_browser, 4)]
        args = [exe, *FLAGS, f"--user-data-dir={profile / 'profile'}", "about:blank"]
        self.pid = os.posix_spawn(exe, args, dict(os.environ), file_actions=actions)
        for fd in (to_browser, from_browser, devnull, log):
            os.close(fd)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def __enter__(self) -> Page:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the browser we started, and reap it."""
        try:
            self.send("Browser.close", timeout=5)
        except (OSError, TimeoutError, EOFError, RuntimeError):
            os.kill(self.pid, 9)
        os.close(self._commands)
        os.close(self._events)
        os.waitpid(self.pid, 0)

    def send(self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None,
             timeout: float = 30) -> dict[str, Any]:
        """Send a command and return its result; events that arrive meanwhile are kept."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read(timeout)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send a command to the tab."""
        return self.send(method, params, session=self.session)

    def _read(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the browser did not answer")
            ready, _, _ = select.select([self._events], [], [], left)
            if ready:
                chunk = os.read(self._events, 1 << 16)
                if not chunk:
                    raise EOFError("the browser closed the pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url: str, *, dark: bool = False, media: str = "") -> None:
        """Load `url` in the light or dark look (or as printed) and wait until it has loaded."""
        self.call("Emulation.setEmulatedMedia", {"media": media, "features": [
            {"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})
        first = len(self.events)
        self.call("Page.navigate", {"url": url})
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events[first:]):
            self.events.append(self._read(30))
        self.call("Runtime.evaluate", {"expression": "1"})  # let pending events arrive first

    def requests(self) -> list[str]:
        """Every URL the page asked for."""
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("method") == "Network.requestWillBeSent"]

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, and failed loads of the page."""
        out = []
        for e in self.events:
            method, p = e.get("method"), e.get("params", {})
            if method == "Runtime.consoleAPICalled" and p["type"] in ("error", "warning", "assert"):
                out.append("console: " + " ".join(str(a.get("value")) for a in p["args"]))
            elif method == "Runtime.exceptionThrown":
                out.append("exception: " + p["exceptionDetails"].get("text", ""))
            elif method == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
                out.append("log: " + p["entry"]["text"])
            elif method == "Network.loadingFailed":
                out.append("failed load: " + p.get("errorText", ""))
        return out

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        return self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})[
            "result"].get("value")

    def screenshot(self, path: Path) -> bytes:
        """Save the viewport as PNG and return its bytes."""
        data = base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"])
        path.write_bytes(data)
        return data

    def pdf(self) -> bytes:
        """The page printed to PDF."""
        return base64.b64decode(self.call("Page.printToPDF", {"printBackground": True})["data"])


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB rows of an 8-bit, non-interlaced PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, chunks, head = 8, [], None
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + size]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + size
    if head is None:
        raise ValueError("a PNG without its IHDR chunk")
    width, height, depth, colour, _, _, interlace = head
    if depth != 8 or interlace or colour not in (2, 6):
        raise ValueError(f"only 8-bit, non-interlaced RGB(A) PNGs are read; got {head}")
    n = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * n
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(n, stride):
                line[i] = (line[i] + line[i - n]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev, strict=True))
        elif kind == 3:
            for i in range(stride):
                line[i] = (line[i] + (((line[i - n] if i >= n else 0) + prev[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - n] if i >= n else 0
                b, c = prev[i], (prev[i - n] if i >= n else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line if n == 3 else b"".join(line[i:i + 3] for i in range(0, stride, 4))))
        prev = line
    return width, height, rows
