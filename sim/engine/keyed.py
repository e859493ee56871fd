"""Keyed random numbers: each draw is a pure function of the seed and the logical event using it.

A stream consumed in order couples unrelated events: one extra statement on a channel would
shift every later draw of that channel. Here every draw names its event instead (the rule and
how many times it fired, the call and its attempt, the statement and the follower), so adding
an action, an inject or an actor changes only the draws of what it causes. Time is never part
of a key: interventions move times, and a paired run must still draw the same numbers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable

#: 2**64, the size of the hash's output space.
_SPAN = float(2**64)

Key = tuple[Hashable, ...]


def uniform(seed: int | str, key: Key) -> float:
    """A number in (0, 1), the same for the same seed and key in any process.

    Uses blake2b over the key's `repr`: stable across processes (unlike `hash()`), and the
    +0.5 keeps the result strictly inside (0, 1), so inverse CDFs never see 0 or 1.
    """
    # the text of `repr((seed, key))`, without building the pair
    digest = _blake2b(f"({seed!r}, {key!r})".encode(), digest_size=8).digest()
    return (_from_bytes(digest, "big") + 0.5) / _SPAN


_blake2b = hashlib.blake2b
_from_bytes = int.from_bytes


__all__ = ["Key", "uniform"]
