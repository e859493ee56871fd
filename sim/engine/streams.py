"""Seeds of replications: one per (base seed, point, replication), stable in any process."""

from __future__ import annotations

import hashlib


def derive_seed(seed: int | str, *parts: object) -> int:
    """A replication's seed from a base seed and its coordinates (point, replication)."""
    text = "/".join(str(p) for p in (seed, *parts))
    return int(hashlib.sha256(text.encode()).hexdigest()[:15], 16)
