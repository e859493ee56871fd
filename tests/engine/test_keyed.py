"""Keyed draws are the documented function of the seed and the key, in any process."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from sim.engine.keyed import uniform

parts = st.text(max_size=10) | st.integers(-10**6, 10**12) | st.floats(allow_nan=False) | st.none()


@given(st.integers(0, 2**60) | st.text(max_size=8), st.tuples(parts) | st.lists(parts, max_size=7).map(tuple))
def test_a_draw_is_blake2b_of_the_seed_and_key_as_written_in_model_notes(seed: int | str, key: tuple) -> None:
    # docs/model-notes.md: u = (first 8 bytes of blake2b(repr((seed, key))), big-endian, + 0.5) / 2^64
    digest = hashlib.blake2b(repr((seed, key)).encode(), digest_size=8).digest()
    assert uniform(seed, key) == (int.from_bytes(digest, "big") + 0.5) / 2**64
    assert 0.0 < uniform(seed, key) <= 1.0
