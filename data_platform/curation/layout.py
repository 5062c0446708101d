"""Character, line and paragraph statistics of every text in one compiled pass over its UTF-8.

The Gopher and FineWeb rules read how a text is laid out: its characters, ``#`` marks and
ellipses, its lines (``str.splitlines`` after trailing newlines are cut) and paragraphs (split at
runs of blank lines), which lines are bullets, end in an ellipsis or a sentence terminal, are
blank or short, and which lines and paragraphs repeat an earlier one of the same text (compared
byte for byte). Whitespace is Unicode's White_Space, as in Python's ``str.strip`` and Polars'
``strip_chars``; a character is a code point.
"""

from __future__ import annotations

import numba
import numpy as np
import polars as pl

from data_platform.text.tokens import NO_REFCOUNT, SPACE, TERMINAL, char_tables, utf8_buffers

COLUMNS = (
    "chars",
    "hash_marks",
    "ellipses",
    "newlines",
    "lines",
    "bullet_lines",
    "ellipsis_lines",
    "nonempty_lines",
    "dup_lines",
    "dup_line_chars",
    "nonblank_lines",
    "terminal_lines",
    "short_lines",
    "dup_nonblank_line_chars",
    "paragraphs",
    "dup_paragraphs",
    "dup_paragraph_chars",
)
(CHARS, HASH_MARKS, ELLIPSES, NEWLINES, LINES, BULLETS, ELLIPSIS_LINES, NONEMPTY, DUP_LINES) = range(9)
(DUP_LINE_CHARS, NONBLANK, TERMINAL_LINES, SHORT, DUP_NONBLANK_CHARS, PARAGRAPHS) = range(9, 15)
(DUP_PARAGRAPHS, DUP_PARAGRAPH_CHARS) = range(15, 17)
NEWLINE, HASH, DOT = 10, 35, 46
ELLIPSIS, BULLET, HYPHEN = 0x2026, 0x2022, 45


@numba.njit(cache=True, nogil=True, inline="always")
def _decode_at(data: np.ndarray, i: int) -> tuple[int, int]:
    """The code point starting at byte ``i`` and the byte after it."""
    c = int(data[i])
    if c < 0x80:
        return c, i + 1
    width = 2 if c < 0xE0 else (3 if c < 0xF0 else 4)
    cp = c & (0x1F if width == 2 else (0x0F if width == 3 else 0x07))
    for j in range(1, width):
        cp = (cp << 6) | (int(data[i + j]) & 0x3F)
    return cp, i + width


@numba.njit(cache=True, nogil=True, inline="always")
def _char_start_before(data: np.ndarray, i: int) -> int:
    """Start of the code point that ends just before byte ``i``."""
    i -= 1
    while (data[i] & 0xC0) == 0x80:
        i -= 1
    return i


@numba.njit(cache=True, nogil=True, inline="always")
def _white(classes: np.ndarray, cp: int) -> bool:
    # The tokeniser's SPACE also holds U+001C..U+001F (Python's split); strip does not.
    return (classes[cp] & SPACE) != 0 and not 0x1C <= cp <= 0x1F


@numba.njit(cache=True, nogil=True, inline="always")
def _chars(data: np.ndarray, start: int, end: int) -> int:
    n = 0
    for i in range(start, end):
        n += (data[i] & 0xC0) != 0x80
    return n


@numba.njit(cache=True, nogil=True, inline="always")
def _is_repeat(data, start: int, end: int, starts, ends, hashes, mask: int) -> bool:
    """Whether ``data[start:end]`` was seen before in this table (and record it if not).

    The bucket comes from the length and up to 8 bytes at each end, so hashing costs the same
    for every line; equal buckets are then compared byte by byte."""
    h = np.uint64(end - start) * np.uint64(0x9E3779B97F4A7C15)
    for i in range(start, min(end, start + 8)):
        h = (h ^ np.uint64(data[i])) * np.uint64(0x100000001B3)
    for i in range(max(start + 8, end - 8), end):
        h = (h ^ np.uint64(data[i])) * np.uint64(0x100000001B3)
    slot = int(h ^ (h >> np.uint64(32))) & mask
    while starts[slot] >= 0:
        if hashes[slot] == h and ends[slot] - starts[slot] == end - start:
            same = True
            for k in range(end - start):
                if data[starts[slot] + k] != data[start + k]:
                    same = False
                    break
            if same:
                return True
        slot = (slot + 1) & mask
    starts[slot], ends[slot], hashes[slot] = start, end, h
    return False


@numba.njit(cache=True, nogil=True, inline="always")
def _line(data, classes, start: int, end: int, short: int, out, starts, ends, hashes, mask: int) -> None:
    out[LINES] += 1
    first, stop = _stripped(data, classes, start, end)
    nonblank = first < stop
    if nonblank:
        opening, last = _decode_at(data, first)[0], _decode_at(data, _char_start_before(data, end))[0]
        out[BULLETS] += opening == BULLET or opening == HYPHEN  # noqa: SIM109 - compiled comparisons
        out[NONBLANK] += 1
        out[TERMINAL_LINES] += (classes[last] & TERMINAL) != 0
        # At most 4 bytes per character: only lines in between need counting.
        out[SHORT] += end - start <= short or (end - start <= 4 * short and _chars(data, start, end) <= short)
        dots = stop - first >= 3 and data[stop - 1] == DOT and data[stop - 2] == DOT and data[stop - 3] == DOT
        out[ELLIPSIS_LINES] += dots or _decode_at(data, _char_start_before(data, stop))[0] == ELLIPSIS
    if end > start:
        out[NONEMPTY] += 1
    if _is_repeat(data, start, end, starts, ends, hashes, mask):
        chars = _chars(data, start, end)
        if end > start:
            out[DUP_LINES] += 1
            out[DUP_LINE_CHARS] += chars
        if nonblank:
            out[DUP_NONBLANK_CHARS] += chars


@numba.njit(cache=True, nogil=True, inline="always")
def _text_counts(data, start: int, end: int, out) -> None:
    # Sums in local variables: adding into ``out`` byte by byte would store to memory each time.
    chars = hashes = newlines = ellipses = dots = 0
    for i in range(start, end):
        b = data[i]
        chars += (b & 0xC0) != 0x80
        hashes += b == HASH
        newlines += b == NEWLINE
        ellipses += b == 0xE2 and i + 2 < end and data[i + 1] == 0x80 and data[i + 2] == 0xA6
        if b == DOT:
            dots += 1
        else:
            ellipses += dots // 3  # "..." matches without overlap: a run of k dots holds k // 3
            dots = 0
    out[CHARS], out[HASH_MARKS], out[NEWLINES], out[ELLIPSES] = chars, hashes, newlines, ellipses + dots // 3


@numba.njit(cache=True, nogil=True, inline="always")
def _stripped(data, classes, start: int, end: int) -> tuple[int, int]:
    while start < end:
        cp, after = _decode_at(data, start)
        if not _white(classes, cp):
            break
        start = after
    while end > start:
        k = _char_start_before(data, end)
        if not _white(classes, _decode_at(data, k)[0]):
            break
        end = k
    return start, end


@numba.njit(cache=True, nogil=True, **NO_REFCOUNT)
def _measure_text(data, classes, start: int, end: int, short: int, out, starts, ends, hashes) -> None:
    """Every column of one text into ``out``; the scratch table is large enough for it."""
    _text_counts(data, start, end, out)
    capacity = 16
    while capacity < 2 * (out[NEWLINES] + 2):
        capacity *= 2
    mask = capacity - 1
    starts[:capacity] = -1
    stop = end
    while stop > start and data[stop - 1] == NEWLINE:
        stop -= 1
    line = start
    for i in range(start, stop + 1):
        if i == stop or data[i] == NEWLINE:
            _line(data, classes, line, i, short, out, starts, ends, hashes, mask)
            line = i + 1
    starts[:capacity] = -1
    first, last = _stripped(data, classes, start, end)
    paragraph, i = first, first
    while i <= last:
        gap = i + 1 < last and data[i] == NEWLINE and data[i + 1] == NEWLINE
        if i == last or gap:
            out[PARAGRAPHS] += 1
            if _is_repeat(data, paragraph, i, starts, ends, hashes, mask):
                out[DUP_PARAGRAPHS] += 1
                out[DUP_PARAGRAPH_CHARS] += _chars(data, paragraph, i)
            if i == last:
                break
            while i < last and data[i] == NEWLINE:
                i += 1
            paragraph = i
            continue
        i += 1


@numba.njit(cache=True, nogil=True, parallel=True)
def _measure(data, offsets, classes, short: int, blocks: int) -> np.ndarray:
    docs, columns = len(offsets) - 1, 17
    out = np.zeros((docs, columns), dtype=np.int64)
    for b in numba.prange(blocks):
        lo, hi = docs * b // blocks, docs * (b + 1) // blocks
        most = 0
        for d in range(lo, hi):
            newlines = 0
            for i in range(offsets[d], offsets[d + 1]):
                newlines += data[i] == NEWLINE
            most = max(most, newlines)
        capacity = 16
        while capacity < 2 * (most + 2):
            capacity *= 2
        starts = np.empty(capacity, dtype=np.int64)
        ends = np.empty(capacity, dtype=np.int64)
        hashes = np.empty(capacity, dtype=np.uint64)
        for d in range(lo, hi):
            _measure_text(data, classes, offsets[d], offsets[d + 1], short, out[d], starts, ends, hashes)
    return out


def layout_stats(texts: pl.Series, short_line_length: int) -> pl.DataFrame:
    """One row per text with ``COLUMNS`` (nulls count as empty texts); a line of at most
    ``short_line_length`` characters is short."""
    classes, _ = char_tables()
    data, offsets = utf8_buffers(texts)
    blocks = max(1, min(64, len(texts) // 64))
    measured = _measure(data, offsets, classes, short_line_length, blocks)
    return pl.DataFrame({name: measured[:, j] for j, name in enumerate(COLUMNS)})
