"""Gopher's repetition measures over token hashes, in compiled loops (one document per task).

For a document of tokens t_0..t_m-1 with lengths in code points:

- top n-gram characters (n = 2, 3, 4): the most frequent n-gram (the first seen among equals)
  times its length written with single spaces, as Gopher's "top n-gram character fraction";
- duplicate n-gram characters (n = 5..10): a left-to-right scan that remembers every n-gram it
  has seen; a repeat adds its characters and the scan jumps past it, so overlapping repeats
  are not counted twice.

N-grams are identified by a polynomial hash (mod 2^64) of their tokens' exact hashes, read in
O(1) from prefix hashes; a collision needs two different n-grams of one document to agree on
64 bits.
"""

from __future__ import annotations

import numba
import numpy as np

from data_platform.text.tokens import NO_REFCOUNT, Tokens

MIX = np.uint64(0x9E3779B97F4A7C15)


@numba.njit(cache=True, nogil=True, inline="always")
def _gram_hash(pre: np.ndarray, power: np.uint64, start: int, n: int) -> np.uint64:
    h = pre[start + n] - pre[start] * power
    return h ^ (h >> np.uint64(29))


@numba.njit(cache=True, nogil=True, inline="always")
def _slot(keys: np.ndarray, used: np.ndarray, key: np.uint64) -> int:
    mask = np.uint64(len(keys) - 1)
    slot = key & mask
    while used[slot] and keys[slot] != key:
        slot = (slot + np.uint64(1)) & mask
    return int(slot)


@numba.njit(cache=True, nogil=True, inline="always")
def _top_gram_chars(pre, chars, power, n: int, keys, used, counts, first) -> int:
    grams = len(pre) - n
    if grams <= 0:
        return 0
    used[:] = False
    best_count, best_first = 0, 0
    for start in range(grams):
        key = _gram_hash(pre, power, start, n)
        slot = _slot(keys, used, key)
        if not used[slot]:
            used[slot], keys[slot], counts[slot], first[slot] = True, key, 0, start
        counts[slot] += 1
        c = counts[slot]
        if c > best_count or (c == best_count and first[slot] < best_first):
            best_count, best_first = c, first[slot]
    return (chars[best_first + n] - chars[best_first] + n - 1) * best_count


@numba.njit(cache=True, nogil=True, inline="always")
def _duplicate_gram_chars(pre, chars, power, n: int, keys, used) -> int:
    used[:] = False
    repeated, start, grams = 0, 0, len(pre) - n
    while start < grams:
        key = _gram_hash(pre, power, start, n)
        slot = _slot(keys, used, key)
        if used[slot]:
            repeated += chars[start + n] - chars[start]
            start += n
        else:
            used[slot], keys[slot] = True, key
            start += 1
    return repeated


@numba.njit(cache=True, nogil=True, inline="always")
def _power(n: int) -> np.uint64:
    power = np.uint64(1)
    for _ in range(n):
        power *= MIX
    return power


@numba.njit(cache=True, nogil=True, **NO_REFCOUNT)
def _measure_doc(hashes, lengths, top_ns, dup_ns, pre, chars, keys, used, counts, first, top, dup) -> None:
    """One document's measures into ``top`` and ``dup``, using the scratch arrays given (sized
    for it). Compiled without reference counting, which costs more than the hashing here."""
    pre[0], chars[0] = 0, 0
    for k in range(len(hashes)):
        pre[k + 1] = pre[k] * MIX + hashes[k]
        chars[k + 1] = chars[k] + lengths[k]
    pre, chars = pre[: len(hashes) + 1], chars[: len(hashes) + 1]
    capacity = 16
    while capacity < 2 * len(pre):
        capacity *= 2
    keys, used, counts, first = keys[:capacity], used[:capacity], counts[:capacity], first[:capacity]
    for j in range(len(top_ns)):
        top[j] = _top_gram_chars(pre, chars, _power(top_ns[j]), top_ns[j], keys, used, counts, first)
    for j in range(len(dup_ns)):
        # No repeated n-gram means no repeated longer one (its first n tokens would repeat):
        # most documents stop after the shortest size (``dup_ns`` ascending).
        if j > 0 and dup[j - 1] == 0:
            dup[j] = 0
            continue
        dup[j] = _duplicate_gram_chars(pre, chars, _power(dup_ns[j]), dup_ns[j], keys, used)


@numba.njit(cache=True, nogil=True, parallel=True)
def _measure(hashes, lengths, offsets, top_ns, dup_ns, blocks):
    """Documents in ``blocks`` contiguous groups, one task each, scratch space per group."""
    docs = len(offsets) - 1
    top = np.zeros((docs, len(top_ns)), dtype=np.int64)
    dup = np.zeros((docs, len(dup_ns)), dtype=np.int64)
    for b in numba.prange(blocks):
        lo, hi = docs * b // blocks, docs * (b + 1) // blocks
        longest = 0
        for d in range(lo, hi):
            longest = max(longest, offsets[d + 1] - offsets[d])
        capacity = 16
        while capacity < 2 * (longest + 1):
            capacity *= 2
        pre = np.empty(longest + 1, dtype=np.uint64)
        chars = np.empty(longest + 1, dtype=np.int64)
        keys = np.empty(capacity, dtype=np.uint64)
        used = np.zeros(capacity, dtype=np.bool_)
        counts = np.empty(capacity, dtype=np.int64)
        first = np.empty(capacity, dtype=np.int64)
        for d in range(lo, hi):
            start, stop = offsets[d], offsets[d + 1]
            _measure_doc(
                hashes[start:stop], lengths[start:stop], top_ns, dup_ns,
                pre, chars, keys, used, counts, first, top[d], dup[d],
            )  # fmt: skip
    return top, dup


def ngram_repetition(
    tokens: Tokens, top_ns: tuple[int, ...], duplicate_ns: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Per document: top n-gram characters (one column per ``top_ns``) and duplicate n-gram
    characters (one column per ``duplicate_ns``, which must be ascending)."""
    if list(duplicate_ns) != sorted(duplicate_ns):
        raise ValueError(f"duplicate n-gram sizes must be ascending, got {duplicate_ns}")
    return _measure(
        tokens.exact,
        tokens.length,
        tokens.offsets,
        np.array(top_ns, dtype=np.int64),
        np.array(duplicate_ns, dtype=np.int64),
        max(1, min(64, (len(tokens.offsets) - 1) // 64)),
    )
