"""The flags of every command that reads a scenario: how large a file, and how many values.

Both bounds guard against hostile files (`sim.scenario.yamlnodes.Limits`); a user with a
trusted larger scenario raises them here, and every command reads them the same way.
"""

from __future__ import annotations

import argparse
from typing import Any

#: The defaults, the loader's own.
DEFAULT_BYTES = 16 * 1024 * 1024
DEFAULT_VALUES = 700_000


def _count(text: str, unit: str, example: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of {unit}s; expected e.g. "
                                         f"{example}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is too small; expected at least 1 {unit}")
    return value


def byte_count(text: str) -> int:
    """A `--max-bytes` value: a whole number of bytes, at least 1."""
    return _count(text, "byte", "1048576")


def value_count(text: str) -> int:
    """A `--max-values` value: a whole number of values, at least 1."""
    return _count(text, "value", "1000000")


def add_load_flags(p: argparse.ArgumentParser) -> None:
    """`--max-bytes` and `--max-values`, with the loader's defaults."""
    p.add_argument("--max-bytes", type=byte_count, default=DEFAULT_BYTES, metavar="N",
                   help="largest scenario file to read (default: 16 MiB)")
    p.add_argument("--max-values", type=value_count, default=DEFAULT_VALUES, metavar="N",
                   help="most values (scalars, lists, mappings) a scenario file may hold "
                        f"(default: {DEFAULT_VALUES:,}); raise it for a trusted larger file")


def load_limits(args: argparse.Namespace) -> Any:
    """The `LoadLimits` the flags ask for."""
    from sim.scenario import LoadLimits

    return LoadLimits(max_bytes=args.max_bytes, max_nodes=args.max_values)


__all__ = ["add_load_flags", "byte_count", "load_limits", "value_count"]
