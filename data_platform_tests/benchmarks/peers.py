"""The peers of the curation benchmark, run in the benchmark's own environment (.bench-venv).

    .bench-venv/bin/python data_platform_tests/benchmarks/peers.py TOOL CORPUS OUT_DIR [--workers N]

Tools: ``datatrove-minhash`` (its four-stage MinHash pipeline), ``datatrove-filters`` (Gopher
repetition, Gopher quality, C4 and FineWeb, each family on every document), ``rensa`` (Rust
MinHash + LSH over word 5-gram shingles built in Python), and the physical limits ``xxhash``
(read every line and hash it) and ``split`` (read every line, lowercase, split into words).

Every tool writes ``result.json`` (seconds, documents) and its decisions: ``clusters.parquet``
is not available here (no Polars in this environment), so clusters go to ``clusters.jsonl``
(``id``, ``cluster``) and filter decisions to ``decisions.jsonl``. This file imports nothing
from data_platform: the two environments stay apart.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
from pathlib import Path

PARAMS = {"ngram": 5, "bands": 14, "rows": 8, "num_perm": 112, "threshold": 0.8}
FAMILIES = ("gopher_repetition", "gopher_quality", "c4", "fineweb")


def read_docs(corpus: Path):
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def physical_xxhash(corpus: Path, out: Path, workers: int) -> dict:
    import xxhash

    count = 0
    with corpus.open("rb") as handle:
        for line in handle:
            xxhash.xxh64_intdigest(line)
            count += 1
    return {"documents": count}


def physical_split(corpus: Path, out: Path, workers: int) -> dict:
    count = words = 0
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            words += len(line.lower().split())
            count += 1
    return {"documents": count, "words": words}


def rensa_dedup(corpus: Path, out: Path, workers: int) -> dict:
    from rensa import RMinHash, RMinHashLSH

    n = PARAMS["ngram"]
    lsh = RMinHashLSH(threshold=PARAMS["threshold"], num_perm=PARAMS["num_perm"], num_bands=PARAMS["bands"])
    ids, hashes = [], []
    for position, doc in enumerate(read_docs(corpus)):
        words = doc["text"].lower().split()
        grams = [" ".join(words[i : i + n]) for i in range(max(len(words) - n + 1, 1))]
        minhash = RMinHash(num_perm=PARAMS["num_perm"], seed=1)
        minhash.update(grams)
        lsh.insert(position, minhash)
        ids.append(doc["id"])
        hashes.append(minhash)
    parent = list(range(len(ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for position, minhash in enumerate(hashes):
        for other in lsh.query(minhash):
            if other < position and minhash.jaccard(hashes[other]) >= PARAMS["threshold"]:
                parent[root(position)] = root(other)
    write_clusters(out, ((ids[i], root(i)) for i in range(len(ids))))
    return {"documents": len(ids)}


def write_clusters(out: Path, pairs) -> None:
    with (out / "clusters.jsonl").open("w") as handle:
        for doc_id, cluster in pairs:
            handle.write(json.dumps({"id": doc_id, "cluster": str(cluster)}) + "\n")


def split_input(corpus: Path, folder: Path, parts: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    handles = [(folder / f"part-{k}.jsonl").open("w", encoding="utf-8") for k in range(parts)]
    with corpus.open(encoding="utf-8") as source:
        for position, line in enumerate(source):
            handles[position % parts].write(line)
    for handle in handles:
        handle.close()


def datatrove_minhash(corpus: Path, out: Path, workers: int) -> dict:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
    )
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter
    from datatrove.utils.hashing import HashConfig

    split_input(corpus, out / "input", workers)
    config = MinhashConfig(
        n_grams=PARAMS["ngram"],
        num_buckets=PARAMS["bands"],
        hashes_per_bucket=PARAMS["rows"],
        hash_config=HashConfig(precision=64),
    )
    work = out / "work"

    def reader() -> JsonlReader:
        return JsonlReader(str(out / "input"), glob_pattern="*.jsonl", text_key="text", id_key="id")

    stages = [
        ([reader(), MinhashDedupSignature(output_folder=str(work / "signatures"), config=config)], workers),
        (
            [
                MinhashDedupBuckets(
                    input_folder=str(work / "signatures"), output_folder=str(work / "buckets"), config=config
                )
            ],
            config.num_buckets,
        ),
        (
            [
                MinhashDedupCluster(
                    input_folder=str(work / "buckets"),
                    output_folder=str(work / "remove_ids"),
                    config=config,
                    save_cluster_id=True,
                )
            ],
            1,
        ),
        (
            [
                reader(),
                MinhashDedupFilter(
                    input_folder=str(work / "remove_ids"),
                    exclusion_writer=JsonlWriter(str(work / "removed"), compression=None),
                    load_cluster_ids=True,
                ),
                JsonlWriter(str(work / "kept"), compression=None),
            ],
            workers,
        ),
    ]
    for number, (pipeline, tasks) in enumerate(stages):
        LocalPipelineExecutor(
            pipeline=pipeline,
            tasks=tasks,
            workers=min(workers, tasks),
            logging_dir=str(work / f"logs-{number}"),
        ).run()
    pairs = []
    for path in sorted((work / "kept").glob("*.jsonl")) + sorted((work / "removed").glob("*.jsonl")):
        for doc in read_docs(path):
            cluster = doc.get("metadata", {}).get("minhash_cluster_id", -1)
            pairs.append((doc["id"], f"c{cluster}" if cluster != -1 else f"single-{doc['id']}"))
    write_clusters(out, pairs)
    return {"documents": len(pairs)}


def _decide(texts: list[tuple[str, str]]) -> list[dict]:
    from datatrove.data import Document
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )

    filters = dict(
        zip(
            FAMILIES,
            (GopherRepetitionFilter(), GopherQualityFilter(), C4QualityFilter(), FineWebQualityFilter()),
            strict=True,
        )
    )
    rows = []
    for doc_id, text in texts:
        row = {"id": doc_id}
        for family, selector in filters.items():
            try:
                verdict = selector.filter(Document(text=text, id=doc_id))
            except ZeroDivisionError:
                verdict = (False, "zero_division")
            row[family] = (
                "keep" if verdict is True else (verdict[1] if isinstance(verdict, tuple) else "drop")
            )
        rows.append(row)
    return rows


def datatrove_filters(corpus: Path, out: Path, workers: int) -> dict:
    docs = [(d["id"], d["text"]) for d in read_docs(corpus)]
    batches = [docs[i : i + 500] for i in range(0, len(docs), 500)]
    with multiprocessing.Pool(workers) as pool, (out / "decisions.jsonl").open("w") as handle:
        for rows in pool.imap(_decide, batches):
            for row in rows:
                handle.write(json.dumps(row) + "\n")
    return {"documents": len(docs)}


TOOLS = {
    "xxhash": physical_xxhash,
    "split": physical_split,
    "rensa": rensa_dedup,
    "datatrove-minhash": datatrove_minhash,
    "datatrove-filters": datatrove_filters,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tool", choices=sorted(TOOLS))
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    result = TOOLS[args.tool](args.corpus, args.out, args.workers)
    result["seconds"] = round(time.perf_counter() - started, 3)
    (args.out / "result.json").write_text(json.dumps(result) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
