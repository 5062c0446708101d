"""Compare language identifiers on the UD multilingual sentences (29,977 sentences, 17 languages).

Run: ``.venv/bin/python -m data_platform_tests.benchmarks.bench_langid`` (lingua comes with the
``bench`` extra: ``pip install -e '.[bench]'``; ``make bench`` installs it). Each library runs in
its own process so its memory is its own. Prints accuracy, sentences/s and peak RSS per library
and the per-language accuracy.
"""

from __future__ import annotations

import gzip
import json
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

UD_PATH = Path(__file__).resolve().parents[3] / "shared/data/ud_multilingual_sentences/ud_sentences.jsonl.gz"


def load_sentences() -> tuple[list[str], list[str]]:
    with gzip.open(UD_PATH, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [r["text"] for r in rows], [r["lang"] for r in rows]


def predict_py3langid(texts: list[str]) -> list[str]:
    from data_platform.annotation.language import LanguageIdentifier

    return LanguageIdentifier().identify(texts)["lang"].to_list()


def predict_lingua(texts: list[str], low_accuracy: bool) -> list[str]:
    from lingua import LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models()
    detector = (builder.with_low_accuracy_mode() if low_accuracy else builder).build()
    results = detector.detect_languages_in_parallel_of(texts)
    return [r.iso_code_639_1.name.lower() if r is not None else "und" for r in results]


LIBRARIES = {
    "py3langid (ours, one core)": lambda texts: predict_py3langid(texts),
    "lingua high accuracy (both cores)": lambda texts: predict_lingua(texts, low_accuracy=False),
    "lingua low accuracy (both cores)": lambda texts: predict_lingua(texts, low_accuracy=True),
}


def child(name: str) -> None:
    texts, gold = load_sentences()
    start = time.perf_counter()
    predicted = LIBRARIES[name](texts)
    seconds = time.perf_counter() - start
    hits = Counter(g for p, g in zip(predicted, gold, strict=True) if p == g)
    totals = Counter(gold)
    print(
        json.dumps(
            {
                "library": name,
                "accuracy": sum(hits.values()) / len(gold),
                "sentences_per_s": len(gold) / seconds,
                "seconds_with_model_load": seconds,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "per_language": {lang: round(hits[lang] / n, 3) for lang, n in sorted(totals.items())},
            }
        )
    )


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return 0
    if not UD_PATH.exists():
        print(f"skipped: {UD_PATH} is absent (the shared datasets live in ../shared/data)")
        return 0
    print("| library | accuracy | sentences/s (incl. model load) | peak RSS (MB) |")
    print("|---|---|---|---|")
    rows = []
    for name in LIBRARIES:
        command = [sys.executable, "-m", "data_platform_tests.benchmarks.bench_langid", "--child", name]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"| {name} | not run: {done.stderr.strip().splitlines()[-1]} | | |")
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(
            f"| {name} | {row['accuracy']:.4f} | {row['sentences_per_s']:,.0f} | {row['peak_rss_mb']:,.0f} |",
            flush=True,
        )
    for row in rows:
        print(f"\n{row['library']} per language: {row['per_language']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
