"""The LSH band table: which earlier rows share a band key with a row, found in compiled code.

A multimap from 64-bit band key to the rows carrying it, held in flat arrays: an open-addressing
table of slots (the key and, beside it in the same cache line, the newest entry with that key),
and per entry (row x band) the previous entry with the same key. Adding a chunk and finding its
candidates both cost time in proportion to the chunk (and the candidates found), not to
everything indexed before, which a join of the chunk's keys with all earlier keys would.
"""

from __future__ import annotations

import numba
import numpy as np

from data_platform.text.tokens import NO_REFCOUNT

EMPTY_SLOT = -1


@numba.njit(cache=True, nogil=True, inline="always")
def _slot(slots: np.ndarray, key: np.int64) -> int:
    """The slot holding ``key``, or the empty slot where it belongs (linear probing). A slot is
    (key, newest entry or EMPTY_SLOT)."""
    mask = slots.shape[0] - 1
    mixed = np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)
    at = int(mixed >> np.uint64(20)) & mask
    while slots[at, 1] != EMPTY_SLOT and slots[at, 0] != key:
        at = (at + 1) & mask
    return at


@numba.njit(cache=True, nogil=True, **NO_REFCOUNT)
def _insert(keys, live, first_row, slots, previous) -> int:
    """Index rows ``first_row + i`` by their band keys (rows not ``live`` are skipped); returns
    how many slots were newly taken."""
    bands, taken = keys.shape[1], 0
    for i in range(keys.shape[0]):
        if not live[i]:
            continue
        for band in range(bands):
            entry = (first_row + i) * bands + band
            at = _slot(slots, keys[i, band])
            if slots[at, 1] == EMPTY_SLOT:
                slots[at, 0] = keys[i, band]
                taken += 1
            previous[entry] = slots[at, 1]
            slots[at, 1] = entry
    return taken


@numba.njit(cache=True, nogil=True, **NO_REFCOUNT)
def _rehash(old, slots) -> None:
    for at in range(old.shape[0]):
        if old[at, 1] != EMPTY_SLOT:
            moved = _slot(slots, old[at, 0])
            slots[moved, 0], slots[moved, 1] = old[at, 0], old[at, 1]


@numba.njit(cache=True, nogil=True, **NO_REFCOUNT)
def _pairs(keys, live, slots, previous, bands, below, out_rows, out_others) -> int:
    """(row, other) for every other row sharing a band key with row ``i`` (and, with ``below``
    >= 0, numbered below ``below + i``); returns how many pairs (more than the output holds
    means: call again with room for that many)."""
    found = 0
    for i in range(keys.shape[0]):
        if not live[i]:
            continue
        for band in range(bands):
            entry = slots[_slot(slots, keys[i, band]), 1]
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
        self.slots = _empty_slots(1024)
        self.previous = np.empty(0, dtype=np.int64)

    def add(self, keys: np.ndarray, live: np.ndarray) -> None:
        """Append rows with their band keys (``rows x bands``); rows not ``live`` never match."""
        self._make_room(keys.shape[0])
        self.taken += _insert(keys.view(np.int64), live, self.rows, self.slots, self.previous)
        self.rows += keys.shape[0]

    def pairs(self, keys: np.ndarray, live: np.ndarray, below: int = -1) -> tuple[np.ndarray, np.ndarray]:
        """Distinct (row of ``keys``, indexed row) pairs sharing a band key. With ``below`` >= 0
        the rows of ``keys`` are the indexed rows from ``below`` on, and only earlier indexed
        rows count."""
        size = 1 << 16
        while True:
            rows, others = np.empty(size, np.int64), np.empty(size, np.int64)
            found = _pairs(
                keys.view(np.int64), live, self.slots, self.previous, self.bands, below, rows, others
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
        capacity = self.slots.shape[0]
        while 2 * (self.taken + new_rows * self.bands) > capacity:
            capacity *= 2
        if capacity != self.slots.shape[0]:
            old, self.slots = self.slots, _empty_slots(capacity)
            _rehash(old, self.slots)


def _empty_slots(capacity: int) -> np.ndarray:
    slots = np.zeros((capacity, 2), dtype=np.int64)
    slots[:, 1] = EMPTY_SLOT
    return slots
