"""The LSH band table: which earlier rows share a band key with a row, found in compiled code.

A multimap from 64-bit band key to the rows carrying it, held in flat arrays: an open-addressing
table of keys, each slot pointing at the newest entry with that key, and per entry (row x band)
the previous entry with the same key. Adding a chunk and finding its candidates both cost time
in proportion to the chunk (and the candidates found), not to everything indexed before, which
a join of the chunk's keys with all earlier keys would.
"""

from __future__ import annotations

import numba
import numpy as np

EMPTY_SLOT = -1


@numba.njit(cache=True, nogil=True, inline="always")
def _slot(slot_keys: np.ndarray, slot_heads: np.ndarray, key: np.uint64) -> int:
    """The slot holding ``key``, or the empty slot where it belongs (linear probing)."""
    mask = len(slot_keys) - 1
    at = int((key ^ (key >> np.uint64(31))) * np.uint64(0x9E3779B97F4A7C15) >> np.uint64(20)) & mask
    while slot_heads[at] != EMPTY_SLOT and slot_keys[at] != key:
        at = (at + 1) & mask
    return at


@numba.njit(cache=True, nogil=True, _nrt=False)
def _insert(keys, live, first_row, slot_keys, slot_heads, previous) -> int:
    """Index rows ``first_row + i`` by their band keys (rows not ``live`` are skipped); returns
    how many slots were newly taken."""
    bands, taken = keys.shape[1], 0
    for i in range(keys.shape[0]):
        if not live[i]:
            continue
        for band in range(bands):
            entry = (first_row + i) * bands + band
            at = _slot(slot_keys, slot_heads, keys[i, band])
            if slot_heads[at] == EMPTY_SLOT:
                slot_keys[at] = keys[i, band]
                taken += 1
            previous[entry] = slot_heads[at]
            slot_heads[at] = entry
    return taken


@numba.njit(cache=True, nogil=True, _nrt=False)
def _rehash(old_keys, old_heads, slot_keys, slot_heads) -> None:
    for at in range(len(old_keys)):
        if old_heads[at] != EMPTY_SLOT:
            moved = _slot(slot_keys, slot_heads, old_keys[at])
            slot_keys[moved], slot_heads[moved] = old_keys[at], old_heads[at]


@numba.njit(cache=True, nogil=True, _nrt=False)
def _pairs(keys, live, slot_keys, slot_heads, previous, bands, below, out_rows, out_others) -> int:
    """(row, other) for every other row sharing a band key with row ``i`` (and, with ``below``
    >= 0, numbered below ``below + i``); returns how many pairs (more than the output holds
    means: call again with room for that many)."""
    found = 0
    for i in range(keys.shape[0]):
        if not live[i]:
            continue
        for band in range(bands):
            at = _slot(slot_keys, slot_heads, keys[i, band])
            entry = slot_heads[at]
            while entry != EMPTY_SLOT:
                other = entry // bands
                if below < 0 or other < below + i:
                    if found < len(out_rows):
                        out_rows[found], out_others[found] = i, other
                    found += 1
                entry = previous[entry]
    return found


class BandTable:
    """Band keys of rows ``0 .. rows - 1`` (``bands`` keys per row)."""

    def __init__(self, bands: int) -> None:
        self.bands, self.rows, self.taken = bands, 0, 0
        self.slot_keys = np.zeros(1024, dtype=np.uint64)
        self.slot_heads = np.full(1024, EMPTY_SLOT, dtype=np.int64)
        self.previous = np.empty(0, dtype=np.int64)

    def add(self, keys: np.ndarray, live: np.ndarray) -> None:
        """Append rows with their band keys (``rows x bands``); rows not ``live`` never match."""
        self._make_room(keys.shape[0])
        self.taken += _insert(keys, live, self.rows, self.slot_keys, self.slot_heads, self.previous)
        self.rows += keys.shape[0]

    def pairs(self, keys: np.ndarray, live: np.ndarray, below: int = -1) -> tuple[np.ndarray, np.ndarray]:
        """Distinct (row of ``keys``, indexed row) pairs sharing a band key. With ``below`` >= 0
        the rows of ``keys`` are the indexed rows from ``below`` on, and only earlier indexed
        rows count."""
        size = 1 << 16
        while True:
            rows, others = np.empty(size, np.int64), np.empty(size, np.int64)
            found = _pairs(
                keys, live, self.slot_keys, self.slot_heads, self.previous, self.bands, below, rows, others
            )
            if found <= size:
                break
            size = found
        combined = np.unique((rows[:found] << 32) | others[:found])
        return combined >> 32, combined & 0xFFFFFFFF

    def _make_room(self, new_rows: int) -> None:
        entries = (self.rows + new_rows) * self.bands
        if len(self.previous) < entries:
            grown = np.empty(max(entries, 2 * len(self.previous)), dtype=np.int64)
            grown[: len(self.previous)] = self.previous
            self.previous = grown
        capacity = len(self.slot_keys)
        while 2 * (self.taken + new_rows * self.bands) > capacity:
            capacity *= 2
        if capacity != len(self.slot_keys):
            old_keys, old_heads = self.slot_keys, self.slot_heads
            self.slot_keys = np.zeros(capacity, dtype=np.uint64)
            self.slot_heads = np.full(capacity, EMPTY_SLOT, dtype=np.int64)
            _rehash(old_keys, old_heads, self.slot_keys, self.slot_heads)
