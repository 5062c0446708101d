"""scikit-learn's fitted TF-IDF features, counted by one compiled pass over a whole column.

The labelers (labelers.py) read texts through a union of two fitted ``TfidfVectorizer``s: word
1-2-grams (token pattern ``\\b\\w\\w+\\b``) and character 2-4-grams inside words (``char_wb``).
scikit-learn analyses one document at a time in Python, which was 88% of a labeler's time. Here
a chunk of texts is lowered by one ``str.lower`` call over the texts joined by NUL (which keeps
each text's own final-sigma context), read as code points, and one compiled pass per vectorizer
finds every n-gram's column in hash tables built from the fitted vocabulary. The counts then go
through the vectorizer's own fitted ``TfidfTransformer`` (sublinear tf, idf, l2), so the matrix
is scikit-learn's, value for value (tested on real corpora in 17 languages).

Python's definitions are kept: a word character is ``str.isalnum()`` or ``_`` (``re``'s
``\\w``, which leaves out combining marks), white space is ``str.isspace()`` (``str.split``).
A vectorizer fitted with settings the pass does not reproduce (stop words, accent stripping,
another token pattern, a callable analyzer...) is left to scikit-learn.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
import polars as pl
from scipy import sparse

from data_platform.text.tokens import NO_REFCOUNT

MAX_CODE_POINT = 0x110000
WORD_PATTERN = r"(?u)\b\w\w+\b"
# The one code point whose lower case is two code points (U+0130 -> "i" + U+0307).
LONGER_WHEN_LOWERED = "\u0130"
# Characters lowered and scanned at once: bounds the UTF-32 copy of a chunk (4 bytes each).
CHUNK_CHARS = 32_000_000
FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)
EMPTY = -1
# The position of a 64-bit word's one set bit: multiplied by a de Bruijn sequence, its top six
# bits are distinct for every position.
DE_BRUIJN = np.uint64(0x03F79D71B4CB0A89)
DE_BRUIJN_POSITIONS = np.zeros(64, dtype=np.int64)
DE_BRUIJN_POSITIONS[[((1 << k) * 0x03F79D71B4CB0A89 % (1 << 64)) >> 58 for k in range(64)]] = np.arange(64)
# Character n-grams are keyed by their characters' alphabet numbers, 16 bits each.
MAX_CHAR_N = 4
MAX_ALPHABET = 0xFFFF


@functools.cache
def python_classes() -> tuple[np.ndarray, np.ndarray]:
    """Per code point: is it a word character for ``re`` (``\\w``), is it white space for
    ``str.split``. Built once per process (about 0.2 s)."""
    chars = list(map(chr, range(MAX_CODE_POINT)))
    is_word = np.fromiter(map(str.isalnum, chars), dtype=np.bool_, count=MAX_CODE_POINT)
    is_word[ord("_")] = True
    is_space = np.fromiter(map(str.isspace, chars), dtype=np.bool_, count=MAX_CODE_POINT)
    return is_word, is_space


@dataclass(frozen=True)
class _HashTable:
    """Open addressing over uint64 keys: ``keys`` and ``values`` per slot (``EMPTY``: free)."""

    keys: np.ndarray
    values: np.ndarray

    @classmethod
    def build(cls, keys: np.ndarray, values: np.ndarray) -> _HashTable:
        size = 1 << max(4, int(2 * len(keys) - 1).bit_length())
        table = cls(np.zeros(size, dtype=np.uint64), np.full(size, EMPTY, dtype=np.int64))
        if _insert_all(table.keys, table.values, keys.astype(np.uint64), values.astype(np.int64)):
            raise ValueError("two vocabulary terms share one key")
        return table


@dataclass(frozen=True)
class _WordTables:
    """A word vectorizer's vocabulary: tokens (hashed, their code points kept to confirm a hit),
    each token's unigram column, and bigram columns keyed by the two tokens' numbers."""

    tokens: _HashTable
    token_codes: np.ndarray
    token_offsets: np.ndarray
    unigram_columns: np.ndarray
    bigrams: _HashTable
    ngram_range: tuple[int, int]


@dataclass(frozen=True)
class _CharTables:
    """A ``char_wb`` vectorizer's vocabulary: an alphabet number per code point (0: in no
    term) and the columns keyed by the n-gram's alphabet numbers."""

    alphabet: np.ndarray
    grams: _HashTable
    ngram_range: tuple[int, int]


@dataclass(frozen=True)
class _Weighting:
    """A fitted ``TfidfTransformer``: sublinear tf, idf, then each row scaled to unit length
    (scikit-learn's operations in its order, so the values are its own)."""

    idf: np.ndarray | None
    sublinear: bool
    l2: bool

    def apply(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        if self.sublinear:
            np.log(counts.data, counts.data)
            counts.data += 1.0
        if self.idf is not None:
            counts.data *= self.idf[counts.indices]
        if self.l2:
            _normalise_rows(counts.indptr, counts.data)
        return counts


@dataclass(frozen=True)
class _Block:
    """One vectorizer of the union: its compiled tables and weighting, or, where its settings
    are not ones the pass reproduces, the fitted vectorizer itself."""

    width: int
    tables: _WordTables | _CharTables | None = None
    weighting: _Weighting | None = None
    vectorizer: Any = None


class CompiledFeatures:
    """A fitted ``FeatureUnion`` of ``TfidfVectorizer``s whose ``transform`` counts n-grams in one
    compiled pass per vectorizer (scikit-learn's own where a vectorizer's settings are not
    ones the pass reproduces). Fully compiled, it is plain arrays (``arrays``): stored beside
    the model, it loads without scikit-learn and without rebuilding the tables."""

    def __init__(self, blocks: list[_Block]) -> None:
        self.blocks = blocks

    @classmethod
    def from_union(cls, union: Any) -> CompiledFeatures:
        if union.transformer_weights is not None:
            raise ValueError("weighted feature unions are not compiled")
        return cls([_block(vectorizer) for _, vectorizer in union.transformer_list])

    def transform(self, texts: pl.Series) -> sparse.csr_matrix:
        texts = texts.fill_null("")
        counted: list[list[sparse.csr_matrix]] = [[] for _ in self.blocks]
        if any(block.tables is not None for block in self.blocks):
            for part in _parts(texts):  # each part lowered once, read by every compiled vectorizer
                lowered = lowered_code_points(part)
                for block, parts in zip(self.blocks, counted, strict=True):
                    if block.tables is not None:
                        parts.append(_counts(block.tables, lowered, block.width))
        matrices = []
        for block, parts in zip(self.blocks, counted, strict=True):
            if block.weighting is None:
                matrices.append(block.vectorizer.transform(texts.to_list()))
                continue
            counts = parts[0] if len(parts) == 1 else sparse.vstack(parts, format="csr")
            matrices.append(block.weighting.apply(counts))
        return side_by_side(matrices)

    def arrays(self) -> tuple[dict[str, np.ndarray], list[dict[str, Any]]]:
        """The arrays and settings that rebuild these features (``from_arrays``)."""
        arrays: dict[str, np.ndarray] = {}
        settings: list[dict[str, Any]] = []
        for k, block in enumerate(self.blocks):
            if block.tables is None or block.weighting is None:
                raise ValueError("features left to scikit-learn cannot be stored as arrays")
            kind = "word" if isinstance(block.tables, _WordTables) else "char"
            settings.append(
                {
                    "kind": kind,
                    "width": block.width,
                    "ngram_range": list(block.tables.ngram_range),
                    "sublinear": block.weighting.sublinear,
                    "l2": block.weighting.l2,
                    "idf": block.weighting.idf is not None,
                }
            )
            if block.weighting.idf is not None:
                arrays[f"features{k}.idf"] = block.weighting.idf
            for name, value in _table_arrays(block.tables).items():
                arrays[f"features{k}.{name}"] = value
        return arrays, settings

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], settings: list[dict[str, Any]]) -> CompiledFeatures:
        blocks = []
        for k, entry in enumerate(settings):
            prefix = f"features{k}."
            own = {name.removeprefix(prefix): a for name, a in arrays.items() if name.startswith(prefix)}
            ngram_range = (int(entry["ngram_range"][0]), int(entry["ngram_range"][1]))
            tables: _WordTables | _CharTables
            if entry["kind"] == "word":
                tables = _WordTables(
                    tokens=_HashTable(own["tokens.keys"], own["tokens.values"]),
                    token_codes=own["token_codes"],
                    token_offsets=own["token_offsets"],
                    unigram_columns=own["unigram_columns"],
                    bigrams=_HashTable(own["bigrams.keys"], own["bigrams.values"]),
                    ngram_range=ngram_range,
                )
            else:
                tables = _CharTables(
                    own["alphabet"], _HashTable(own["grams.keys"], own["grams.values"]), ngram_range
                )
            idf = own["idf"] if entry["idf"] else None
            weighting = _Weighting(idf, bool(entry["sublinear"]), bool(entry["l2"]))
            blocks.append(_Block(int(entry["width"]), tables, weighting))
        return cls(blocks)


def _block(vectorizer: Any) -> _Block:
    width = len(vectorizer.vocabulary_)
    tables = _compile(vectorizer)
    transformer = vectorizer._tfidf
    if tables is None or transformer.norm not in ("l2", None):
        return _Block(width, vectorizer=vectorizer)
    idf = transformer.idf_ if hasattr(transformer, "idf_") else None
    return _Block(width, tables, _Weighting(idf, bool(transformer.sublinear_tf), transformer.norm == "l2"))


def _table_arrays(tables: _WordTables | _CharTables) -> dict[str, np.ndarray]:
    if isinstance(tables, _WordTables):
        return {
            "tokens.keys": tables.tokens.keys,
            "tokens.values": tables.tokens.values,
            "token_codes": tables.token_codes,
            "token_offsets": tables.token_offsets,
            "unigram_columns": tables.unigram_columns,
            "bigrams.keys": tables.bigrams.keys,
            "bigrams.values": tables.bigrams.values,
        }
    return {"alphabet": tables.alphabet, "grams.keys": tables.grams.keys, "grams.values": tables.grams.values}


@numba.njit(cache=True, nogil=True)
def _normalise_rows(indptr: np.ndarray, data: np.ndarray) -> None:
    """Each row to unit Euclidean length in place, summed in scikit-learn's order (its
    ``inplace_csr_row_normalize_l2``); an empty row stays empty."""
    for row in range(len(indptr) - 1):
        total = 0.0
        for j in range(indptr[row], indptr[row + 1]):
            total += data[j] * data[j]
        if total == 0.0:
            continue
        total = np.sqrt(total)
        for j in range(indptr[row], indptr[row + 1]):
            data[j] /= total


def side_by_side(blocks: list[Any]) -> sparse.csr_matrix:
    """The blocks' columns one after the other, row by row (``scipy.sparse.hstack``'s result,
    without its index conversions)."""
    joined = blocks[0].tocsr()
    for block in blocks[1:]:
        left, right = joined, block.tocsr()
        indptr, indices, data = _join_rows(
            left.indptr, left.indices, left.data, right.indptr, right.indices, right.data, left.shape[1]
        )
        shape = (left.shape[0], left.shape[1] + right.shape[1])
        joined = sparse.csr_matrix((data, indices, indptr), shape=shape)
        joined.has_sorted_indices = True
    return joined


def _parts(texts: pl.Series) -> list[pl.Series]:
    """``texts`` cut into runs of about ``CHUNK_CHARS`` characters (a longer text alone)."""
    ends = (texts.str.len_chars().cum_sum() // CHUNK_CHARS).to_numpy()
    cuts = np.flatnonzero(np.diff(ends)) + 1
    bounds = [0, *cuts.tolist(), len(texts)]
    return [texts.slice(start, stop - start) for start, stop in itertools.pairwise(bounds)]


def _counts(
    tables: _WordTables | _CharTables, lowered: tuple[np.ndarray, np.ndarray, np.ndarray], width: int
) -> sparse.csr_matrix:
    codes, starts, ends = lowered
    is_word, is_space = python_classes()
    if isinstance(tables, _WordTables):
        indptr, indices, counts = _count_words(
            codes, starts, ends, is_word, tables.tokens.keys, tables.tokens.values,
            tables.token_codes, tables.token_offsets, tables.unigram_columns,
            tables.bigrams.keys, tables.bigrams.values, *tables.ngram_range, width,
        )  # fmt: skip
    else:
        indptr, indices, counts = _count_char_grams(
            codes, starts, ends, is_space, tables.alphabet, tables.grams.keys, tables.grams.values,
            *tables.ngram_range, width,
        )  # fmt: skip
    matrix = sparse.csr_matrix((counts, indices, indptr), shape=(len(starts), width))
    matrix.has_sorted_indices = True
    return matrix


def lowered_code_points(texts: pl.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every text as ``str.lower`` gives it, as UTF-32 code points in one array, with each text's
    start and end; texts are joined by NUL, which no cased letter crosses."""
    joined = "\x00".join(texts.to_list()).lower()
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    lengths = (texts.str.len_chars() + texts.str.count_matches(LONGER_WHEN_LOWERED, literal=True)).to_numpy()
    ends = np.cumsum(lengths.astype(np.int64) + 1) - 1
    return codes, ends - lengths, ends


def _compile(vectorizer: Any) -> _WordTables | _CharTables | None:
    if not _reproducible(vectorizer):
        return None
    vocabulary: dict[str, int] = vectorizer.vocabulary_
    if vectorizer.analyzer == "word":
        return _word_tables(vocabulary, vectorizer.ngram_range)
    return _char_tables(vocabulary, vectorizer.ngram_range)


def _reproducible(vectorizer: Any) -> bool:
    """The settings the compiled pass reproduces exactly."""
    common = (
        type(vectorizer).__name__ == "TfidfVectorizer"
        and vectorizer.input == "content"
        and vectorizer.lowercase
        and vectorizer.preprocessor is None
        and vectorizer.strip_accents is None
        and not vectorizer.binary
        and vectorizer.dtype in (np.float64, "float64")
        and hasattr(vectorizer, "vocabulary_")
    )
    low, high = vectorizer.ngram_range
    if vectorizer.analyzer == "word":
        return (
            common
            and vectorizer.tokenizer is None
            and vectorizer.stop_words is None
            and vectorizer.token_pattern == WORD_PATTERN
            and 1 <= low <= high <= 2
        )
    return common and vectorizer.analyzer == "char_wb" and 1 <= low <= high <= MAX_CHAR_N


def _word_tables(vocabulary: dict[str, int], ngram_range: tuple[int, int]) -> _WordTables:
    # A word-pattern token holds no space: a term with one is a bigram of two tokens.
    split = {term: term.split(" ") for term in vocabulary}
    tokens = sorted({token for parts in split.values() for token in parts})
    number = {token: i for i, token in enumerate(tokens)}
    unigram_columns = np.full(len(tokens), EMPTY, dtype=np.int64)
    bigram_keys, bigram_columns = [], []
    for term, parts in split.items():
        if len(parts) == 1:
            unigram_columns[number[term]] = vocabulary[term]
        else:
            bigram_keys.append((number[parts[0]] << 32) | number[parts[1]])
            bigram_columns.append(vocabulary[term])
    token_codes = np.frombuffer("".join(tokens).encode("utf-32-le"), dtype=np.uint32)
    token_offsets = np.concatenate([[0], np.cumsum([len(token) for token in tokens])]).astype(np.int64)
    hashes = _hash_all(token_codes, token_offsets)
    return _WordTables(
        tokens=_HashTable.build(hashes, np.arange(len(tokens))),
        token_codes=token_codes,
        token_offsets=token_offsets,
        unigram_columns=unigram_columns,
        bigrams=_HashTable.build(np.array(bigram_keys, dtype=np.uint64), np.array(bigram_columns)),
        ngram_range=ngram_range,
    )


def _char_tables(vocabulary: dict[str, int], ngram_range: tuple[int, int]) -> _CharTables | None:
    letters = sorted({char for term in vocabulary for char in term})
    if len(letters) >= MAX_ALPHABET:
        return None
    alphabet = np.zeros(MAX_CODE_POINT, dtype=np.uint16)
    alphabet[[ord(char) for char in letters]] = np.arange(1, len(letters) + 1)
    keys = [_gram_key(alphabet, term) for term in vocabulary]
    grams = _HashTable.build(np.array(keys, dtype=np.uint64), np.array(list(vocabulary.values())))
    return _CharTables(alphabet=alphabet, grams=grams, ngram_range=ngram_range)


def _gram_key(alphabet: np.ndarray, gram: str) -> int:
    key = 0
    for char in gram:
        key = (key << 16) | int(alphabet[ord(char)])
    return key


@numba.njit(cache=True, nogil=True, inline="always")
def _mix(key: np.uint64, mask: np.int64) -> np.int64:
    return np.int64((key * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(24)) & mask


@numba.njit(cache=True, nogil=True)
def _insert_all(
    table_keys: np.ndarray, table_values: np.ndarray, keys: np.ndarray, values: np.ndarray
) -> bool:
    """Insert every pair; True when a key comes twice."""
    mask = np.int64(len(table_keys) - 1)
    for k in range(len(keys)):
        slot = _mix(keys[k], mask)
        while table_values[slot] != EMPTY:
            if table_keys[slot] == keys[k]:
                return True
            slot = (slot + 1) & mask
        table_keys[slot] = keys[k]
        table_values[slot] = values[k]
    return False


@numba.njit(cache=True, nogil=True, inline="always")
def _lookup(table_keys: np.ndarray, table_values: np.ndarray, key: np.uint64) -> int:
    mask = np.int64(len(table_keys) - 1)
    slot = _mix(key, mask)
    while table_values[slot] != EMPTY:
        if table_keys[slot] == key:
            return table_values[slot]
        slot = (slot + 1) & mask
    return EMPTY


@numba.njit(cache=True, nogil=True, inline="always")
def _fnv(codes: np.ndarray, start: int, end: int) -> np.uint64:
    value = FNV_OFFSET
    for i in range(start, end):
        value = (value ^ np.uint64(codes[i])) * FNV_PRIME
    return value


@numba.njit(cache=True, nogil=True)
def _hash_all(codes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    out = np.empty(len(offsets) - 1, dtype=np.uint64)
    for k in range(len(out)):
        out[k] = _fnv(codes, offsets[k], offsets[k + 1])
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def _grown(array: np.ndarray, needed: int) -> np.ndarray:
    if needed <= len(array):
        return array
    bigger = np.empty(max(needed, 2 * len(array)), dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger


@numba.njit(cache=True, nogil=True, inline="always")
def _named(column: np.int64, tally: np.ndarray, marks: np.ndarray, n: int) -> int:
    """Count one n-gram's column; ``n`` counts the document's distinct columns."""
    if tally[column] == 0:
        marks[column >> 6] |= np.uint64(1) << np.uint64(column & 63)
        n += 1
    tally[column] += 1
    return n


@numba.njit(cache=True, nogil=True, inline="always")
def _flush(tally: np.ndarray, marks: np.ndarray, indices: np.ndarray, counts: np.ndarray, filled: int) -> int:
    """Write one document's columns in order (as scikit-learn sorts them: its row sums run in
    that order) with their counts, read off the bitmap ``marks``; clear both."""
    for word in range(len(marks)):
        bits = marks[word]
        if bits == 0:
            continue
        marks[word] = 0
        while bits != 0:
            lowest = bits & (~bits + np.uint64(1))
            column = word * 64 + DE_BRUIJN_POSITIONS[(lowest * DE_BRUIJN) >> np.uint64(58)]
            indices[filled] = column
            counts[filled] = tally[column]
            tally[column] = 0
            filled += 1
            bits ^= lowest
    return filled


@numba.njit(cache=True, nogil=True, inline="always")
def _close_document(
    tally: np.ndarray, marks: np.ndarray, n: int, indices: np.ndarray, counts: np.ndarray, filled: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """Make room for the document's ``n`` distinct columns and write them out."""
    indices = _grown(indices, filled + n)
    counts = _grown(counts, filled + n)
    return indices, counts, _flush(tally, marks, indices, counts, filled)


@numba.njit(cache=True, nogil=True, **NO_REFCOUNT)
def _token_number(
    codes: np.ndarray, start: int, end: int, keys: np.ndarray, values: np.ndarray,
    token_codes: np.ndarray, token_offsets: np.ndarray,
) -> int:  # fmt: skip
    """The vocabulary's number for the token ``codes[start:end]`` (``EMPTY``: none)."""
    number = _lookup(keys, values, _fnv(codes, start, end))
    if number == EMPTY:
        return EMPTY
    first = token_offsets[number]
    if token_offsets[number + 1] - first != end - start:
        return EMPTY
    for i in range(end - start):
        if token_codes[first + i] != codes[start + i]:
            return EMPTY
    return number


@numba.njit(cache=True, nogil=True)
def _count_words(
    codes, starts, ends, is_word, token_keys, token_values, token_codes, token_offsets,
    unigram_columns, bigram_keys, bigram_values, low, high, width,
):  # fmt: skip
    """CSR parts of the counts of word unigrams and bigrams: a token is a run of two or more
    word characters; a bigram joins two consecutive tokens. Per document, ``tally`` counts each
    column and ``marks`` has its bit set (scikit-learn's per-document counter, as arrays)."""
    indptr = np.zeros(len(starts) + 1, dtype=np.int64)
    indices = np.empty(1024, dtype=np.int32)
    counts = np.empty(1024, dtype=np.float64)
    tally = np.zeros(width, dtype=np.int64)
    marks = np.zeros(width // 64 + 1, dtype=np.uint64)
    filled = 0
    for doc in range(len(starts)):
        n = 0
        previous = EMPTY
        i = starts[doc]
        end = ends[doc]
        while i < end:
            if not is_word[codes[i]]:
                i += 1
                continue
            j = i + 1
            while j < end and is_word[codes[j]]:
                j += 1
            if j - i >= 2:
                token = _token_number(codes, i, j, token_keys, token_values, token_codes, token_offsets)
                if low == 1 and token != EMPTY and unigram_columns[token] != EMPTY:
                    n = _named(unigram_columns[token], tally, marks, n)
                if high == 2 and token != EMPTY and previous != EMPTY:
                    pair = (np.uint64(previous) << np.uint64(32)) | np.uint64(token)
                    column = _lookup(bigram_keys, bigram_values, pair)
                    if column != EMPTY:
                        n = _named(column, tally, marks, n)
                previous = token
            i = j
        indices, counts, filled = _close_document(tally, marks, n, indices, counts, filled)
        indptr[doc + 1] = filled
    return indptr, indices[:filled], counts[:filled]


@numba.njit(cache=True, nogil=True, inline="always")
def _add_gram(letters, size, gram_keys, gram_values, tally, marks, n):
    """Count the n-gram of the first ``size`` letters."""
    key = np.uint64(0)
    for k in range(size):
        if letters[k] == 0:
            return n
        key = (key << np.uint64(16)) | letters[k]
    column = _lookup(gram_keys, gram_values, key)
    return n if column == EMPTY else _named(column, tally, marks, n)


@numba.njit(cache=True, nogil=True)
def _count_char_grams(codes, starts, ends, is_space, alphabet, gram_keys, gram_values, low, high, width):
    """CSR parts of the counts of ``char_wb`` n-grams: each run of non-space characters padded
    with one space either side gives every n-gram of it (at most the whole padded word; a word
    shorter than the shortest n gives itself once, as scikit-learn's loop does)."""
    indptr = np.zeros(len(starts) + 1, dtype=np.int64)
    indices = np.empty(1024, dtype=np.int32)
    counts = np.empty(1024, dtype=np.float64)
    tally = np.zeros(width, dtype=np.int64)
    marks = np.zeros(width // 64 + 1, dtype=np.uint64)
    letters = np.empty(64, dtype=np.uint64)
    space = np.uint64(alphabet[32])
    filled = 0
    for doc in range(len(starts)):
        n = 0
        i = starts[doc]
        end = ends[doc]
        letters = _grown(letters, end - i + 2)
        while i < end:
            if is_space[codes[i]]:
                i += 1
                continue
            j = i + 1
            while j < end and not is_space[codes[j]]:
                j += 1
            padded = j - i + 2
            letters[0] = space
            letters[padded - 1] = space
            for k in range(i, j):
                letters[k - i + 1] = alphabet[codes[k]]
            if low > padded:  # shorter than the shortest n-gram: the whole word, once
                n = _add_gram(letters, padded, gram_keys, gram_values, tally, marks, n)
            for start in range(padded):
                key = np.uint64(0)
                for size in range(1, min(high, padded - start) + 1):
                    letter = letters[start + size - 1]
                    if letter == 0:
                        break
                    key = (key << np.uint64(16)) | letter
                    if size >= low:
                        column = _lookup(gram_keys, gram_values, key)
                        if column != EMPTY:
                            n = _named(column, tally, marks, n)
            i = j
        indices, counts, filled = _close_document(tally, marks, n, indices, counts, filled)
        indptr[doc + 1] = filled
    return indptr, indices[:filled], counts[:filled]


@numba.njit(cache=True, nogil=True)
def _join_rows(left_indptr, left_indices, left_data, right_indptr, right_indices, right_data, shift):
    rows = len(left_indptr) - 1
    indptr = np.empty(rows + 1, dtype=np.int64)
    indices = np.empty(len(left_indices) + len(right_indices), dtype=np.int32)
    data = np.empty(len(indices), dtype=left_data.dtype)
    indptr[0] = 0
    filled = 0
    for row in range(rows):
        for k in range(left_indptr[row], left_indptr[row + 1]):
            indices[filled] = left_indices[k]
            data[filled] = left_data[k]
            filled += 1
        for k in range(right_indptr[row], right_indptr[row + 1]):
            indices[filled] = right_indices[k] + shift
            data[filled] = right_data[k]
            filled += 1
        indptr[row + 1] = filled
    return indptr, indices, data
