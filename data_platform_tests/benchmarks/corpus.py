"""A near-duplicate benchmark corpus from real Gutenberg paragraphs, with its ground truth.

    python -m data_platform_tests.benchmarks.corpus OUT_DIR [--base 170000] [--planted 30000]

Writes ``OUT_DIR/corpus.jsonl`` (``id``, ``text``, ``kind``), ``OUT_DIR/truth.parquet``: every
pair of documents whose word 5-gram sets have Jaccard similarity >= 0.8 (after lowercasing and
keeping ``\\w+`` words), with how the second one came to be, and ``OUT_DIR/planted.parquet``:
each planted copy, its source and how it was made.

- Natural duplicates: six books are in the set twice (two Project Gutenberg editions of one
  eBook number); only the first edition's paragraphs enter the pool, and paragraphs that occur
  twice anywhere (chapter headings, repeated lines) enter it once.
- Base documents are real text: a fifth are single paragraphs of at least 40 words, the rest
  2-3 paragraphs drawn at random (the real books run short of 200,000 documents).
- Planted documents copy a random base document: exactly, with other spacing and case, with
  1%, 3%, 5% or 10% of words replaced or deleted, with paragraphs reordered, or wrapped in
  web boilerplate. The truth keeps only pairs whose measured Jaccard reaches 0.8, so a 10% edit
  that falls below it is not a miss for anyone.
- Documents that share a paragraph can be near duplicates by accident: every such pair is
  measured too, so the truth is complete for the threshold.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np
import polars as pl

from data_platform_tests.conftest import SHARED_DATA

THRESHOLD = 0.8
NGRAM = 5
EDIT_RATES = (0.01, 0.03, 0.05, 0.10)
BOILERPLATE = (
    (
        "Posted by admin on 12 March 2021 | Filed under Stories | 3 comments",
        "Share this: Facebook Twitter Email",
    ),
    ("Home > Library > Classics", "Subscribe to our newsletter for more free books every week!"),
    ("Reading time: 4 minutes", "Copyright 2024 ClassicReads. All rights reserved."),
)
WORD = re.compile(r"\w+")


def pool_paragraphs() -> pl.DataFrame:
    path = SHARED_DATA / "gutenberg_docs" / "gutenberg_docs.jsonl.gz"
    with gzip.open(path) as handle:
        docs = pl.read_ndjson(handle)
    first_edition = docs.group_by("gutenberg_id").agg(pl.col("source_file").min())
    paragraphs = (
        docs.join(first_edition, on=["gutenberg_id", "source_file"])
        .select("source_file", "chunk_index", paragraph=pl.col("text").str.split("\n\n"))
        .explode("paragraph")
        .with_columns(words=pl.col("paragraph").str.count_matches(r"\S+"))
        .filter(pl.col("words") >= 5)
    )
    repeated = paragraphs.group_by("paragraph").len().filter(pl.col("len") > 1)
    return paragraphs.join(repeated, on="paragraph", how="anti").sort("source_file", "chunk_index")


def shingles(text: str) -> set[int]:
    words = WORD.findall(text.lower())
    if len(words) < NGRAM:
        return {hash(tuple(words))} if words else set()
    return {hash(tuple(words[i : i + NGRAM])) for i in range(len(words) - NGRAM + 1)}


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def base_documents(
    pool: list[str], words: np.ndarray, count: int, rng: np.random.Generator
) -> list[list[int]]:
    """A fifth of the documents are single long paragraphs, the rest 2-3 random paragraphs."""
    long_ones = rng.permutation(np.flatnonzero(words >= 40))[: count // 5]
    combos: set[tuple[int, ...]] = set()
    while len(long_ones) + len(combos) < count:
        size = int(rng.integers(2, 4))
        combos.add(tuple(sorted(rng.choice(len(pool), size=size, replace=False).tolist())))
    documents = [[int(i)] for i in long_ones] + [list(c) for c in sorted(combos)]
    return [documents[i] for i in rng.permutation(len(documents))]


def edit_words(text: str, rate: float, vocabulary: list[str], rng: np.random.Generator) -> str:
    words = text.split(" ")
    out = []
    for word in words:
        roll = rng.random()
        if roll < rate / 2:
            continue  # deletion
        out.append(vocabulary[int(rng.integers(len(vocabulary)))] if roll < rate else word)
    return " ".join(out)


def plant(
    text: str, paragraphs: list[str], vocabulary: list[str], rng: np.random.Generator
) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.25:
        return text, "exact_copy"
    if roll < 0.35:
        return re.sub(" ", "  ", text.upper() if rng.random() < 0.5 else text.lower()), "spacing_case"
    if roll < 0.75:
        rate = EDIT_RATES[int(rng.integers(len(EDIT_RATES)))]
        return edit_words(text, rate, vocabulary, rng), f"edit_{int(rate * 100)}pct"
    if roll < 0.87 and len(paragraphs) > 1:
        order = rng.permutation(len(paragraphs))
        return "\n\n".join(paragraphs[i] for i in order), "reordered"
    header, footer = BOILERPLATE[int(rng.integers(len(BOILERPLATE)))]
    return f"{header}\n\n{text}\n\n{footer}", "boilerplate"


def build(out: Path, base: int, planted: int, seed: int = 11) -> dict:
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    frame = pool_paragraphs()
    pool, words = frame["paragraph"].to_list(), frame["words"].to_numpy()
    vocabulary = sorted({w for p in pool[:2000] for w in p.split(" ") if w.isalpha()})
    members = base_documents(pool, words, base, rng)
    docs: list[dict] = []
    uses: dict[int, list[int]] = defaultdict(list)  # pool paragraph -> documents holding it
    for doc_index, paragraphs in enumerate(members):
        docs.append(
            {"id": f"base-{doc_index:06d}", "text": "\n\n".join(pool[p] for p in paragraphs), "kind": "base"}
        )
        for p in paragraphs:
            uses[p].append(doc_index)
    planted_pairs = []
    for k in range(planted):
        source = int(rng.integers(base))
        text, kind = plant(docs[source]["text"], [pool[p] for p in members[source]], vocabulary, rng)
        docs.append({"id": f"planted-{k:06d}", "text": text, "kind": kind})
        planted_pairs.append((source, len(docs) - 1, kind))
        for p in members[source]:
            uses[p].append(len(docs) - 1)
    candidate_pairs = {(a, b) for holders in uses.values() for a, b in combinations(sorted(set(holders)), 2)}
    candidate_pairs |= {(a, b) for a, b, _ in planted_pairs}
    sizes = {}
    cache: dict[int, set[int]] = {}

    def shingle_set(i: int) -> set[int]:
        if i not in cache:
            cache[i] = shingles(docs[i]["text"])
        return cache[i]

    truth = []
    for a, b in sorted(candidate_pairs):
        small, large = sorted((len(docs[a]["text"]), len(docs[b]["text"])))
        if small < THRESHOLD * large * 0.8:  # character lengths far apart: cannot reach 0.8
            continue
        similarity = jaccard(shingle_set(a), shingle_set(b))
        if similarity >= THRESHOLD:
            truth.append((docs[a]["id"], docs[b]["id"], similarity, docs[b]["kind"]))
    out.mkdir(parents=True, exist_ok=True)
    with (out / "corpus.jsonl").open("w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")
    pl.DataFrame(truth, schema=["left", "right", "jaccard", "kind"], orient="row").write_parquet(
        out / "truth.parquet"
    )
    planted_kinds = pl.DataFrame(
        [(docs[a]["id"], docs[b]["id"], kind) for a, b, kind in planted_pairs],
        schema=["source", "copy", "kind"],
        orient="row",
    )
    planted_kinds.write_parquet(out / "planted.parquet")
    sizes = {
        "documents": len(docs),
        "bytes": (out / "corpus.jsonl").stat().st_size,
        "text_mb": round(sum(len(d["text"].encode()) for d in docs) / 1e6, 1),
        "pool_paragraphs": len(pool),
        "true_pairs": len(truth),
        "planted_by_kind": dict(planted_kinds.group_by("kind").len().sort("kind").iter_rows()),
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out / "corpus.json").write_text(json.dumps(sizes, indent=2) + "\n")
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--base", type=int, default=170_000)
    parser.add_argument("--planted", type=int, default=30_000)
    args = parser.parse_args()
    print(json.dumps(build(args.out, args.base, args.planted), indent=2))


if __name__ == "__main__":
    main()
