"""Compare language-identification libraries on the UD multilingual sentences.

Run: ``.venv/bin/python -m data_platform_tests.benchmarks.bench_langid``
Reads ../shared/data/ud_multilingual_sentences; prints accuracy per library and language,
throughput and the memory the detector holds. The figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import gzip
import json
import resource
import sys
import time
from collections import Counter
from pathlib import Path

UD_PATH = Path(__file__).resolve().parents[3] / "shared/data/ud_multilingual_sentences/ud_sentences.jsonl.gz"


def load_sentences(path: Path) -> tuple[list[str], list[str]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [r["text"] for r in rows], [r["lang"] for r in rows]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def score(name: str, predicted: list[str], gold: list[str], seconds: float, mb: float) -> None:
    hits = Counter(g for p, g in zip(predicted, gold, strict=True) if p == g)
    totals = Counter(gold)
    accuracy = sum(hits.values()) / len(gold)
    per_lang = " ".join(f"{lang}={hits[lang] / n:.3f}" for lang, n in sorted(totals.items()))
    print(
        f"{name}: accuracy={accuracy:.4f} sentences/s={len(gold) / seconds:,.0f} "
        f"rss_after_mb={mb:,.0f}\n  {per_lang}"
    )


def run_lingua(texts: list[str], gold: list[str]) -> None:
    from data_platform.annotation.language import LanguageIdentifier

    start = time.perf_counter()
    identifier = LanguageIdentifier()
    load = time.perf_counter() - start
    start = time.perf_counter()
    predicted = identifier.identify(texts)["lang"].to_list()
    seconds = time.perf_counter() - start
    print(f"lingua load_s={load:.1f}")
    score("lingua (all languages, high accuracy)", predicted, gold, seconds, rss_mb())


def run_py3langid(texts: list[str], gold: list[str]) -> None:
    import py3langid

    start = time.perf_counter()
    predicted = [py3langid.classify(t)[0] for t in texts]
    seconds = time.perf_counter() - start
    score("py3langid (97 languages)", predicted, gold, seconds, rss_mb())


def main() -> int:
    if not UD_PATH.exists():
        print(f"skipped: {UD_PATH} is absent (needs ../shared/data)")
        return 0
    texts, gold = load_sentences(UD_PATH)
    which = sys.argv[1] if len(sys.argv) > 1 else "both"
    if which in ("both", "py3langid"):
        run_py3langid(texts, gold)
    if which in ("both", "lingua"):
        run_lingua(texts, gold)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
