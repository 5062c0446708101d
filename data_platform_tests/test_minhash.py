import gzip
import json

import numpy as np
import polars as pl
import pytest
from datasketch import MinHash

from data_platform.demo.generator import SAMPLE_DIR
from data_platform.text.minhash import MinHashParams, band_keys, estimated_jaccard, shingle, signatures


def sample_texts(name: str) -> list[str]:
    with gzip.open(SAMPLE_DIR / name, "rt", encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle]


def test_signatures_equal_datasketch_affine32_with_the_same_shingle_hashes() -> None:
    params = MinHashParams(ngram=3, num_perm=64, bands=16, rows=4, seed=7)
    texts = sample_texts("clinc150_sample.jsonl.gz")[:200] + ["", None, "one", "two words"]
    shingled = shingle(pl.Series(texts, dtype=pl.String), params.ngram)
    ours = signatures(shingled, params)
    for doc in range(len(texts)):
        expected = MinHash(num_perm=64, seed=7, scheme="affine32", hashfunc=lambda value: value)
        values = shingled.hashes[shingled.offsets[doc] : shingled.offsets[doc + 1]]
        if len(values):
            expected.update_batch([int(v) for v in values])
        assert np.array_equal(expected.hashvalues.astype(np.uint32), ours[doc]), texts[doc]


def test_short_texts_get_one_shingle_and_empty_texts_none() -> None:
    shingled = shingle(pl.Series(["a b", "", None, "a b c d e f"]), ngram=5)
    assert np.diff(shingled.offsets).tolist() == [1, 0, 0, 2]
    empty = signatures(shingled, MinHashParams())[1]
    assert (empty == 0xFFFFFFFF).all()


def test_near_duplicates_share_bands_and_distinct_texts_do_not() -> None:
    base = " ".join(sample_texts("clinc150_sample.jsonl.gz")[:40])
    words = base.split()
    edited = " ".join(w if i % 50 else w.upper() + "x" for i, w in enumerate(words))
    other = " ".join(sample_texts("clinc150_sample.jsonl.gz")[40:80])
    params = MinHashParams()
    sig = signatures(shingle(pl.Series([base, edited, other]), params.ngram), params)
    similarity = estimated_jaccard(sig[[0, 0]], sig[[1, 2]])
    assert similarity[0] > 0.8 and similarity[1] < 0.1
    keys = band_keys(sig, params)
    assert set(keys[0]) & set(keys[1]) and not set(keys[0]) & set(keys[2])


def test_banding_must_cover_the_permutations() -> None:
    with pytest.raises(ValueError, match="bands x rows"):
        MinHashParams(num_perm=112, bands=10, rows=10)
    assert MinHashParams().threshold() == pytest.approx((1 / 14) ** (1 / 8))


def test_exact_jaccard_of_shingle_sets_equals_python_sets() -> None:
    from data_platform.text.minhash import exact_jaccard, shingle_sets

    texts = sample_texts("clinc150_sample.jsonl.gz")[:60]
    pairs = [(i, (i * 7 + 3) % 60) for i in range(60)] + [(5, 5)]
    shingled = shingle(pl.Series(texts), 2)
    sets = shingle_sets(shingled)
    for doc, values in enumerate(sets):
        expected = np.unique(shingled.hashes[shingled.offsets[doc] : shingled.offsets[doc + 1]])
        assert np.array_equal(values, expected)
    left = pl.Series([sets[a] for a, _ in pairs], dtype=pl.List(pl.UInt32))
    right = pl.Series([sets[b] for _, b in pairs], dtype=pl.List(pl.UInt32))
    expected = [len(set(sets[a]) & set(sets[b])) / len(set(sets[a]) | set(sets[b])) for a, b in pairs]
    assert np.allclose(exact_jaccard(left, right), expected)
