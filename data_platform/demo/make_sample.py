"""Rebuild the bundled demo sample from ../shared/data (run once; the output is committed).

Run: ``python -m data_platform.demo.make_sample ../shared/data``. Deterministic: rows are
chosen by the smallest sha256 of their id, so the same inputs give the same sample.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"


def _rows(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def _smallest(rows: list[dict], key: str, count: int) -> list[dict]:
    return sorted(rows, key=lambda r: hashlib.sha256(str(r[key]).encode()).hexdigest())[:count]


def _write(name: str, rows: list[dict]) -> None:
    with gzip.open(SAMPLE_DIR / name, "wt", encoding="utf-8", compresslevel=9) as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def main(shared_data: Path) -> None:
    clinc = [
        {"id": f"clinc-{i}", **{k: r[k] for k in ("text", "intent", "domain", "split")}}
        for i, r in enumerate(_rows(shared_data / "clinc150_intents/clinc150.jsonl"))
    ]
    _write("clinc150_sample.jsonl.gz", _smallest(clinc, "id", 1800))
    dialogues = [
        {
            "uid": r["uid"],
            "domains": r["domains"],
            "turns": [{"speaker": t["speaker"], "text": t["text"]} for t in r["turns"]],
        }
        for r in _rows(shared_data / "sgd_dialogues/sgd_dialogues.jsonl.gz")
    ]
    _write("sgd_sample.jsonl.gz", _smallest(dialogues, "uid", 240))
    sentences = list(_rows(shared_data / "ud_multilingual_sentences/ud_sentences.jsonl.gz"))
    by_lang: dict[str, list[dict]] = {}
    for r in sentences:
        by_lang.setdefault(r["lang"], []).append({k: r[k] for k in ("id", "text", "lang", "source")})
    _write(
        "ud_sample.jsonl.gz", [row for lang in sorted(by_lang) for row in _smallest(by_lang[lang], "id", 80)]
    )


def training_sets(shared_data: Path) -> None:
    """Labeled examples the demo's labelers train on: CLINC150 train-split utterances outside
    the drop sample (20 per intent) and GoEmotions train-split comments (6,000)."""
    clinc = [
        {"id": f"clinc-{i}", "text": r["text"], "intent": r["intent"], "split": r["split"]}
        for i, r in enumerate(_rows(shared_data / "clinc150_intents/clinc150.jsonl"))
    ]
    in_drops = {r["id"] for r in _smallest(clinc, "id", 1800)}
    by_intent: dict[str, list[dict]] = {}
    for r in clinc:
        if r["split"] == "train" and r["id"] not in in_drops:
            by_intent.setdefault(r["intent"], []).append({k: r[k] for k in ("id", "text", "intent")})
    _write(
        "intent_training.jsonl.gz",
        [row for intent in sorted(by_intent) for row in _smallest(by_intent[intent], "id", 20)],
    )
    comments = [
        {"id": r["id"], "text": r["text"], "labels": r["labels"]}
        for r in _rows(shared_data / "goemotions/goemotions.jsonl.gz")
        if r["split"] == "train"
    ]
    _write("emotion_training.jsonl.gz", _smallest(comments, "id", 6000))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
    training_sets(Path(sys.argv[1]))
