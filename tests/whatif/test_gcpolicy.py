"""A process running replications freezes its job and collects less often, then gives it back."""

from __future__ import annotations

import gc

from sim.whatif.gcpolicy import YOUNG_THRESHOLD, batch_gc


class _Job:
    built = 0

    @property
    def measure(self) -> object:
        _Job.built += 1
        return object()


def test_batch_gc_builds_the_job_freezes_and_restores() -> None:
    before = gc.get_threshold()
    with batch_gc(_Job()):
        assert _Job.built == 1
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before
