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


if __name__ == "__main__":
    main(Path(sys.argv[1]))
