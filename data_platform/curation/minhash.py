"""MinHash signatures over word n-gram shingles, computed column-wise and in compiled loops.

For a chunk of documents:

1. Polars lowercases the whole column; a compiled pass over its UTF-8 buffer splits words
   (close to Unicode ``\\w``, see ``_word_byte``) and hashes each with 64-bit FNV-1a, stable
   across versions and machines, so a persisted index stays valid after an upgrade;
2. the word hashes are kept (repetition rules will read the same arrays);
3. ``ngram`` consecutive word hashes of one document are combined into a 32-bit shingle hash
   (a document shorter than ``ngram`` words gets one shingle of all its words);
4. signatures follow datasketch's ``affine32`` scheme exactly: the shingle hash is pre-mixed
   with the MurmurHash3 finaliser, then ``a_k * h + b_k mod 2^32`` per permutation, minimum per
   document. With the same shingle hashes and permutations the result equals
   ``datasketch.MinHash(scheme="affine32")`` (tested), so datasketch's LSH, including its
   Redis storage, stays a drop-in for the scale-out path.

Steps 2-4 are numba kernels: one fused pass per shingle over all permutations, documents
spread over the cores. No Python loop runs per document.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
import polars as pl
from datasketch import MinHash

FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)
SHINGLE_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
EMPTY = np.uint32(0xFFFFFFFF)


@dataclass(frozen=True)
class MinHashParams:
    """Shingle size, permutations and the LSH banding (``bands * rows == num_perm``)."""

    ngram: int = 5
    num_perm: int = 112
    bands: int = 14
    rows: int = 8
    seed: int = 1

    def __post_init__(self) -> None:
        if self.bands * self.rows != self.num_perm:
            raise ValueError(
                f"bands x rows ({self.bands} x {self.rows}) must equal num_perm ({self.num_perm})"
            )
        if self.ngram < 1:
            raise ValueError("ngram must be at least 1")

    def permutations(self) -> tuple[np.ndarray, np.ndarray]:
        """datasketch's own affine32 permutation parameters for this seed (a, b as uint32)."""
        a, b = MinHash(num_perm=self.num_perm, seed=self.seed, scheme="affine32").permutations
        return a.astype(np.uint32), b.astype(np.uint32)

    def threshold(self) -> float:
        """Jaccard similarity at which a pair becomes a candidate with probability ~1/2."""
        return float((1 / self.bands) ** (1 / self.rows))


@dataclass(frozen=True)
class Shingled:
    """Shingle hashes of a chunk: ``hashes[offsets[d]:offsets[d + 1]]`` belong to document d."""

    hashes: np.ndarray
    offsets: np.ndarray


def text_buffers(texts: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """The lowercased texts as one UTF-8 byte buffer and document offsets (nulls are empty)."""
    lowered = texts.fill_null("").str.to_lowercase().rechunk().to_arrow(compat_level=pl.CompatLevel.oldest())
    _, offsets_buffer, data_buffer = lowered.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[
        lowered.offset : lowered.offset + len(lowered) + 1
    ]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(1, np.uint8)
    return data, offsets


@numba.njit(cache=True, nogil=True, inline="always")
def _char(data: np.ndarray, i: int, end: int) -> tuple[int, bool]:
    """Byte width of the UTF-8 character at ``i`` and whether it belongs to a word.

    Word characters are ASCII letters, digits and ``_``, and every non-ASCII character except
    the punctuation blocks below: Python's ``\\w`` without a regex engine per byte. Unlike
    ``\\w``, combining marks (U+0300...) stay inside their word.
    """
    c = data[i]
    if c < 0x80:
        return 1, (48 <= c <= 57) or (97 <= c <= 122) or (65 <= c <= 90) or c == 95
    width = 1 if c < 0xC0 else (2 if c < 0xE0 else (3 if c < 0xF0 else 4))
    second = data[i + 1] if i + 1 < end else 0
    third = data[i + 2] if i + 2 < end else 0
    if c == 0xC2:
        # U+00A0-U+00BF is punctuation and symbols, but for ª ² ³ µ ¹ º ¼ ½ ¾.
        return width, second < 0xA0 or second in (0xAA, 0xB2, 0xB3, 0xB5, 0xB9, 0xBA, 0xBC, 0xBD, 0xBE)
    if (c == 0xE2 and (second == 0x80 or second == 0x81)) or (c == 0xE3 and second == 0x80):
        return width, False  # General Punctuation, CJK Symbols and Punctuation
    if c == 0xEF and second == 0xBC:
        # Fullwidth punctuation: U+FF00-U+FF0F, U+FF1A-U+FF20, U+FF3B-U+FF3F.
        return width, not (third <= 0x8F or 0x9A <= third <= 0xA0 or third >= 0xBB)
    if c == 0xEF and second == 0xBD:
        return width, not (third == 0x80 or 0x9B <= third <= 0xA5)  # U+FF40, U+FF5B-U+FF65
    return width, True


@numba.njit(cache=True, nogil=True)
def _count_words(data: np.ndarray, start: int, end: int) -> int:
    words, inside, i = 0, False, start
    while i < end:
        width, is_word = _char(data, i, end)
        if is_word and not inside:
            words += 1
        inside = is_word
        i += width
    return words


@numba.njit(cache=True, nogil=True)
def _hash_words(data: np.ndarray, start: int, end: int, out: np.ndarray, at: int) -> None:
    """64-bit FNV-1a of each word, written from ``out[at]`` on."""
    h, inside, i = FNV_OFFSET, False, start
    while i < end:
        width, is_word = _char(data, i, end)
        if is_word:
            for j in range(i, min(i + width, end)):
                h = (h ^ np.uint64(data[j])) * FNV_PRIME
        elif inside:
            out[at] = h
            at += 1
            h = FNV_OFFSET
        inside = is_word
        i += width
    if inside:
        out[at] = h


@numba.njit(cache=True, nogil=True, parallel=True)
def _tokenize(data: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    docs = len(offsets) - 1
    counts = np.empty(docs, dtype=np.int64)
    for d in numba.prange(docs):
        counts[d] = _count_words(data, offsets[d], offsets[d + 1])
    starts = np.zeros(docs + 1, dtype=np.int64)
    for d in range(docs):
        starts[d + 1] = starts[d] + counts[d]
    hashes = np.empty(starts[-1], dtype=np.uint64)
    for d in numba.prange(docs):
        _hash_words(data, offsets[d], offsets[d + 1], hashes, starts[d])
    return hashes, counts


def word_hashes(texts: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """Stable 64-bit hashes of the lowercased words of every text, and words per text."""
    return _tokenize(*text_buffers(texts))


@numba.njit(cache=True, nogil=True)
def _fold32(h: np.uint64) -> np.uint32:
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    return np.uint32(h >> np.uint64(32))


@numba.njit(cache=True, nogil=True)
def _shingle(word_hashes: np.ndarray, counts: np.ndarray, ngram: int) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    for d in range(len(counts)):
        n = counts[d]
        offsets[d + 1] = offsets[d] + (n - ngram + 1 if n >= ngram else (1 if n > 0 else 0))
    hashes = np.empty(offsets[-1], dtype=np.uint32)
    start = 0
    for d in range(len(counts)):
        n = counts[d]
        width = ngram if n >= ngram else n
        for s in range(offsets[d + 1] - offsets[d]):
            h = np.uint64(0)
            for t in range(width):
                h = h * SHINGLE_MULTIPLIER + word_hashes[start + s + t]
            hashes[offsets[d] + s] = _fold32(h)
        start += n
    return hashes, offsets


def shingle(texts: pl.Series, ngram: int) -> Shingled:
    hashes, offsets = _shingle(*word_hashes(texts), ngram)
    return Shingled(hashes=hashes, offsets=offsets)


@numba.njit(cache=True, nogil=True)
def _fmix32(h: np.uint32) -> np.uint32:
    h ^= h >> np.uint32(16)
    h = np.uint32((np.uint64(h) * np.uint64(0x85EBCA6B)) & np.uint64(0xFFFFFFFF))
    h ^= h >> np.uint32(13)
    h = np.uint32((np.uint64(h) * np.uint64(0xC2B2AE35)) & np.uint64(0xFFFFFFFF))
    return h ^ (h >> np.uint32(16))


@numba.njit(cache=True, nogil=True, parallel=True)
def _signatures(hashes: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    docs, perms = len(offsets) - 1, len(a)
    out = np.full((docs, perms), EMPTY, dtype=np.uint32)
    mask = np.uint64(0xFFFFFFFF)
    for d in numba.prange(docs):
        row = out[d]
        for s in range(offsets[d], offsets[d + 1]):
            h = np.uint64(_fmix32(hashes[s]))
            for k in range(perms):
                value = np.uint32((np.uint64(a[k]) * h + np.uint64(b[k])) & mask)
                if value < row[k]:
                    row[k] = value
    return out


def signatures(shingled: Shingled, params: MinHashParams) -> np.ndarray:
    """One row of ``num_perm`` uint32 minima per document (all 0xFFFFFFFF for no words)."""
    a, b = params.permutations()
    return _signatures(shingled.hashes, shingled.offsets, a, b)


@numba.njit(cache=True, nogil=True)
def _band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    keys = np.empty((signatures.shape[0], bands), dtype=np.uint64)
    for d in range(signatures.shape[0]):
        for band in range(bands):
            h = np.uint64(band + 1)
            for r in range(rows):
                h = h * SHINGLE_MULTIPLIER + np.uint64(signatures[d, band * rows + r])
            keys[d, band] = h ^ (h >> np.uint64(29))
    return keys


def band_keys(signatures: np.ndarray, params: MinHashParams) -> np.ndarray:
    """A 64-bit key per (document, band): documents sharing any band key are candidates."""
    return _band_keys(signatures, params.bands, params.rows)


def estimated_jaccard(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Fraction of equal signature positions, row by row."""
    return (left == right).mean(axis=1)
