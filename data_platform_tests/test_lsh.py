"""The compiled band table finds exactly the pairs a join of band keys finds."""

from __future__ import annotations

import numpy as np

from data_platform.text.lsh import BandTable


def brute_pairs(query: np.ndarray, indexed: np.ndarray, live: np.ndarray, below: int) -> set[tuple[int, int]]:
    found = set()
    for i, keys in enumerate(query):
        if not live[i]:
            continue
        for other, other_keys in enumerate(indexed):
            earlier = below < 0 or other < below + i
            if earlier and np.any(keys == other_keys):
                found.add((i, other))
    return found


def random_keys(rng: np.random.Generator, rows: int, bands: int) -> np.ndarray:
    # Few distinct values per band, so many rows share keys and chains grow long.
    return (rng.integers(0, 40, size=(rows, bands)) * 1_000 + np.arange(bands)).astype(np.uint64)


def test_pairs_match_a_brute_force_join_across_many_adds_and_growth() -> None:
    rng = np.random.default_rng(3)
    bands, table, indexed = 4, BandTable(4), []
    for _ in range(6):  # 6 x 300 rows x 4 bands forces the slot table to grow several times
        chunk = random_keys(rng, 300, bands)
        live = rng.random(300) > 0.1
        everything = np.vstack([*indexed, chunk]) if indexed else chunk
        expected = brute_pairs(chunk, np.vstack(indexed) if indexed else chunk[:0], live, -1)
        rows, others = table.pairs(chunk, live)
        assert set(zip(rows.tolist(), others.tolist(), strict=True)) == expected
        first = table.rows
        table.add(chunk, live)
        indexed.append(np.where(live[:, None], chunk, np.uint64(2**63)))  # dead rows match nothing
        rows, others = table.pairs(chunk, live, below=first)
        expected_self = brute_pairs(chunk, np.vstack(indexed), live, first)
        assert set(zip(rows.tolist(), others.tolist(), strict=True)) == expected_self
        assert len(everything) == table.rows


def test_pairs_outgrow_the_first_output_buffer() -> None:
    keys = np.full((600, 2), 7, dtype=np.uint64)  # every row shares every key: 600 x 600 x 2 hits
    table = BandTable(2)
    table.add(keys, np.ones(600, dtype=bool))
    rows, others = table.pairs(keys, np.ones(600, dtype=bool))
    assert len(rows) == 600 * 600
    assert set(np.unique(others).tolist()) == set(range(600))
