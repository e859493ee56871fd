"""`hotline join` and `hotline serve`: a seat of a hosted exercise, in a terminal or a browser.

Registered through the `hotline.commands` entry point, like `play`. `join` connects before
the app opens, so a wrong token or an address where no exercise answers is one line on
stderr and exit status 2. `serve` gives browsers the same seat app through textual-serve;
the page asks for the token.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add the `join` and `serve` subcommands to the `hotline` parser."""
    p = sub.add_parser(
        "join", help="take a seat in an exercise that `hotline host` serves",
        description="Join a hosted exercise as the seat the token opens: the same screens as "
        "`hotline play`, showing only what reaches that seat. Without --token the app asks.")
    p.add_argument("address", metavar="ADDRESS", help="the exercise, e.g. ws://127.0.0.1:8765")
    p.add_argument("--token", help="the seat's token from the host's join line")
    p.set_defaults(func=cmd_join)

    p = sub.add_parser(
        "serve", help="serve the seats of a hosted exercise to web browsers",
        description="Serve the seat app to browsers (textual-serve): each page asks for its "
        "seat's token and joins the exercise at ADDRESS.")
    p.add_argument("address", metavar="ADDRESS", help="the exercise, e.g. ws://127.0.0.1:8765")
    p.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS",
                   help="address to serve the pages on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port of the pages (default: 8000)")
    p.set_defaults(func=cmd_serve)


def _address(text: str) -> str:
    from sim.cli import UsageError

    if not text.startswith(("ws://", "wss://")):
        raise UsageError(f"{text!r} is not an exercise address; expected ws://HOST:PORT as the "
                         "host's join line shows it")
    return text


def cmd_join(args: argparse.Namespace) -> int:
    """Join, then run the seat's app until the person leaves."""
    from sim.cli import UsageError
    from sim.net.client import JoinError, SeatLink

    url = _address(args.address)
    link = None
    if args.token is not None:  # a wrong token or a dead address is said before anything else
        try:
            link = SeatLink(url, args.token)
        except JoinError as exc:
            raise UsageError(str(exc)) from None
    if not sys.stdin.isatty() and "TEXTUAL_DRIVER" not in os.environ:  # textual-serve's pages
        from tui.cli import NO_TERMINAL

        if link is not None:
            link.close()
        raise UsageError(NO_TERMINAL)
    from tui.joinapp import JoinApp

    app = JoinApp(url, link)
    try:
        app.run()
    finally:
        if app.link is not None:
            app.link.close()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the seat app to browsers until interrupted."""
    from textual_serve.server import Server

    url = _address(args.address)
    command = shlex.join([sys.executable, "-m", "sim.cli", "join", url])
    Server(command, host=args.bind, port=args.port, title="Hotline seat").serve()
    return 0
