import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from data_platform.curation.cleaning import CleaningRules
from data_platform.curation.near_dedup import (
    NearDupIndex,
    NearDupRules,
    index_entries,
    remove_near_duplicates,
)
from data_platform.curation.quality import QUALITY_PROFILES
from data_platform.lake.store import Lake
from data_platform.sources.readers import Drop
from data_platform.sources.registry import adhoc_source
from data_platform.sources.schema import RAW_SCHEMA
from data_platform.text.minhash import MinHashParams
from data_platform.tiers.cleaned import clean_partition
from data_platform.tiers.raw import ingest_drop
from data_platform_tests.conftest import canonical_row

# 80 words: changing one word changes 5 of 76 five-word shingles (Jaccard about 0.88).
BASE = (
    "the customer wrote that the parcel arrived two days late and the box was damaged on one side "
    "so she would like a partial refund or a voucher for her next order with free delivery and she "
    "also asked whether the courier could leave future parcels with the neighbour at number twelve "
    "because she works late on most weekdays and cannot always be at home when the van comes by in "
    "the afternoon which has happened three times this month already"
)

# These tests are about the other rules; quality rules have their own tests.
NO_QUALITY = QUALITY_PROFILES["off"]


def frame(texts: list[str], batch: str = "b") -> pl.DataFrame:
    return pl.DataFrame([canonical_row(batch, i, text) for i, text in enumerate(texts)], schema=RAW_SCHEMA)


def run(texts: list[str], index: NearDupIndex, rules: NearDupRules) -> tuple[list[str], pl.DataFrame]:
    batch = frame(texts)
    result = remove_near_duplicates(batch, index_entries(batch, 2, 0, rules.params), [index], rules)
    return result.kept["record_id"].to_list(), result.quarantined


def test_near_duplicates_within_a_batch_keep_the_first() -> None:
    rules = NearDupRules()
    kept, quarantined = run(
        [BASE, BASE.replace("voucher", "coupon"), "an unrelated question about opening hours"],
        NearDupIndex(rules.params),
        rules,
    )
    assert kept == ["b-0", "b-2"]
    [row] = quarantined.to_dicts()
    assert row["reason"] == "near_duplicate" and "record b-0" in row["detail"]
    assert row["related_id"] == "b-0"


def test_near_duplicates_of_an_earlier_batch_name_the_earlier_record() -> None:
    rules = NearDupRules()
    index = NearDupIndex(rules.params)
    earlier = frame([BASE], batch="a")
    index.add(index_entries(earlier, 1, 0, rules.params))
    kept, quarantined = run([BASE + " please", "something else entirely, nothing alike"], index, rules)
    assert kept == ["b-1"]
    assert "record a-0 (batch a)" in quarantined["detail"][0]


def test_threshold_decides_and_texts_without_words_never_match() -> None:
    rules = NearDupRules(threshold=0.99)
    kept, _ = run([BASE, BASE.replace("parcel", "package"), "!!!", "???"], NearDupIndex(rules.params), rules)
    assert kept == ["b-0", "b-1", "b-2", "b-3"]


def land(tmp_path: Path, name: str, texts: list[str], landed: int) -> Drop:
    folder = tmp_path / "drops"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text("".join(json.dumps({"id": f"{name}-{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    return Drop(adhoc_source("s", "jsonl", folder), path, f"s:{name}", datetime.fromtimestamp(landed, UTC))


def cleaned_bytes(lake: Lake, batch: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(lake.partition_dir("cleaned", batch).iterdir())}


def test_result_depends_only_on_earlier_batches_whatever_the_cleaning_order(tmp_path: Path) -> None:
    first = land(tmp_path, "1.jsonl", [BASE, "first batch only text with its own words here"], 1)
    second = land(tmp_path, "2.jsonl", [BASE.replace("voucher", "coupon"), "second batch has other words"], 2)
    outcomes = []
    for order in ((first, second), (second, first)):
        lake = Lake(tmp_path / f"lake-{len(outcomes)}")
        for drop in (first, second):  # sequence numbers follow ingestion: 1.jsonl is batch 1
            ingest_drop(lake, drop)
            lake.record_gate("raw", drop.batch_id, {"passed": True})
        for drop in order:
            clean_partition(lake, drop.batch_id, lambda _: CleaningRules(quality=NO_QUALITY))
        outcomes.append({d.batch_id: cleaned_bytes(lake, d.batch_id) for d in (first, second)})
    assert outcomes[0] == outcomes[1]
    lake = Lake(tmp_path / "lake-0")
    reasons = lake.scan_quarantine("cleaned", second.batch_id).collect()["reason"].to_list()
    assert reasons == ["near_duplicate"]
    assert lake.stats("cleaned", first.batch_id)["quarantined"] == 0


@pytest.mark.parametrize("exact", [False, True])
def test_lost_index_state_is_rebuilt_from_raw_with_the_same_result(tmp_path: Path, exact: bool) -> None:
    first = land(tmp_path, "1.jsonl", [BASE, "first batch only text with its own words here"], 1)
    second = land(tmp_path, "2.jsonl", [BASE.replace("voucher", "coupon"), BASE], 2)
    lake = Lake(tmp_path / "lake")
    near_dup = NearDupRules(params=MinHashParams(exact_jaccard=exact))
    rules = CleaningRules(quality=NO_QUALITY, near_dup=near_dup)
    for drop in (first, second):
        ingest_drop(lake, drop)
        lake.record_gate("raw", drop.batch_id, {"passed": True})
        clean_partition(lake, drop.batch_id, lambda _: rules)
    before = cleaned_bytes(lake, second.batch_id)
    shards = sorted(p.parent.name for p in (lake.root / "_state" / "near_bands").glob("shard-*/*.parquet"))
    assert len(set(shards)) == 16 and len(shards) == 32, "each batch writes one file per band shard"
    for kind in ("exact_dedup", "near_dedup", "near_bands"):
        shutil.rmtree(lake.root / "_state" / kind)
    clean_partition(lake, second.batch_id, lambda _: rules)
    assert cleaned_bytes(lake, second.batch_id) == before
    quarantine = lake.scan_quarantine("cleaned", second.batch_id).collect()
    assert sorted(quarantine["reason"]) == ["exact_duplicate", "near_duplicate"]
    first_record = pl.read_parquet(lake.record_files("raw", first.batch_id)[0])["record_id"][0]
    assert set(quarantine["related_id"]) == {first_record}
    kind = "exact" if exact else "estimated"
    assert f"{kind} Jaccard" in quarantine.filter(pl.col("reason") == "near_duplicate")["detail"][0]


def test_exact_jaccard_verification_decides_on_the_true_similarity() -> None:
    exact = NearDupRules(params=MinHashParams(exact_jaccard=True), threshold=0.8)
    words = BASE.split()
    # Edits that keep about 0.70 of the 5-gram set: an estimate can err, the exact value cannot.
    edited = " ".join(w if i not in (6, 20) else w + "x" for i, w in enumerate(words))
    kept, _ = run([BASE, edited], NearDupIndex(exact.params), exact)
    assert kept == ["b-0", "b-1"]
    kept, quarantined = run([BASE, BASE + " thanks"], NearDupIndex(exact.params), exact)
    assert kept == ["b-0"] and "exact Jaccard 0.9" in quarantined["detail"][0]


def test_near_duplicates_under_other_terms_are_kept_as_alternates() -> None:
    rules = NearDupRules()
    index = NearDupIndex(rules.params)
    index.add(index_entries(frame([BASE], batch="a"), 1, 0, rules.params))
    batch = frame([BASE + " please", BASE + " thanks"]).with_columns(
        licence=pl.Series(["CC0-1.0", "MIT"]), duplicate_of=pl.lit(None, pl.String)
    )
    result = remove_near_duplicates(
        batch, index_entries(batch, 2, 0, rules.params), [index], rules, lambda _: ("MIT", "c")
    )
    assert result.alternates.select("record_id", "duplicate_of").rows() == [("b-0", "a-0")]
    assert result.alternates.columns == batch.columns
    assert result.quarantined["record_id"].to_list() == ["b-1"] and result.kept.height == 0
