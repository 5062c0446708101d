"""PII detection side by side: ours, presidio's recognizers and scrubadub, on two sets.

    python -m data_platform_tests.benchmarks.bench_pii [--rows 20000]

Sets, written once under .bench/pii/: presidio-research's synthetic sentences from
../shared/data/presidio_synth_pii (1,500 texts, spans given; skipped with a message where the
folder is absent) and the generated corpus of data_platform_tests/pii_corpus.py (planted
identifiers with known spans, distractors). Every tool runs in its own process on one core
(ours with POLARS_MAX_THREADS=1 and NUMBA_NUM_THREADS=1, kernels loaded before the clock as in
the curation benchmark; the peers in .bench-venv, see peers_pii.py for their configuration).
A found span counts when it overlaps a true span of the same type in the same text.
Results: .bench/pii/results.json and a Markdown table on stdout, with our seconds per detector
(from a second run).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import polars as pl

from data_platform_tests.benchmarks.bench_curation import PEER_PYTHON, measured_run
from data_platform_tests.conftest import PROJECT_ROOT
from data_platform_tests.pii_corpus import generate, score

BENCH = PROJECT_ROOT / ".bench" / "pii"
SHARED = PROJECT_ROOT.parent / "shared" / "data" / "presidio_synth_pii" / "presidio_synth_pii.jsonl"
PEERS = Path(__file__).with_name("peers_pii.py")
STRUCTURED = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "US_SSN")
CONTEXTUAL = ("DATE_OF_BIRTH", "URL_CREDENTIALS", "SECRET", "PERSON")


def ours(corpus: Path, out: Path) -> None:
    """Subcommand run in its own process: our detector over the corpus."""
    from data_platform.governance.pii import detect

    texts = pl.read_ndjson(corpus, schema={"text": pl.String})["text"]
    detect(texts.head(50))  # load the compiled kernels before the clock
    started = time.perf_counter()
    found = detect(texts)
    seconds = time.perf_counter() - started
    out.mkdir(parents=True, exist_ok=True)
    found.select("row", "entity_type", "start", "end").write_ndjson(out / "findings.jsonl")
    per_detector: dict[str, float] = {}
    detect(texts, timings=per_detector)  # a second run, timed per detector
    slowest = sorted(per_detector.items(), key=lambda item: -item[1])
    result = {
        "documents": texts.len(),
        "seconds": round(seconds, 3),
        "per_detector_seconds": {name: round(spent, 3) for name, spent in slowest},
    }
    (out / "result.json").write_text(json.dumps(result) + "\n")


def write_sets(rows: int) -> dict[str, Path]:
    BENCH.mkdir(parents=True, exist_ok=True)
    sets = {}
    generated = BENCH / f"generated-{rows}.jsonl"
    if not generated.exists():
        with generated.open("w") as handle:
            for row in generate(rows, seed=7):
                handle.write(json.dumps(row) + "\n")
    sets["generated"] = generated
    if SHARED.exists():
        sets["presidio_synth"] = SHARED
    else:
        print(f"skipping the presidio set: {SHARED} is absent", file=sys.stderr)
    return sets


def run(rows: int, skip_peers: bool) -> dict:
    results: dict = {}
    for set_name, corpus in write_sets(rows).items():
        truth = [json.loads(line) for line in corpus.open()]
        megabytes = sum(len(row["text"].encode()) for row in truth) / 1e6
        results[set_name] = {"documents": len(truth), "mb_of_text": round(megabytes, 2), "tools": {}}
        tools = [("ours", [sys.executable, "-m", "data_platform_tests.benchmarks.bench_pii", "ours"])]
        if not skip_peers:
            tools += [(peer, [str(PEER_PYTHON), str(PEERS), peer]) for peer in ("presidio", "scrubadub")]
        for tool, command in tools:
            out = BENCH / f"out-{set_name}-{tool}"
            print(f"running {tool} on {set_name} ...", file=sys.stderr)
            env = {**os.environ, "POLARS_MAX_THREADS": "1", "NUMBA_NUM_THREADS": "1"}
            timing = measured_run([*command, str(corpus), str(out)], out.with_suffix(".log"), env)
            result = json.loads((out / "result.json").read_text())
            seconds = result["seconds"]
            found = [
                (f["row"], f["entity_type"], f["start"], f["end"])
                for f in map(json.loads, (out / "findings.jsonl").read_text().splitlines())
            ]
            scores = score(found, truth, STRUCTURED + CONTEXTUAL)
            counted = [s for s in scores.values() if s["found"] and s["true"]]
            correct = sum(s["found"] * s["precision"] for s in counted)
            results[set_name]["tools"][tool] = {
                "seconds": seconds,
                "mb_per_s": round(megabytes / seconds, 2),
                "peak_rss_mb": timing["peak_rss_mb"],
                "precision_overall": round(correct / sum(s["found"] for s in counted), 4)
                if counted
                else None,
                "per_type": scores,
                "per_detector_seconds": result.get("per_detector_seconds"),
            }
    (BENCH / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


def markdown(results: dict) -> str:
    lines = []
    for set_name, result in results.items():
        tools = result["tools"]
        lines += [
            f"\n{set_name}: {result['documents']:,} texts, {result['mb_of_text']} MB",
            "",
            "| type | " + " | ".join(f"{t} P | {t} R" for t in tools) + " |",
            "|---|" + "---|---|" * len(tools),
        ]
        for kind in STRUCTURED + CONTEXTUAL:
            if not any(tool["per_type"][kind]["true"] for tool in tools.values()):
                continue
            cells = []
            for tool in tools.values():
                s = tool["per_type"][kind]
                cells += [str(s["precision"] if s["precision"] is not None else "-"), str(s["recall"])]
            lines.append(f"| {kind} | " + " | ".join(cells) + " |")
        lines.append(
            "| overall precision | "
            + " | ".join(f"{t['precision_overall']} | " for t in tools.values())
            + "|"
        )
        lines.append("| MB/s (one core) | " + " | ".join(f"{t['mb_per_s']} | " for t in tools.values()) + "|")
        lines.append("| peak RSS MB | " + " | ".join(f"{t['peak_rss_mb']} | " for t in tools.values()) + "|")
        if tools.get("ours", {}).get("per_detector_seconds"):
            spent = tools["ours"]["per_detector_seconds"]
            lines.append("\nours, seconds per detector: " + ", ".join(f"{k} {v}" for k, v in spent.items()))
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "ours":
        ours(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="texts in the generated set")
    parser.add_argument("--skip-peers", action="store_true", help="run ours only")
    args = parser.parse_args()
    print(markdown(run(args.rows, args.skip_peers)))


if __name__ == "__main__":
    main()
