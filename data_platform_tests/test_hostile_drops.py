"""An independent corpus of hostile drops (data_platform_tests/hostile/, written from the issue
alone, without reading the readers) through the drop sensor and real runs: no crash, no good
record lost, units in = kept + quarantined, nothing that is not a good record past cleaning."""

from pathlib import Path

import pytest

from data_platform_tests.hostile.run import run_corpus

pytestmark = pytest.mark.slow


def test_every_hostile_kind_keeps_its_promises_through_real_runs(tmp_path: Path) -> None:
    outcomes = run_corpus(tmp_path, tiers=("raw", "cleaned"))
    assert len({o.case.kind for o in outcomes}) >= 40
    broken = {o.case.kind: o.problems for o in outcomes if o.problems}
    assert not broken, broken
    assert sum(o.kept for o in outcomes) > 1000 and sum(o.quarantined for o in outcomes) > 100
    outside = [p for p in tmp_path.parent.iterdir() if p.name.startswith("outside")]
    assert not outside
