from collections import Counter

import numpy as np
import polars as pl
import pytest

from data_platform.curation.repetition import ngram_repetition
from data_platform.text.tokens import ALPHA_TOKEN, SYMBOL_TOKEN, token_hash, tokenize

# Splits spaCy's blank English tokenizer gives (the tokenizer datatrove's English rules use).
SPACY_SPLITS = {
    '"Hello," said Mr. Smith.': ['"', "Hello", ",", '"', "said", "Mr.", "Smith", "."],
    "can't I'm John's they'll": ["ca", "n't", "I", "'m", "John", "'s", "they", "'ll"],
    "a--b word— —word well-known": ["a", "--", "b", "word", "—", "—", "word", "well", "-", "known"],
    "...word word... wow!!!": ["...", "word", "word", "...", "wow", "!", "!", "!"],
    "(a) [1] 3.5 1,000 10:30 1-2 -3": [
        "(",
        "a",
        ")",
        "[",
        "1",
        "]",
        "3.5",
        "1,000",
        "10:30",
        "1",
        "-",
        "2",
        "-3",
    ],
    "etc. A. U.S. end.The a,b": ["etc", ".", "A.", "U.S.", "end", ".", "The", "a", ",", "b"],
    "http://x.com/a?b=c cannot know-- --so": ["http://x.com/a?b=c", "can", "not", "know--", "--so"],
    "glance,—“what naïve café": ["glance,—“what", "naïve", "café"],
}


def texts_of(text: str) -> list[int]:
    tokens = tokenize(pl.Series([text]))
    return tokens.exact.tolist()


@pytest.mark.parametrize("text", SPACY_SPLITS)
def test_tokens_split_like_spacy_english(text: str) -> None:
    assert texts_of(text) == [token_hash(t) for t in SPACY_SPLITS[text]]


def test_token_kinds_lengths_and_case_folding() -> None:
    tokens = tokenize(pl.Series(["The END, 42 ½", None, "", "the end"]))
    assert tokens.counts.tolist() == [5, 0, 0, 2]
    assert tokens.length.tolist()[:5] == [3, 3, 1, 2, 1]
    symbol = (tokens.kind & SYMBOL_TOKEN) > 0
    alpha = (tokens.kind & ALPHA_TOKEN) > 0
    assert symbol.tolist()[:5] == [False, False, True, False, False]
    assert alpha.tolist()[:5] == [True, True, False, False, False]
    assert tokens.folded[:2].tolist() == tokens.folded[5:7].tolist()
    assert tokens.exact[:2].tolist() != tokens.exact[5:7].tolist()
    words = tokens.words()
    assert words.counts.tolist() == [4, 0, 0, 2]


def test_slices_do_not_change_the_result() -> None:
    texts = pl.Series([f"Doc {i}: " + "word " * (i % 7) + "end." for i in range(500)])
    whole, sliced = tokenize(texts), tokenize(texts, slice_bytes=64)
    assert np.array_equal(whole.exact, sliced.exact)
    assert np.array_equal(whole.offsets, sliced.offsets)


def reference_top_chars(words: list[str], n: int) -> int:
    grams = [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
    if not grams:
        return 0
    gram, count = Counter(grams).most_common(1)[0]
    return len(gram) * count


def reference_duplicate_chars(words: list[str], n: int) -> int:
    seen: set[str] = set()
    repeated, i = 0, 0
    while i < len(words) - n + 1:
        gram = "\x00".join(words[i : i + n])
        if gram in seen:
            repeated += sum(len(w) for w in words[i : i + n])
            i += n
        else:
            seen.add(gram)
            i += 1
    return repeated


def test_ngram_repetition_equals_a_plain_python_reading_of_gopher() -> None:
    rng = np.random.default_rng(3)
    vocabulary = ["a", "bb", "the", "cat", "sat", "on", "mat", ",", "."]
    docs = [list(rng.choice(vocabulary, size=int(rng.integers(0, 60)))) for _ in range(300)]
    docs.append(["ab", "c"] * 5 + ["a", "bc"] * 5)  # equal counts: the first seen wins
    tokens = tokenize(pl.Series([" ".join(d) for d in docs]))
    top, dup = ngram_repetition(tokens, (2, 3, 4), (5, 7, 10))
    for d, words in enumerate(docs):
        assert top[d].tolist() == [reference_top_chars(words, n) for n in (2, 3, 4)], words
        assert dup[d].tolist() == [reference_duplicate_chars(words, n) for n in (5, 7, 10)], words
