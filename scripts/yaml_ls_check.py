#!/usr/bin/env python3
r"""Ask yaml-language-server, headless, what an editor would flag in YAML files.

Speaks the Language Server Protocol over the server's stdin/stdout: initialize, open each file,
collect the diagnostics the server publishes (it validates against the schema the file's
`# yaml-language-server: $schema=...` modeline names), print them, and exit 1 if there are any.

    npm install --prefix /tmp/yls yaml-language-server
    python3 scripts/yaml_ls_check.py --server /tmp/yls/node_modules/.bin/yaml-language-server \\
        scenarios/poland-2022.yaml

The server is not a dependency of Hotline; this is for checking the committed schema by hand.
"""

from __future__ import annotations

import argparse
import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO

#: Settings an editor would send; the schema store is off so nothing is fetched from the network.
SETTINGS = {"yaml": {"validate": True, "hover": True, "completion": True, "format": {"enable": False},
                     "schemaStore": {"enable": False}, "yamlVersion": "1.2"}}
SEVERITY = {1: "error", 2: "warning", 3: "information", 4: "hint"}


def _send(stream: BinaryIO, message: dict[str, Any]) -> None:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stream.flush()


def _read(stream: BinaryIO, out: queue.Queue[dict[str, Any] | None]) -> None:
    while True:
        length = None
        while (line := stream.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        if length is None:
            out.put(None)
            return
        out.put(json.loads(stream.read(length)))


def check(server: list[str], files: list[Path], settle: float, timeout: float = 120,
          ) -> dict[str, list[dict[str, Any]]]:
    """The diagnostics the server publishes for each file.

    Waits until every file has had diagnostics published and the server has then been quiet
    for `settle` seconds (it publishes again once a schema has loaded), or until `timeout`.
    """
    proc = subprocess.Popen([*server, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # noqa: S603
    assert proc.stdin  # noqa: S101 - a pipe
    assert proc.stdout  # noqa: S101 - a pipe
    inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
    threading.Thread(target=_read, args=(proc.stdout, inbox), daemon=True).start()
    root = Path.cwd().as_uri()
    _send(proc.stdin, {"id": 1, "method": "initialize", "params": {
        "processId": None, "rootUri": root, "workspaceFolders": [{"uri": root, "name": "hotline"}],
        "capabilities": {"workspace": {"configuration": True},
                         "textDocument": {"publishDiagnostics": {}}}}})
    _send(proc.stdin, {"method": "initialized", "params": {}})
    _send(proc.stdin, {"method": "workspace/didChangeConfiguration", "params": {"settings": SETTINGS}})
    uris = {}
    for file in files:
        uri = file.resolve().as_uri()
        uris[uri] = str(file)
        _send(proc.stdin, {"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": file.read_text(encoding="utf-8")}}})
    found: dict[str, list[dict[str, Any]]] = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            message = inbox.get(timeout=settle)
        except queue.Empty:
            if len(found) == len(uris):
                break
            continue
        if message is None:
            break
        if message.get("method") == "workspace/configuration":  # the server asks for its settings
            items = message["params"]["items"]
            answer = [SETTINGS.get(i.get("section", ""), SETTINGS["yaml"]) for i in items]
            _send(proc.stdin, {"id": message["id"], "result": answer})
        elif message.get("method") == "textDocument/publishDiagnostics":
            params = message["params"]
            found[uris.get(params["uri"], params["uri"])] = params["diagnostics"]
        elif "id" in message and "method" in message:  # any other request: answer it empty
            _send(proc.stdin, {"id": message["id"], "result": None})
    _send(proc.stdin, {"id": 2, "method": "shutdown"})
    _send(proc.stdin, {"method": "exit"})
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
    return found


def main() -> int:
    """Check the files; print each diagnostic as FILE:LINE:COL: SEVERITY: MESSAGE."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="yaml-language-server", help="the server's command")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds of quiet that end the wait")
    parser.add_argument("--timeout", type=float, default=120.0, help="longest wait, in seconds")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    started = time.monotonic()
    found = check([args.server], args.files, args.settle, args.timeout)
    count = 0
    for name in map(str, args.files):
        if name not in found:
            print(f"{name}: the server published no diagnostics at all (not validated?)")
            count += 1
        for d in found.get(name, []):
            start = d["range"]["start"]
            print(f"{name}:{start['line'] + 1}:{start['character'] + 1}: "
                  f"{SEVERITY.get(d.get('severity', 1))}: {d['message']}")
            count += 1
    print(f"{len(args.files)} file(s), {count} diagnostic(s), {time.monotonic() - started:.1f}s",
          file=sys.stderr)
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main())
