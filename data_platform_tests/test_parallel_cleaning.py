"""Batches clean side by side and in any order with the bytes of cleaning them one at a time in
sequence order (issue 16, item 4): each batch's dedup state is its own step, no pool."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from data_platform.curation import earlier
from data_platform.curation.cleaning import CleaningRules
from data_platform.errors import EarlierBatchPendingError
from data_platform.lake.store import Lake
from data_platform.sources.readers import Drop
from data_platform.tiers.cleaned import clean_partition, record_dedup_state
from data_platform.tiers.raw import ingest_drop
from data_platform_tests.test_near_dedup import BASE, NO_QUALITY, land

BATCHES = 6
RULES = CleaningRules(quality=NO_QUALITY)


def rules_for(_: str) -> CleaningRules:
    return RULES


def drops(tmp_path: Path) -> list[Drop]:
    """Six drops, each with texts of its own, exact and near copies of earlier drops' texts and
    of its own, spread over several raw parts."""
    rng = random.Random(16)
    words = BASE.split()
    made: list[Drop] = []
    history: list[str] = []
    for number in range(1, BATCHES + 1):
        # 80 words drawn at random: unrelated texts; one word changed: a near copy (Jaccard ~0.88).
        own = [" ".join(rng.choices(words, k=80)) + f" {number}x{i}" for i in range(40)]
        copies = [rng.choice(history) for _ in range(15)] if history else []
        near = [f"changed {text}" for text in rng.sample(history, min(10, len(history)))]
        texts = own + copies + near + own[:5]
        rng.shuffle(texts)
        history += own
        made.append(land(tmp_path, f"{number}.jsonl", texts, number))
    return made


def ingested(root: Path, made: list[Drop]) -> Lake:
    """A lake holding every drop's raw partition (sequence numbers 1..6) with its gate passed."""
    lake = Lake(root)
    for drop in made:
        ingest_drop(lake, drop, chunk_rows=25)
        lake.record_gate("raw", drop.batch_id, {"passed": True})
    return lake


def cleaned_files(lake: Lake, made: list[Drop]) -> dict[str, dict[str, bytes]]:
    return {
        drop.batch_id: {
            p.name: p.read_bytes() for p in sorted(lake.partition_dir("cleaned", drop.batch_id).iterdir())
        }
        for drop in made
    }


@pytest.fixture(scope="module")
def sequential(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Drop], dict]:
    """The reference: one batch at a time in sequence order, no dedup_state step."""
    root = tmp_path_factory.mktemp("sequential")
    made = drops(root)
    lake = ingested(root / "lake", made)
    for drop in made:
        clean_partition(lake, drop.batch_id, rules_for)
    return made, cleaned_files(lake, made)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_orders_give_the_sequential_bytes(sequential, tmp_path: Path, seed: int) -> None:
    """dedup_state for a random part of the batches, in random order, then cleaning in another
    random order: what is missing is computed from raw by the first batch that needs it."""
    made, expected = sequential
    lake = ingested(tmp_path / "lake", made)
    rng = random.Random(seed)
    for drop in rng.sample(made, 3):
        record_dedup_state(lake, drop.batch_id, rules_for)
    for drop in rng.sample(made, len(made)):
        clean_partition(lake, drop.batch_id, rules_for)
    assert cleaned_files(lake, made) == expected
    quarantine = [lake.scan_quarantine("cleaned", d.batch_id).collect() for d in made]
    reasons = [reason for frame in quarantine for reason in frame["reason"]]
    assert reasons.count("exact_duplicate") >= 5 * 15 and reasons.count("near_duplicate") >= 5 * 5
    assert all(lake.stats("cleaned", d.batch_id)["records_out"] >= 40 for d in made)


def test_every_batch_cleaning_at_once_gives_the_sequential_bytes(sequential, tmp_path: Path) -> None:
    made, expected = sequential
    lake = ingested(tmp_path / "lake", made)
    with ThreadPoolExecutor(BATCHES) as pool:
        states = list(pool.map(lambda drop: record_dedup_state(lake, drop.batch_id, rules_for), made[::2]))
        list(pool.map(lambda drop: clean_partition(lake, drop.batch_id, rules_for), made[::-1]))
    assert all(entries > 0 for entries in states)
    assert cleaned_files(lake, made) == expected


def test_a_batch_still_being_ingested_is_waited_for_and_a_failed_one_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = drops(tmp_path)
    lake = Lake(tmp_path / "lake")
    first, second, third = made[:3]
    for drop in (first, second, third):
        if drop is second:  # numbered, but its raw partition never appears
            lake.batch_sequence(drop.batch_id, "s", "2.jsonl")
            continue
        ingest_drop(lake, drop, chunk_rows=25)
        lake.record_gate("raw", drop.batch_id, {"passed": True})
    monkeypatch.setattr(earlier, "EARLIER_WAIT_SECONDS", 1.5)
    with pytest.raises(EarlierBatchPendingError, match=r"s:2.jsonl \(#2\) still had no raw partition"):
        clean_partition(lake, third.batch_id, rules_for)
    assert not lake.has_partition("cleaned", third.batch_id)
    lake.mark_ingestion(second.batch_id, failed=True)
    clean_partition(lake, third.batch_id, rules_for)
    assert lake.stats("cleaned", third.batch_id)["records_out"] > 0
