"""One tokenisation of a chunk of texts, shared by near-dedup and the quality rules.

A compiled pass over each text's UTF-8 bytes splits it into tokens the way web-scale curation
tools (spaCy's rule-based English tokenizer, as used by datatrove) do closely enough that the
Gopher, C4 and FineWeb rules take the same decisions:

- whitespace separates chunks; ``http(s)://`` and ``www.`` chunks are one token;
- a word is a run of letters, digits and combining marks, joined across ``. / ; _ @ &`` and,
  between digits, ``, :`` (``3.5``, ``1,000``, ``10:30``, ``and/or``), but split at a lowercase
  to uppercase full stop (``end.The``), at hyphens (``well - known``) and before the English
  clitics ``'s 'm 'd 'll 're 've n't``;
- a full stop stays on a single letter or a known abbreviation (``A.``, ``Mr.``, ``U.S.``);
- every other punctuation mark is a token of its own, except runs of ``.`` or ``-`` (``...``,
  ``--``), which are one token.

Per token the pass records its length in code points, whether it is a symbol (no letter, digit
or mark), whether it holds a letter, and two stable 64-bit FNV-1a hashes over its code points:
as written (repetition rules compare tokens exactly) and lowercased (MinHash shingles).
Character classes come from a table of every code point, built once per process from Unicode
properties (Polars' regex engine) and Python's own case mapping.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
import polars as pl
import pyarrow as pa

SPACE, ALPHA, WORD, TERMINAL, UPPER, LOWER, DIGIT = 1, 2, 4, 8, 16, 32, 64
# numba's ``_nrt=False``: compiled without the runtime's reference counting, for kernels that
# allocate nothing. The option is private and absent from numba's type hints: passed as a dict.
NO_REFCOUNT: dict[str, Any] = {"_nrt": False}
CHAR_COUNTS = ("upper", "lower", "letters", "visible", "broken")
FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)
SYMBOL_TOKEN, ALPHA_TOKEN = np.uint8(1), np.uint8(2)
CANNOT = np.array([ord(c) for c in "cannot"], dtype=np.int32)
EM = np.array([ord(c) for c in "em"], dtype=np.int32)

# Tokens that keep their full stop (lowercased, without it). Single letters always keep it.
ABBREVIATIONS = [
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jr",
    "sr",
    "prof",
    "rev",
    "hon",
    "gen",
    "col",
    "capt",
    "lt",
    "sgt",
    "gov",
    "sen",
    "rep",
    "mt",
    "ft",
    "vs",
    "inc",
    "ltd",
    "co",
    "corp",
    "dept",
    "est",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
]


@dataclass(frozen=True)
class Tokens:
    """Tokens of a chunk: ``[offsets[d], offsets[d + 1])`` belong to document d."""

    exact: np.ndarray  # uint64 hash of the token as written
    folded: np.ndarray  # uint64 hash of the lowercased token
    length: np.ndarray  # int32 code points
    kind: np.ndarray  # uint8 SYMBOL_TOKEN | ALPHA_TOKEN bits
    offsets: np.ndarray  # int64, documents + 1
    # Per document, counted in the same pass: capitals, lowercase letters, letters, visible
    # (non-space) characters, and replacement or private-use characters (``CHAR_COUNTS``).
    chars: np.ndarray | None = None

    @property
    def counts(self) -> np.ndarray:
        return np.diff(self.offsets)

    def take(self, docs: np.ndarray) -> Tokens:
        """The tokens of documents ``docs`` (indices, in that order)."""
        starts, sizes = self.offsets[docs], self.counts[docs]
        offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        at = np.repeat(starts - offsets[:-1], sizes) + np.arange(offsets[-1])
        chars = None if self.chars is None else self.chars[docs]
        return Tokens(self.exact[at], self.folded[at], self.length[at], self.kind[at], offsets, chars)

    def words(self) -> Tokens:
        """The tokens that are not symbols (what MinHash shingles are made of)."""
        keep = (self.kind & SYMBOL_TOKEN) == 0
        kept_before = np.concatenate([[0], np.cumsum(keep)])
        return Tokens(
            exact=self.exact[keep],
            folded=self.folded[keep],
            length=self.length[keep],
            kind=self.kind[keep],
            offsets=kept_before[self.offsets].astype(np.int64),
            chars=self.chars,
        )


@functools.cache
def char_tables() -> tuple[np.ndarray, np.ndarray]:
    """Class bits and lowercase mapping for every code point (surrogates: neither). Built with
    no Python loop over the 1.1 million code points: that cost a second in every process."""
    codes = np.concatenate([np.arange(0xD800), np.arange(0xE000, 0x110000)])
    found = pl.DataFrame({"c": _one_string_each(codes)}).select(
        space=pl.col("c").str.contains(r"^\s$"),
        alpha=pl.col("c").str.contains(r"^\p{L}$"),
        word=pl.col("c").str.contains(r"^[\p{L}\p{N}\p{M}]$"),
        terminal=pl.col("c").str.contains(r"^\p{Sentence_Terminal}$"),
        upper=pl.col("c").str.contains(r"^\p{Uppercase}$"),
        lower=pl.col("c").str.contains(r"^\p{Lowercase}$"),
        digit=pl.col("c").str.contains(r"^\p{Nd}$"),
        lowered=pl.col("c").str.to_lowercase(),
    )
    classes = np.zeros(0x110000, dtype=np.uint8)
    for bit, column in (
        (SPACE, "space"),
        (ALPHA, "alpha"),
        (WORD, "word"),
        (TERMINAL, "terminal"),
        (UPPER, "upper"),
        (LOWER, "lower"),
        (DIGIT, "digit"),
    ):
        classes[codes[found[column].to_numpy()]] |= bit
    classes[0x1C:0x20] |= SPACE  # Python's str.split() also splits on these separators
    lowered = found["lowered"]
    single = (lowered.str.len_chars() == 1).to_numpy()
    lower = np.arange(0x110000, dtype=np.int32)
    # the single-character lower cases, joined, are one string of as many code points
    joined = bytes(utf8_buffers(lowered.filter(single))[0]).decode("utf-8")
    lower[codes[single]] = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    return classes, lower


def _one_string_each(codes: np.ndarray) -> pl.Series:
    """A Series holding each code point of ``codes`` (no surrogates) as a one-character string,
    built from its UTF-8 bytes and offsets."""
    data = "".join(map(chr, codes.tolist())).encode("utf-8")
    widths = 1 + (codes >= 0x80).astype(np.int64) + (codes >= 0x800) + (codes >= 0x10000)
    offsets = np.concatenate([[0], np.cumsum(widths)])
    array = pa.LargeStringArray.from_buffers(len(codes), pa.py_buffer(offsets), pa.py_buffer(data))
    return pl.Series(pl.from_arrow(array))


def _fnv(text: str) -> np.uint64:
    h = FNV_OFFSET
    for c in text:
        h = np.uint64((int(h) ^ ord(c)) * int(FNV_PRIME) & 0xFFFFFFFFFFFFFFFF)
    return h


def token_hash(text: str) -> int:
    """The ``exact`` hash the tokeniser gives a token with this text."""
    return int(_fnv(text))


@functools.cache
def _abbreviation_hashes() -> np.ndarray:
    return np.array(sorted(token_hash(a) for a in ABBREVIATIONS), dtype=np.uint64)


def utf8_buffers(texts: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """The texts as one UTF-8 byte buffer and document offsets (nulls are empty)."""
    arrow = texts.fill_null("").rechunk().to_arrow(compat_level=pl.CompatLevel.oldest())
    _, offsets_buffer, data_buffer = arrow.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[arrow.offset : arrow.offset + len(arrow) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(1, np.uint8)
    return data, offsets


@numba.njit(cache=True, nogil=True)
def _decode(data: np.ndarray, start: int, end: int, out: np.ndarray) -> int:
    """Code points of ``data[start:end]`` into ``out``; returns how many."""
    n, i = 0, start
    while i < end:
        c = np.int32(data[i])
        if c < 0x80:
            width, cp = 1, c
        elif c < 0xE0:
            width, cp = 2, c & 0x1F
        elif c < 0xF0:
            width, cp = 3, c & 0x0F
        else:
            width, cp = 4, c & 0x07
        for j in range(1, width):
            if i + j < end:
                cp = (cp << 6) | (np.int32(data[i + j]) & 0x3F)
        out[n] = cp
        n += 1
        i += width
    return n


@numba.njit(cache=True, nogil=True, inline="always")
def _is(classes: np.ndarray, cp: int, bit: int) -> bool:
    return bool((classes[cp] & bit) != 0)


@numba.njit(cache=True, nogil=True, inline="always")
def _is_affix(classes: np.ndarray, cp: int) -> bool:
    """Marks split off the start or end of a chunk one by one (hyphens stay: "-3", "--so")."""
    return not _is(classes, cp, WORD | SPACE) and cp != 45


@numba.njit(cache=True, nogil=True, inline="always")
def _run_end(cps: np.ndarray, i: int, end: int) -> int:
    stop = i + 1
    while stop < end and cps[stop] == cps[i]:
        stop += 1
    return stop


@numba.njit(cache=True, nogil=True, inline="always")
def _spells(lower: np.ndarray, cps: np.ndarray, start: int, word: np.ndarray) -> bool:
    for k in range(len(word)):  # noqa: SIM110 - numba compiles loops, not all() over generators
        if lower[cps[start + k]] != word[k]:
            return False
    return True


@numba.njit(cache=True, nogil=True, inline="always")
def _keeps_full_stop(classes, cps, lower, start: int, stop: int, abbreviations) -> bool:
    """Whether ``cps[start:stop]`` keeps the full stop after it (``A.``, ``Mr.``, ``U.S.``)."""
    if stop - start == 1:
        return _is(classes, cps[start], ALPHA)
    h = FNV_OFFSET
    inner_stop = False
    for i in range(start, stop):
        inner_stop = inner_stop or cps[i] == 46
        h = (h ^ np.uint64(lower[cps[i]])) * FNV_PRIME
    if inner_stop:
        return _is(classes, cps[stop - 1], ALPHA)
    k = np.searchsorted(abbreviations, h)
    return bool(k < len(abbreviations) and abbreviations[k] == h)


@numba.njit(cache=True, nogil=True, inline="always")
def _clitic_start(classes, lower, cps, start: int, end: int) -> int:
    """Start of an English clitic ending ``cps[start:end]`` ('s 'm 'd 'll 're 've n't), or -1."""
    for size in (2, 3):
        at = end - size
        if at <= start or not (cps[at] == 39 or cps[at] == 0x2019):
            continue
        a, b = lower[cps[at + 1]], lower[cps[end - 1]]
        if size == 2 and (a == 115 or a == 109 or a == 100):
            return at
        if size == 3 and ((a == 108 and b == 108) or (a == 114 and b == 101) or (a == 118 and b == 101)):
            return at
    at = end - 3
    apostrophe = cps[at + 1] == 39 or cps[at + 1] == 0x2019
    if at > start and lower[cps[at]] == 110 and apostrophe and lower[cps[end - 1]] == 116:
        return at
    return -1


@numba.njit(cache=True, nogil=True, inline="always")
def _infix_end(classes, cps, k: int, start: int, end: int) -> int:
    """End of the infix starting at ``k`` inside ``cps[start:end]``, or -1 when none starts there."""
    cp = cps[k]
    if (classes[cp] & WORD) != 0:  # letters and digits, nearly every character: never an infix
        return -1
    before = cps[k - 1] if k > start else 32
    if cp == 46 or cp == 0x2026:  # "..." splits wherever it stands; "end.The" at the full stop
        stop = _run_end(cps, k, end)
        if stop - k >= 2 or cp == 0x2026:
            return stop
        after = cps[k + 1] if k + 1 < end else 32
        return k + 1 if _is(classes, before, LOWER) and _is(classes, after, UPPER) else -1
    if k == start:
        return -1
    if cp == 45 or cp == 0x2013 or cp == 0x2014 or cp == 126:  # dashes between words
        stop = _run_end(cps, k, end)
        after = cps[stop] if stop < end else 32
        if _is(classes, before, WORD) and _is(classes, after, ALPHA):
            return stop
        if cp == 45 and stop == k + 1 and _is(classes, before, DIGIT) and _is(classes, after, DIGIT):
            return stop
        return -1
    after = cps[k + 1] if k + 1 < end else 32
    if cp == 44:  # comma between letters
        return k + 1 if _is(classes, before, ALPHA) and _is(classes, after, ALPHA) else -1
    if cp == 58 or cp == 60 or cp == 62 or cp == 61 or cp == 47:  # : < > = / before a letter
        return k + 1 if _is(classes, before, WORD) and _is(classes, after, ALPHA) else -1
    return -1


@numba.njit(cache=True, nogil=True, inline="always")
def _emit(classes, lower, cps, i: int, stop: int, whole: bool, exact, folded, length, kind, at: int) -> int:
    """Write the token ``cps[i:stop]`` at slot ``at`` (unless only counting); next slot."""
    if len(exact) > 0:
        h, f, flags = FNV_OFFSET, FNV_OFFSET, SYMBOL_TOKEN
        for k in range(i, stop):
            cp = cps[k]
            h = (h ^ np.uint64(cp)) * FNV_PRIME
            f = (f ^ np.uint64(lower[cp])) * FNV_PRIME
            if whole or _is(classes, cp, WORD):
                flags &= ~SYMBOL_TOKEN
            if _is(classes, cp, ALPHA):
                flags |= ALPHA_TOKEN
        exact[at], folded[at], length[at], kind[at] = h, f, stop - i, flags
    return at + 1


@numba.njit(cache=True, nogil=True, inline="always")
def _chunk_tokens(
    classes, lower, abbreviations, cps, i, end, suffixes, exact, folded, length, kind, at
) -> int:
    """Tokens of the whitespace-free chunk ``cps[i:end]``: prefixes, then the middle split at
    infixes, then suffixes (spaCy's order)."""
    if _is_url(cps, i, end):
        return _emit(classes, lower, cps, i, end, True, exact, folded, length, kind, at)
    while i < end and _is_affix(classes, cps[i]):
        stop = _run_end(cps, i, end) if cps[i] == 46 else i + 1
        if (cps[i] == 39 or cps[i] == 0x2019) and end - i >= 3 and _spells(lower, cps, i + 1, EM):
            stop = i + 3 if end == i + 3 or not _is(classes, cps[i + 3], WORD) else stop
        at = _emit(classes, lower, cps, i, stop, False, exact, folded, length, kind, at)
        i = stop
    count, j = 0, end  # suffixes[:count]: suffix start positions, outermost first
    while j > i and count < len(suffixes):
        c = cps[j - 1]
        after_word = c == 46 and j - 1 > i and _is(classes, cps[j - 2], WORD)
        if after_word and _keeps_full_stop(classes, cps, lower, i, j - 1, abbreviations):
            break
        if _is_affix(classes, c):
            start = j - 1
            while c == 46 and start > i and cps[start - 1] == 46:
                start -= 1
            suffixes[count], count, j = start, count + 1, start
            continue
        clitic = _clitic_start(classes, lower, cps, i, j)
        if clitic >= 0:
            suffixes[count], count, j = clitic, count + 1, clitic
        break
    if j - i == 6 and _spells(lower, cps, i, CANNOT):
        at = _emit(classes, lower, cps, i, i + 3, False, exact, folded, length, kind, at)
        i += 3
    piece, k = i, i
    while k < j:
        stop = _infix_end(classes, cps, k, i, j)
        if stop < 0:
            k += 1
            continue
        if k > piece:
            at = _emit(classes, lower, cps, piece, k, False, exact, folded, length, kind, at)
        at = _emit(classes, lower, cps, k, stop, False, exact, folded, length, kind, at)
        piece = k = stop
    if j > piece:
        at = _emit(classes, lower, cps, piece, j, False, exact, folded, length, kind, at)
    for s in range(count - 1, -1, -1):  # found outside-in, written inside-out
        suffix_end = end if s == 0 else suffixes[s - 1]
        at = _emit(classes, lower, cps, suffixes[s], suffix_end, False, exact, folded, length, kind, at)
    return at


@numba.njit(cache=True, nogil=True, inline="always")
def _is_url(cps: np.ndarray, start: int, end: int) -> bool:
    n = end - start
    if (
        n >= 5
        and cps[start] == 119
        and cps[start + 1] == 119
        and cps[start + 2] == 119
        and cps[start + 3] == 46
    ):
        return True
    if (
        n >= 8
        and cps[start] == 104
        and cps[start + 1] == 116
        and cps[start + 2] == 116
        and cps[start + 3] == 112
    ):
        k = start + 4 + (1 if cps[start + 4] == 115 else 0)
        return k + 2 < end and cps[k] == 58 and cps[k + 1] == 47 and cps[k + 2] == 47
    return False


# Compiled without the runtime's reference counting (``_nrt=False``; nothing here allocates):
# with it, every array handed to an inlined helper was counted up and down through indirect
# calls, about a hundred per chunk of text, and the pass ran three times slower.
@numba.njit(cache=True, nogil=True, **NO_REFCOUNT)
def _tokenize_doc(classes, lower, abbreviations, cps, n, exact, folded, length, kind, at, suffixes) -> int:
    """Tokens of one decoded document written from ``at``; returns the next free slot.

    With ``exact`` of length 0 it only counts."""
    i = 0
    while i < n:
        if _is(classes, cps[i], SPACE):
            i += 1
            continue
        # Most chunks are a word, perhaps with one mark after it ("word", "word,"). No rule but
        # the suffix split applies to those, so the word is hashed while its end is found.
        h, f, flags, end = FNV_OFFSET, FNV_OFFSET, np.uint8(0), i
        while end < n and _is(classes, cps[end], WORD):
            cp = cps[end]
            h = (h ^ np.uint64(cp)) * FNV_PRIME
            f = (f ^ np.uint64(lower[cp])) * FNV_PRIME
            if _is(classes, cp, ALPHA):
                flags = ALPHA_TOKEN
            end += 1
        word_end = end
        if end < n and _is_plain_mark(classes, cps[end]):
            end += 1
        plain = word_end > i and (end == n or _is(classes, cps[end], SPACE))
        if plain and not (word_end - i == 6 and _spells(lower, cps, i, CANNOT)):
            if len(exact) > 0:
                exact[at], folded[at], length[at], kind[at] = h, f, word_end - i, flags
            at += 1
            if end > word_end:
                at = _emit(classes, lower, cps, word_end, end, False, exact, folded, length, kind, at)
            i = end
            continue
        while end < n and not _is(classes, cps[end], SPACE):
            end += 1
        at = _chunk_tokens(
            classes, lower, abbreviations, cps, i, end, suffixes, exact, folded, length, kind, at
        )
        i = end
    return at


@numba.njit(cache=True, nogil=True, inline="always")
def _is_plain_mark(classes: np.ndarray, cp: int) -> bool:
    """A mark that, ending a word, is split off alone: not a full stop (abbreviations), hyphen
    or apostrophe (clitics)."""
    return _is_affix(classes, cp) and cp != 46 and cp != 39 and cp != 0x2019


@numba.njit(cache=True, nogil=True)
def _count_chars(classes: np.ndarray, cps: np.ndarray, n: int, out: np.ndarray) -> None:
    # Local sums: adding into ``out`` in the loop makes every step store to memory.
    upper = lower = letters = visible = broken = 0
    for k in range(n):
        cp = cps[k]
        bits = classes[cp]
        upper += (bits & UPPER) != 0
        lower += (bits & LOWER) != 0
        letters += (bits & ALPHA) != 0
        visible += (bits & SPACE) == 0
        broken += cp == 0xFFFD or 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000
    out[0], out[1], out[2], out[3], out[4] = upper, lower, letters, visible, broken


@numba.njit(cache=True, nogil=True, parallel=True)
def _tokenize(data, offsets, classes, lower, abbreviations, cps, exact, folded, length, kind):
    """One pass: document d writes its tokens from its own first byte's position (a text has
    no more tokens than bytes) into the scratch arrays, then the slots in use are packed."""
    docs, base = len(offsets) - 1, offsets[0]
    counts = np.zeros(docs, dtype=np.int64)
    chars = np.zeros((docs, 5), dtype=np.int64)
    for d in numba.prange(docs):
        suffixes = np.empty(64, dtype=np.int64)
        start, stop = offsets[d] - base, offsets[d + 1] - base
        n = _decode(data, offsets[d], offsets[d + 1], cps[start:stop])
        _count_chars(classes, cps[start:stop], n, chars[d])
        end = _tokenize_doc(
            classes, lower, abbreviations, cps[start:stop], n, exact, folded, length, kind, start, suffixes
        )
        counts[d] = end - start
    starts = np.zeros(docs + 1, dtype=np.int64)
    for d in range(docs):
        starts[d + 1] = starts[d] + counts[d]
    packed = (
        np.empty(starts[-1], dtype=np.uint64),
        np.empty(starts[-1], dtype=np.uint64),
        np.empty(starts[-1], dtype=np.int32),
        np.empty(starts[-1], dtype=np.uint8),
    )
    for d in numba.prange(docs):
        source, target, n = offsets[d] - base, starts[d], counts[d]
        packed[0][target : target + n] = exact[source : source + n]
        packed[1][target : target + n] = folded[source : source + n]
        packed[2][target : target + n] = length[source : source + n]
        packed[3][target : target + n] = kind[source : source + n]
    return packed[0], packed[1], packed[2], packed[3], starts, chars


_SCRATCH = threading.local()


def _scratch(size: int) -> tuple[np.ndarray, ...]:
    """This thread's scratch arrays, at least ``size`` long, kept between calls: fresh pages
    for every call cost more than the tokenising itself."""
    arrays = getattr(_SCRATCH, "arrays", None)
    if arrays is None or len(arrays[0]) < size:
        arrays = tuple(
            np.empty(size, dtype) for dtype in (np.int32, np.uint64, np.uint64, np.int32, np.uint8)
        )
        _SCRATCH.arrays = arrays
    return arrays


def tokenize(texts: pl.Series, slice_bytes: int = 4 << 20) -> Tokens:
    """Tokens of every text in ``texts`` (nulls have none).

    Texts are tokenised in slices of about ``slice_bytes`` of UTF-8: the single pass needs
    scratch space of 25 bytes per text byte, so the slice bounds what it keeps."""
    classes, lower = char_tables()
    data, offsets = utf8_buffers(texts)
    bounds = np.searchsorted(offsets, np.arange(offsets[0], offsets[-1], slice_bytes), side="right") - 1
    bounds = np.unique(np.concatenate([bounds, [len(offsets) - 1]]))
    widest = int(np.max(offsets[bounds[1:]] - offsets[bounds[:-1]], initial=1))
    scratch = _scratch(widest)
    parts = [
        _tokenize(data, offsets[lo : hi + 1], classes, lower, _abbreviation_hashes(), *scratch)
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    if not parts:
        empty = np.zeros(0, dtype=np.uint64)
        return Tokens(
            empty,
            empty,
            np.zeros(0, np.int32),
            np.zeros(0, np.uint8),
            np.zeros(len(offsets), np.int64),
            np.zeros((0, len(CHAR_COUNTS)), np.int64),
        )
    firsts = np.cumsum([0] + [len(p[0]) for p in parts[:-1]])
    return Tokens(
        exact=np.concatenate([p[0] for p in parts]),
        folded=np.concatenate([p[1] for p in parts]),
        length=np.concatenate([p[2] for p in parts]),
        kind=np.concatenate([p[3] for p in parts]),
        offsets=np.concatenate([[0]] + [p[4][1:] + first for p, first in zip(parts, firsts, strict=True)]),
        chars=np.concatenate([p[5] for p in parts]),
    )
