"""Curation side by side: our near-dedup and quality rules against datatrove and rensa.

    python -m data_platform_tests.benchmarks.bench_curation [--base 170000] [--planted 30000]

Builds (once) the corpus of benchmarks/corpus.py under .bench/curation/, then runs each tool in
its own process on the same file with the same parameters (word 5-grams, 112 permutations,
14 bands x 8 rows, Jaccard 0.8), sampling the resident memory of the process and its children:

- ours, the whole cleaned tier's work without quality rules: ``data-platform curate CORPUS OUT
  --quality off`` (read, normalise, exact keys, tokenise, shingle, sign, index, verify,
  cluster, write every record back out);
- ours, the near-dedup core alone: read, tokenise, shingle, sign, index, verify, cluster;
- ours, the four rule families: every document measured once, each family's decision kept;
- datatrove's MinHash pipeline and its four filter families, rensa, and the physical limits
  (peers.py, in .bench-venv, which ``make bench`` creates).

Duplicate quality is pairwise: the pairs inside each tool's clusters against the pairs inside the
true clusters (connected components of the truth pairs). Filter agreement is per family, on
every document. Results go to .bench/curation/results.json and a Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from data_platform_tests.benchmarks import corpus as corpus_module
from data_platform_tests.conftest import PROJECT_ROOT

BENCH = PROJECT_ROOT / ".bench" / "curation"
PEER_PYTHON = PROJECT_ROOT / ".bench-venv" / "bin" / "python"
PEERS = Path(__file__).with_name("peers.py")
FAMILIES = ("gopher_repetition", "gopher_quality", "c4", "fineweb")


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (from /proc)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as handle:
                total += next(int(line.split()[1]) * 1024 for line in handle if line.startswith("VmRSS"))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


def measured_run(command: list[str], log: Path, env: dict[str, str] | None = None) -> dict:
    """Run ``command``; wall seconds and the peak resident memory of its process tree."""
    started = time.perf_counter()
    with log.open("w") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT, env=env
        )
        peak = 0

        def sample() -> None:
            nonlocal peak
            while process.poll() is None:
                peak = max(peak, tree_rss(process.pid))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        sampler.join()
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {code}; see {log}")
    return {"seconds": round(time.perf_counter() - started, 2), "peak_rss_mb": round(peak / 1e6)}


def ensure_corpus(base: int, planted: int) -> Path:
    folder = BENCH / f"corpus-{base}-{planted}"
    if not (folder / "planted.parquet").exists():
        print(f"building the corpus in {folder} ...", file=sys.stderr)
        corpus_module.build(folder, base, planted)
    return folder


def clusters_of_curate(out: Path) -> pl.DataFrame:
    kept = pl.read_ndjson(out / "kept.jsonl").select("id", "cluster_id")
    removed = pl.read_ndjson(out / "quarantined.jsonl").select("id", "cluster_id")
    frame = pl.concat([kept, removed])
    return frame.select("id", cluster=pl.coalesce("cluster_id", "id"))


def cluster_pairs(clusters: pl.DataFrame) -> pl.DataFrame:
    grouped = clusters.filter(pl.len().over("cluster") > 1)
    pairs = grouped.join(grouped, on="cluster", suffix="_other").filter(pl.col("id") < pl.col("id_other"))
    return pairs.select(left="id", right="id_other")


def truth_clusters(truth: pl.DataFrame) -> pl.DataFrame:
    """Connected components of the truth pairs (union-find over a few ten thousand edges)."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for left, right in truth.select("left", "right").iter_rows():
        parent[root(left)] = root(right)
    return pl.DataFrame({"id": list(parent), "cluster": [root(node) for node in parent]})


def pair_scores(predicted: pl.DataFrame, truth: pl.DataFrame, planted: pl.DataFrame) -> dict:
    """Pairwise precision, recall and F1 over clusters, and per planting method the share of
    copies that reach their source's cluster (only where the copy stayed >= 0.8 similar)."""
    true_pairs = cluster_pairs(truth_clusters(truth))
    found = cluster_pairs(predicted)
    hits = found.join(true_pairs, on=["left", "right"], how="semi").height
    precision = hits / found.height if found.height else 1.0
    recall = hits / true_pairs.height if true_pairs.height else 1.0
    cluster = predicted.rename({"id": "doc", "cluster": "c"})
    similar = planted.join(truth.select(source="left", copy="right"), on=["source", "copy"], how="semi")
    recalled = (
        similar.join(cluster.rename({"doc": "source", "c": "c_source"}), on="source")
        .join(cluster.rename({"doc": "copy", "c": "c_copy"}), on="copy")
        .group_by("kind")
        .agg(recall=(pl.col("c_source") == pl.col("c_copy")).mean().round(4), pairs=pl.len())
        .sort("kind")
    )
    return {
        "pairs_found": found.height,
        "true_pairs": true_pairs.height,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
        "planted_recall": {
            row["kind"]: [row["recall"], row["pairs"]] for row in recalled.iter_rows(named=True)
        },
    }


def warm_up(corpus: Path, step: Callable[[pl.Series], object]) -> float:
    """Run ``step`` on the corpus' first 100 texts before the clock starts: it builds the
    character tables and loads the compiled kernels from numba's cache, once per process.
    Returns its seconds, reported beside the throughput (the peers' runs include their
    imports, a second or two in runs of 20 to 1,000 seconds)."""
    started = time.perf_counter()
    step(pl.read_ndjson(corpus, n_rows=100, schema={"id": pl.String, "text": pl.String})["text"])
    return round(time.perf_counter() - started, 3)


def our_filter_decisions(corpus: Path, out: Path) -> None:
    """Subcommand run in its own process: the four families' decisions for every document."""
    from data_platform.curation.quality import QualityRules, quality_rules, quality_stats
    from data_platform.curation.rules import first_failure
    from data_platform.text.tokens import tokenize

    def measure(texts: pl.Series) -> pl.DataFrame:
        return quality_stats(texts, tokenize(texts), QualityRules(spam=None))

    warm = warm_up(corpus, measure)
    started = time.perf_counter()
    docs = pl.read_ndjson(corpus, schema={"id": pl.String, "text": pl.String})
    decisions = [docs.select("id")]
    for start in range(0, docs.height, 20_000):
        chunk = docs.slice(start, 20_000)
        stats = measure(chunk["text"])
        columns = {}
        for family in FAMILIES:
            only = {name: (getattr(QualityRules(), name) if name == family else None) for name in FAMILIES}
            columns[family] = first_failure(quality_rules(QualityRules(spam=None, **only)))[0].fill_null(
                "keep"
            )
        decisions.append(stats.select(**columns))
    frame = pl.concat([decisions[0], pl.concat(decisions[1:])], how="horizontal")
    frame.write_parquet(out / "decisions.parquet")
    seconds = time.perf_counter() - started
    (out / "result.json").write_text(
        json.dumps({"documents": docs.height, "seconds": round(seconds, 3), "warm_up_seconds": warm}) + "\n"
    )


def our_dedup_core(corpus: Path, out: Path, chunk: int = 20_000) -> None:
    """Subcommand: the near-dedup path alone (read, tokenise, shingle, sign, index, verify,
    cluster), chunk by chunk against everything before, as the cleaned tier runs it."""
    from data_platform.curation.near_dedup import (
        NearDupIndex,
        NearDupRules,
        index_entries,
        near_duplicate_matches,
    )
    from data_platform.text.tokens import tokenize

    rules = NearDupRules()

    def sample_matches(texts: pl.Series) -> pl.DataFrame:
        frame = pl.DataFrame({"record_id": texts, "batch_id": "warm-up", "text": texts})
        entries = index_entries(frame, 1, 0, rules.params, tokenize(texts))
        return near_duplicate_matches(entries, [NearDupIndex(rules.params)], rules)

    warm = warm_up(corpus, sample_matches)
    started = time.perf_counter()
    index, links, documents = NearDupIndex(rules.params), [], 0
    reader = pl.read_ndjson(corpus, schema={"id": pl.String, "text": pl.String})
    for start in range(0, reader.height, chunk):
        frame = reader.slice(start, chunk).select(record_id="id", batch_id=pl.lit("bench"), text="text")
        entries = index_entries(frame, 1, start, rules.params, tokenize(frame["text"]))
        found = near_duplicate_matches(entries, [index], rules)
        links.append(found.select(id=frame["record_id"].gather(found["_row"]), dup_of="dup_of"))
        index.add(entries)
        documents += frame.height
    clusters = union_clusters(pl.concat(links), reader["id"])
    seconds = time.perf_counter() - started
    clusters.write_parquet(out / "clusters.parquet")
    (out / "result.json").write_text(
        json.dumps({"documents": documents, "seconds": round(seconds, 3), "warm_up_seconds": warm}) + "\n"
    )


def union_clusters(links: pl.DataFrame, ids: pl.Series) -> pl.DataFrame:
    """Every id with the id its chain of ``dup_of`` links ends at."""
    root = dict(zip(links["id"].to_list(), links["dup_of"].to_list(), strict=True))
    cluster = {}
    for doc_id in ids.to_list():
        node = doc_id
        while node in root:
            node = root[node]
        cluster[doc_id] = node
    return pl.DataFrame({"id": list(cluster), "cluster": list(cluster.values())})


def agreement(ours: pl.DataFrame, theirs: pl.DataFrame) -> dict:
    joined = ours.join(theirs, on="id", suffix="_theirs")
    result = {}
    for family in FAMILIES:
        same = (joined[family] == "keep") == (joined[f"{family}_theirs"] == "keep")
        result[family] = {
            "agreement": round(float(same.mean()), 4),
            "removed_ours": int((joined[family] != "keep").sum()),
            "removed_theirs": int((joined[f"{family}_theirs"] != "keep").sum()),
        }
    all_ours = pl.all_horizontal(pl.col(f) == "keep" for f in FAMILIES)
    all_theirs = pl.all_horizontal(pl.col(f"{f}_theirs") == "keep" for f in FAMILIES)
    result["all_four"] = {"agreement": round(float(joined.select((all_ours == all_theirs).mean()).item()), 4)}
    return result


def run(base: int, planted: int, skip_peers: bool) -> dict:
    folder = ensure_corpus(base, planted)
    corpus_file, info = folder / "corpus.jsonl", json.loads((folder / "corpus.json").read_text())
    corpus = pl.read_ndjson(corpus_file, schema={"id": pl.String, "text": pl.String, "kind": pl.String})
    truth = pl.read_parquet(folder / "truth.parquet")
    planted = pl.read_parquet(folder / "planted.parquet")
    megabytes = corpus_file.stat().st_size / 1e6
    runs: dict[str, dict] = {}

    def record(name: str, command: list[str], out: Path) -> dict:
        out.mkdir(parents=True, exist_ok=True)
        print(f"running {name} ...", file=sys.stderr)
        timing = measured_run(command, out / "log.txt")
        result_file = out / "result.json"
        inner = json.loads(result_file.read_text()) if result_file.exists() else {}
        seconds = inner.get("seconds", timing["seconds"])
        runs[name] = {
            **timing,
            "work_seconds": seconds,
            "warm_up_seconds": inner.get("warm_up_seconds"),
            "docs_per_s": round(corpus.height / seconds),
            "mb_per_s": round(megabytes / seconds, 2),
        }
        return runs[name]

    ours = folder / "out-ours-dedup"
    record(
        "ours cleaned tier (2 cores)",
        [
            str(PROJECT_ROOT / ".venv/bin/data-platform"),
            "curate",
            str(corpus_file),
            str(ours),
            "--quality",
            "off",
            "--no-progress",
        ],
        ours,
    )
    scores = {"ours cleaned tier (2 cores)": pair_scores(clusters_of_curate(ours), truth, planted)}
    core = folder / "out-ours-dedup-core"
    name = "ours near-dedup core (2 cores)"
    record(
        name,
        [
            sys.executable,
            "-m",
            "data_platform_tests.benchmarks.bench_curation",
            "dedup",
            str(corpus_file),
            str(core),
        ],
        core,
    )
    scores[name] = pair_scores(pl.read_parquet(core / "clusters.parquet"), truth, planted)
    filters = folder / "out-ours-filters"
    record(
        "ours 4 rule families (2 cores)",
        [
            sys.executable,
            "-m",
            "data_platform_tests.benchmarks.bench_curation",
            "filters",
            str(corpus_file),
            str(filters),
        ],
        filters,
    )
    filter_agreement = None
    previous = json.loads((BENCH / "results.json").read_text()) if (BENCH / "results.json").exists() else {}
    same_corpus = {k: previous.get("corpus", {}).get(k) for k in ("documents", "bytes")} == {
        k: info[k] for k in ("documents", "bytes")
    }
    if skip_peers and same_corpus:  # keep the peers' last figures on this corpus
        runs.update({k: v for k, v in previous["runs"].items() if k not in runs})
        scores.update({k: v for k, v in previous["dedup"].items() if k not in scores})
    if skip_peers and (folder / "out-datatrove-filters" / "decisions.jsonl").exists():
        theirs = pl.read_ndjson(folder / "out-datatrove-filters" / "decisions.jsonl")
        filter_agreement = agreement(pl.read_parquet(filters / "decisions.parquet"), theirs)
    if not skip_peers:
        peer = [str(PEER_PYTHON), str(PEERS)]
        for tool, workers, name in (
            ("xxhash", 1, "limit: read + xxhash64 per line (1 core)"),
            ("split", 1, "limit: read + lowercase + split (1 core)"),
            ("rensa", 1, "rensa MinHash + LSH (1 core)"),
            ("datatrove-minhash", 2, "datatrove MinHash pipeline (2 workers)"),
            ("datatrove-filters", 2, "datatrove 4 filter families (2 workers)"),
        ):
            out = folder / f"out-{tool}"
            record(name, [*peer, tool, str(corpus_file), str(out), "--workers", str(workers)], out)
            if (out / "clusters.jsonl").exists():
                scores[name] = pair_scores(pl.read_ndjson(out / "clusters.jsonl"), truth, planted)
        theirs = pl.read_ndjson(folder / "out-datatrove-filters" / "decisions.jsonl")
        filter_agreement = agreement(pl.read_parquet(filters / "decisions.parquet"), theirs)
    results = {"corpus": info, "runs": runs, "dedup": scores, "filter_agreement": filter_agreement}
    (BENCH / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


def rescore(base: int, planted_count: int) -> dict:
    """Scores and agreement again from the outputs of the last run (no tool is rerun)."""
    folder = ensure_corpus(base, planted_count)
    results = json.loads((BENCH / "results.json").read_text())
    truth, planted = pl.read_parquet(folder / "truth.parquet"), pl.read_parquet(folder / "planted.parquet")
    outputs = {
        "ours cleaned tier (2 cores)": lambda: clusters_of_curate(folder / "out-ours-dedup"),
        "ours near-dedup core (2 cores)": lambda: pl.read_parquet(
            folder / "out-ours-dedup-core" / "clusters.parquet"
        ),
        "rensa MinHash + LSH (1 core)": lambda: pl.read_ndjson(folder / "out-rensa" / "clusters.jsonl"),
        "datatrove MinHash pipeline (2 workers)": lambda: pl.read_ndjson(
            folder / "out-datatrove-minhash" / "clusters.jsonl"
        ),
    }
    results["dedup"] = {name: pair_scores(load(), truth, planted) for name, load in outputs.items()}
    theirs = pl.read_ndjson(folder / "out-datatrove-filters" / "decisions.jsonl")
    results["filter_agreement"] = agreement(
        pl.read_parquet(folder / "out-ours-filters" / "decisions.parquet"), theirs
    )
    (BENCH / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


def markdown(results: dict) -> str:
    runs, scores = results["runs"], results["dedup"]
    split = runs.get("limit: read + lowercase + split (1 core)")
    lines = [
        "| run | docs/s | MB/s | peak RSS MB | P | R | F1 | vs split limit |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, run_info in runs.items():
        score = scores.get(name, {})
        fraction = f"{run_info['mb_per_s'] / split['mb_per_s']:.2f}" if split else ""
        lines.append(
            f"| {name} | {run_info['docs_per_s']:,} | {run_info['mb_per_s']} | {run_info['peak_rss_mb']} | "
            f"{score.get('precision', '')} | {score.get('recall', '')} | {score.get('f1', '')} | {fraction} |"
        )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("filters", "dedup"):
        subcommand = our_filter_decisions if sys.argv[1] == "filters" else our_dedup_core
        subcommand(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=170_000)
    parser.add_argument("--planted", type=int, default=30_000)
    parser.add_argument(
        "--skip-peers",
        action="store_true",
        help="rerun only our tools (the peers' last figures on this corpus stay)",
    )
    parser.add_argument("--rescore", action="store_true", help="recompute scores from the last run's outputs")
    args = parser.parse_args()
    if args.rescore:
        results = rescore(args.base, args.planted)
        print(markdown(results))
        print(
            json.dumps({"dedup": results["dedup"], "filter_agreement": results["filter_agreement"]}, indent=2)
        )
        return
    if not args.skip_peers and not PEER_PYTHON.exists():
        raise SystemExit(f"{PEER_PYTHON} is missing: 'make bench' creates it (datatrove, rensa, xxhash)")
    results = run(args.base, args.planted, args.skip_peers)
    print(markdown(results))
    print(json.dumps({"dedup": results["dedup"], "filter_agreement": results["filter_agreement"]}, indent=2))


if __name__ == "__main__":
    main()
