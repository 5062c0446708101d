"""Licence profiles: which expressions each profile admits, and releases cut under two of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from data_platform.demo.runner import DemoOutcome
from data_platform.governance.licences import PROFILES, refusal, requires_attribution
from data_platform.lake.store import Lake
from data_platform.tiers.released import cut_release

COMMERCIAL, RESEARCH = PROFILES["commercial"], PROFILES["research"]


@pytest.mark.parametrize(
    ("expression", "commercial", "research"),
    [
        ("CC-BY-4.0", None, None),
        ("CC-BY-NC-4.0", "CC-BY-NC-4.0: NonCommercial", None),
        ("CC-BY-NC-ND-4.0", "CC-BY-NC-ND-4.0: NonCommercial", "CC-BY-NC-ND-4.0: NoDerivatives"),
        ("CC-BY-NC-4.0 OR MIT", None, None),  # a choice: the admitted branch decides
        ("MIT AND CC-BY-NC-4.0", "CC-BY-NC-4.0: NonCommercial", None),  # every part must pass
        ("GPL-2.0-only WITH Classpath-exception-2.0", None, None),
        (
            "LicenseRef-Forum-Terms",
            "LicenseRef-Forum-Terms: terms unknown",
            "LicenseRef-Forum-Terms: terms unknown",
        ),
        (None, "no licence recorded", "no licence recorded"),
    ],
)
def test_profiles_admit_and_refuse(
    expression: str | None, commercial: str | None, research: str | None
) -> None:
    assert refusal(expression, COMMERCIAL) == commercial
    assert refusal(expression, RESEARCH) == research


def test_attribution_follows_the_licence_family() -> None:
    assert requires_attribution("CC-BY-SA-4.0") and requires_attribution("MIT OR CC0-1.0")
    assert not requires_attribution("CC0-1.0") and not requires_attribution(None)


@pytest.mark.slow
def test_two_profiles_split_the_same_data_and_credit_their_sources(demo: DemoOutcome, tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    shutil.copytree(demo.lake.root, lake.root)
    batch = next(b for b in lake.partitions("annotated") if b.startswith("sgd_dialogues"))
    records = lake.scan_records("annotated", batch).collect().with_columns(licence=pl.lit("CC-BY-NC-4.0"))
    quarantine = lake.scan_quarantine("annotated", batch).collect()
    lake.write_partition("annotated", batch, [(records, quarantine)], lake.stats("annotated", batch))
    lake.record_gate("annotated", batch, {"passed": True})  # as if the gate judged the new data

    research = cut_release(lake, "v901", created_at="2030-01-01T00:00:00+00:00", code_version="t")
    commercial = cut_release(
        lake, "v902", created_at="2030-01-01T00:00:00+00:00", code_version="t", licence_profile="commercial"
    )

    assert research.manifest["refused_by_licence"] == {}
    assert commercial.manifest["refused_by_licence"] == {"CC-BY-NC-4.0": records.height}
    # a record the scan holds back in one release may be refused by licence in the other
    kept = {
        release.version: release.manifest["record_count"]
        + sum(release.manifest["release_scan"]["held_back"].values())
        for release in (research, commercial)
    }
    assert kept["v901"] - kept["v902"] == records.height
    released = pl.read_parquet(commercial.path / "records-*.parquet")
    assert "CC-BY-NC-4.0" not in set(released["licence"]) and batch not in set(released["batch_id"])
    assert commercial.manifest["licence_profile"]["name"] == "commercial"
    credited_research = (research.path / "ATTRIBUTION.md").read_text()
    credited_commercial = (commercial.path / "ATTRIBUTION.md").read_text()
    assert "| sgd_dialogues | CC-BY-NC-4.0 |" in credited_research
    assert "CC-BY-NC-4.0" not in credited_commercial
    assert "| clinc_intents | CC-BY-3.0 | https://spdx.org/licenses/CC-BY-3.0.html |" in credited_commercial


@pytest.mark.slow
def test_each_profile_picks_a_clusters_survivor_by_licence_not_by_arrival(
    demo: DemoOutcome, tmp_path: Path
) -> None:
    """Three dialogues arrive first under CC-BY-NC and again later from another source under
    CC0: the later copies are alternates (duplicate_of); both profiles release the CC0 copies,
    and the research release leaves the NonCommercial originals out as alternates."""
    lake = Lake(tmp_path / "lake")
    shutil.copytree(demo.lake.root, lake.root)
    first = next(b for b in lake.partitions("annotated") if b.startswith("sgd_dialogues"))
    later = next(b for b in lake.partitions("annotated") if b.startswith("clinc_intents"))
    originals = lake.scan_records("annotated", first).collect().with_columns(licence=pl.lit("CC-BY-NC-4.0"))
    copies = originals.head(3).with_columns(
        duplicate_of=pl.col("record_id"),
        record_id="alt-" + pl.col("record_id"),
        batch_id=pl.lit(later),
        source_id=pl.lit("clinc_intents"),
        licence=pl.lit("CC0-1.0"),
    )
    for batch, records in ((first, originals), (later, None)):
        if records is None:
            records = pl.concat([lake.scan_records("annotated", batch).collect(), copies])
        quarantine = lake.scan_quarantine("annotated", batch).collect()
        lake.write_partition("annotated", batch, [(records, quarantine)], lake.stats("annotated", batch))
        lake.record_gate("annotated", batch, {"passed": True})

    created = "2030-01-01T00:00:00+00:00"
    for version, profile_name in (("v901", "research"), ("v902", "commercial")):
        release = cut_release(
            lake, version, created_at=created, code_version="t", licence_profile=profile_name
        )
        ids = set(pl.read_parquet(release.path / "records-*.parquet")["record_id"])
        assert {f"alt-{r}" for r in originals.head(3)["record_id"]} <= ids
        assert not set(originals.head(3)["record_id"]) & ids
        assert release.manifest["duplicate_alternates"]["chosen_over_first_copy"] == 3
        left_out = release.manifest["duplicate_alternates"]["left_out"]
        assert left_out == (3 if profile_name == "research" else 0)  # commercial refused them already
