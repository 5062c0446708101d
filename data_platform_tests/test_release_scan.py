"""The independent release scan: what it flags, what it leaves, and a release that holds back
(or refuses) a record with PII the detectors do not know."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from data_platform.demo.generator import PASSPORT
from data_platform.demo.runner import DemoOutcome
from data_platform.errors import DataPlatformError
from data_platform.governance import pii
from data_platform.governance.release_checks import governance_frame
from data_platform.governance.release_scan import first_kind, review_path, scan
from data_platform.lake.releases import read_manifest, release_root
from data_platform.lake.store import Lake
from data_platform.sources.schema import TURN
from data_platform.tiers.released import cut_release

FLAGGED = {
    "digit_run": [
        "call me on 0 6 1 2 3 4 5 6 7 8 tonight",  # spaced out: no phone shape
        "policy 123.456.789 renewed",
        "my account (0123) 4567-89 please",
    ],
    "at_token": ["ping @maria_f87 on telegram", "write to maria (at) ex@mple.c0m"],
    "alnum_id": [f"passport {PASSPORT} expires", "licence DL8842K190 was renewed"],
    "titled_name": [
        "I spoke with Dr. Okonkwo-Baptiste",
        "ask Sig.ra Zappalà tomorrow",
        "Herr Dr. Smith called",
    ],
}
# What a redacted release looks like, and the numbers and words of ordinary text.
CLEAN = [
    "Call [PHONE_NUMBER] or write to [EMAIL_ADDRESS:3fa9c01b22de] about [PERSON]",
    "Order 2024-03-15, ticket 88123, total 1.234.567,89 EUR at 10:30 on 12/03/2024",
    "[2019-01-13 14:59:26] login; seen 13.01.2019 09:15",
    "the 1914-1918 war, pages 12-48, iPhone 15 Pro, COVID19, room 4B, SW1A 1AA",
    "Dear Sir, yes Sir. It is fine. Notre Dame. We met Mr. [PERSON] and Mrs [PERSON].",
    "a speech by Prof. Ir. [PERSON] opened the day",
    "e-mail me at [EMAIL_ADDRESS], I'm @ home; version 2.11.4",
]


def _records(texts: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"record_id": [f"r{i}" for i in range(len(texts))], "text": texts, "turns": [None] * len(texts)},
        schema_overrides={"turns": pl.List(TURN)},
    )


@pytest.mark.parametrize("kind", sorted(FLAGGED))
def test_each_kind_is_flagged_with_its_span(kind: str) -> None:
    texts = FLAGGED[kind]
    found = scan(_records(texts))
    assert first_kind(_records(texts), found).to_list() == [kind] * len(texts)
    for row in found.filter(pl.col("kind") == kind).iter_rows(named=True):
        token = texts[int(row["record_id"][1:])][row["start"] : row["end"]]
        assert any(ch.isalnum() for ch in token) and token == token.strip()


def test_placeholders_dates_amounts_and_short_numbers_are_not_flagged() -> None:
    assert scan(_records(CLEAN)).height == 0


def test_turns_and_speakers_are_scanned() -> None:
    records = pl.DataFrame(
        {
            "record_id": ["c"],
            "text": [None],
            "turns": [
                [{"speaker": "Dr. Okafor", "text": "ok"}, {"speaker": "user", "text": "id AB12CD34EF"}]
            ],
        },
        schema_overrides={"turns": pl.List(TURN)},
    )
    assert scan(records).select("field", "kind").rows() == [
        ("turns[0].speaker", "titled_name"),
        ("turns[1]", "alnum_id"),
    ]


def test_the_planted_passport_is_missed_by_the_detectors() -> None:
    """The demo's point: the scan catches what the detectors do not."""
    assert pii.detect(pl.Series(FLAGGED["alnum_id"])).height == 0


@pytest.mark.slow
def test_a_release_holds_back_what_the_scan_flags_or_stops(demo: DemoOutcome, tmp_path: Path) -> None:
    demo_manifest = read_manifest(demo.lake, demo.release)
    # The planted passport; the real data adds a few (a phone number in an SGD dialogue, "Sure
    # it's 1 40 60 10 00.", that the detectors read as no phone).
    held = demo_manifest["release_scan"]["held_back"]
    assert held["alnum_id"] == 1 and held.get("digit_run") == 1
    review = pl.read_parquet(demo.lake.root / demo_manifest["release_scan"]["review_file"])
    planted = pl.concat(
        [demo.lake.scan_records("annotated", b).collect() for b in demo.lake.partitions("annotated")],
        how="diagonal_relaxed",
    ).filter(pl.col("text").str.contains(PASSPORT, literal=True))["record_id"]
    assert review.filter(pl.col("record_id").is_in(planted.implode()))["kind"].to_list() == ["alnum_id"]
    datasheet = (release_root(demo.lake) / demo.release / "DATASHEET.md").read_text()
    assert f"{sum(held.values())} records it flagged were held back for review (alnum_id: 1" in datasheet
    released = pl.read_parquet(release_root(demo.lake) / demo.release / "records-*.parquet")
    assert not released["text"].drop_nulls().str.contains(PASSPORT).any()
    assert (
        governance_frame(demo.lake, released, demo_manifest)["release_scan"].null_count() == released.height
    )

    copy = Lake(tmp_path / "lake")
    shutil.copytree(demo.lake.root, copy.root)
    with pytest.raises(DataPlatformError, match=r"stopped by the release scan .*1 records with alnum_id"):
        cut_release(
            copy, "v903", created_at="2030-01-01T00:00:00+00:00", code_version="t", scan_policy="stop"
        )
    assert not (release_root(copy) / "v903").exists()
    assert not review_path(copy, "v903").exists()
