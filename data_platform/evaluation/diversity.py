"""How varied a set of texts is: compression, distinct n-grams, vocabulary growth, near-duplicate
rate and spread over clusters of a text embedding.

Every measure reads a seeded sample of the texts, so a release of a million records is measured
in seconds. Distinct n-grams and vocabulary growth read the lowercased words (the shared
tokeniser's hashes) of texts drawn in a seeded order up to a fixed number of words: both grow
with the number of words read, so versions of any size are compared at the same count.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import asdict, dataclass

import numpy as np
import polars as pl
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.preprocessing import Normalizer

from data_platform.evaluation.profile import non_empty
from data_platform.text.minhash import MinHashParams, near_pairs, text_signatures
from data_platform.text.tokens import Tokens, tokenize

SEED = 17
COMPRESSION_SAMPLE_BYTES = 8 << 20
WORD_SAMPLE = 2_000_000
WORD_SAMPLE_BYTES = 24 << 20  # texts tokenised to find WORD_SAMPLE words (about 4-6 bytes each)
NEAR_DUP_SAMPLE = 200_000
NEAR_DUP_THRESHOLD = 0.8
CLUSTER_SAMPLE = 20_000
CLUSTERS = 32
EMBEDDING_DIMENSIONS = 64
GROWTH_POINTS = 16
BIGRAM_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Diversity:
    texts: int
    words: int  # words read for distinct-n and vocabulary growth (WORD_SAMPLE, or every word)
    compression_ratio: float  # raw bytes / zlib bytes of a sample: higher is more repetitive
    distinct_1: float  # distinct words / words
    distinct_2: float  # distinct word bigrams / bigrams inside texts
    heaps_beta: float  # V ~ K * N^beta over the words in a seeded text order
    near_duplicate_rate: float  # share of sampled texts with an earlier near-duplicate
    cluster_entropy: float  # entropy of cluster shares over log(clusters): 1 is even spread
    effective_clusters: float  # exp(entropy): how many equally full clusters that spread equals
    vocabulary_growth: list[tuple[int, int]]  # (words read, distinct words) at checkpoints

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def diversity(texts: pl.Series, seed: int = SEED) -> Diversity:
    """Every measure over ``texts`` (nulls and empty texts are left out)."""
    texts = non_empty(texts)
    order = np.random.default_rng(seed).permutation(texts.len())
    shuffled = texts.gather(order) if texts.len() else texts
    words = sampled_words(shuffled)
    growth = vocabulary_growth(words.folded)
    entropy, effective = cluster_spread(shuffled.head(CLUSTER_SAMPLE).to_list(), seed)
    return Diversity(
        texts=texts.len(),
        words=len(words.folded),
        compression_ratio=compression_ratio(shuffled),
        distinct_1=distinct_ratio(words.folded),
        distinct_2=distinct_ratio(bigram_hashes(words)),
        heaps_beta=heaps_beta(growth),
        near_duplicate_rate=near_duplicate_rate(shuffled.head(NEAR_DUP_SAMPLE)),
        cluster_entropy=entropy,
        effective_clusters=effective,
        vocabulary_growth=growth,
    )


def sampled_words(texts: pl.Series, words: int = WORD_SAMPLE, budget: int = WORD_SAMPLE_BYTES) -> Tokens:
    """The words of the first texts, up to ``words`` words, the last text cut where they end."""
    within = (texts.str.len_bytes().cum_sum() - texts.str.len_bytes()) < budget
    tokens = tokenize(texts.filter(within)).words()
    if len(tokens.folded) <= words:
        return tokens
    offsets = np.minimum(tokens.offsets, words)
    return Tokens(
        tokens.exact[:words], tokens.folded[:words], tokens.length[:words], tokens.kind[:words], offsets
    )


def compression_ratio(texts: pl.Series, budget: int = COMPRESSION_SAMPLE_BYTES) -> float:
    """UTF-8 bytes over zlib-compressed bytes of the texts, one per line, up to ``budget`` bytes."""
    within = (texts.str.len_bytes().cum_sum() - texts.str.len_bytes()) < budget
    data = "\n".join(texts.filter(within).to_list()).encode()[:budget]
    return len(data) / len(zlib.compress(data, 6)) if data else 0.0


def distinct_ratio(hashes: np.ndarray) -> float:
    return len(np.unique(hashes)) / len(hashes) if len(hashes) else 0.0


def bigram_hashes(words: Tokens) -> np.ndarray:
    """A hash per pair of neighbouring words inside one text (no pair spans two texts)."""
    folded = words.folded
    if len(folded) < 2:
        return np.zeros(0, np.uint64)
    inside = np.ones(len(folded) - 1, dtype=bool)
    ends = words.offsets[1:-1] - 1  # the last word of every text but the last
    inside[ends[(ends >= 0) & (ends < len(inside))]] = False
    with np.errstate(over="ignore"):
        pairs = folded[:-1] * BIGRAM_MULTIPLIER ^ folded[1:]
    return pairs[inside]


def vocabulary_growth(folded: np.ndarray, points: int = GROWTH_POINTS) -> list[tuple[int, int]]:
    """(words read, distinct words so far) at geometrically spaced points up to every word."""
    if len(folded) == 0:
        return []
    _, first_seen = np.unique(folded, return_index=True)
    first_seen.sort()
    checkpoints = np.unique(np.geomspace(min(100, len(folded)), len(folded), points).astype(np.int64))
    distinct = np.searchsorted(first_seen, checkpoints, side="left")
    return [(int(n), int(v)) for n, v in zip(checkpoints, distinct, strict=True)]


def heaps_beta(growth: list[tuple[int, int]]) -> float:
    """The exponent of Heaps' law fitted to the growth curve (NaN with fewer than two points)."""
    if len(growth) < 2:
        return math.nan
    n, v = np.log([g[0] for g in growth]), np.log([g[1] for g in growth])
    return float(np.polyfit(n, v, 1)[0])


def near_duplicate_rate(texts: pl.Series, threshold: float = NEAR_DUP_THRESHOLD) -> float:
    """Share of texts with an earlier text whose estimated word-5-gram Jaccard reaches
    ``threshold`` (MinHash-LSH, the cleaned tier's parameters)."""
    if texts.len() == 0:
        return 0.0
    rows, _, _ = near_pairs(text_signatures(texts, MinHashParams()), None, MinHashParams(), threshold)
    return len(np.unique(rows)) / texts.len()


def cluster_spread(texts: list[str], seed: int = SEED) -> tuple[float, float]:
    """(normalised entropy, effective number) of k-means clusters over an LSA embedding: hashed
    word and bigram TF-IDF reduced by truncated SVD, the CPU embedding here."""
    clusters = min(CLUSTERS, len(texts) // 10)
    if clusters < 2:
        return math.nan, math.nan
    counts = HashingVectorizer(ngram_range=(1, 2), n_features=1 << 18, alternate_sign=False).transform(texts)
    weighted = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    dimensions = min(EMBEDDING_DIMENSIONS, weighted.shape[1] - 1, len(texts) - 1)
    embedded = Normalizer().fit_transform(TruncatedSVD(dimensions, random_state=seed).fit_transform(weighted))
    assigned = MiniBatchKMeans(clusters, random_state=seed, n_init=1, batch_size=4096).fit_predict(embedded)
    share = np.bincount(assigned, minlength=clusters) / len(assigned)
    share = share[share > 0]
    entropy = float(-np.sum(share * np.log(share)))
    return entropy / math.log(clusters), math.exp(entropy)
