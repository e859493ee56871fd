"""Named random streams: one per component, derived from (seed, name), stable in any process."""

from __future__ import annotations

import hashlib
import random


class Streams:
    """Hands out one `random.Random` per component name, seeded from the run's seed.

    String seeds are hashed with SHA-512 by `random.Random`, so a stream does not depend on
    `PYTHONHASHSEED`, and a change to one component's draws does not shift any other's.
    """

    def __init__(self, seed: int | str) -> None:
        self.seed = seed
        self._streams: dict[str, random.Random] = {}

    def __call__(self, name: str) -> random.Random:
        """The stream of the component called `name`."""
        stream = self._streams.get(name)
        if stream is None:
            stream = self._streams[name] = random.Random(f"{self.seed}:{name}")
        return stream


def derive_seed(seed: int | str, *parts: object) -> int:
    """A replication's seed from a base seed and its coordinates (point, replication)."""
    text = "/".join(str(p) for p in (seed, *parts))
    return int(hashlib.sha256(text.encode()).hexdigest()[:15], 16)
