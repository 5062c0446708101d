"""Make the demo's drops from the bundled sample, with the faults real sources deliver.

Faults planted on purpose, and what the platform must do with each:

- exact duplicates, across drops and within one, also differing only in whitespace -> cleaned
  tier quarantines them as ``exact_duplicate``;
- broken JSON lines, missing and wrongly typed fields -> raw tier quarantine naming the line
  and field;
- mojibake (UTF-8 read as cp1252) -> repaired by ftfy in the cleaned tier;
- empty and whitespace-only texts -> ``empty_text``;
- a truncated gzip drop -> the records before the cut are kept, the cut is quarantined;
- a CSV drop with an embedded newline and a row with too many columns;
- a source whose licence is not a known SPDX id -> rejected by the registry, never ingested;
- an export that is mostly broken -> the raw gate fails and the batch is not promoted;
- a passport number, a kind of PII no detector knows -> the release's independent scan holds
  its record back for review.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import random
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import yaml

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
# Drops "land" at fixed times so that every demo run produces byte-identical partitions.
LANDED_AT = datetime(2026, 1, 5, 6, 0, tzinfo=UTC).timestamp()
UD_LANGUAGES = [
    "de",
    "en",
    "es",
    "fi",
    "fr",
    "he",
    "id",
    "ja",
    "ko",
    "nl",
    "pt",
    "ro",
    "ru",
    "sv",
    "tr",
    "vi",
    "zh",
]


# A passport number: no detector has its format, the release scan sees an identifier.
PASSPORT = "C4X8R2917"


def load_sample(name: str) -> list[dict]:
    with gzip.open(SAMPLE_DIR / name, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def mojibake(text: str) -> str:
    return text.encode("utf-8").decode("cp1252", errors="ignore")


def json_lines(rows: Iterable[dict | str]) -> bytes:
    lines = [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_drop(path: Path, data: bytes, landed_hours: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    stamp = LANDED_AT + landed_hours * 3600
    os.utime(path, (stamp, stamp))


def clinc_drops(rows: list[dict], rng: random.Random) -> dict[str, bytes]:
    first, second, third = rows[:600], rows[600:1200], rows[1200:1800]
    drop1: list[dict | str] = [dict(r) for r in first]
    for row in drop1[:25]:
        row["text"] = mojibake(row["text"] + " — café ñandú")  # type: ignore[index]
    drop1 += [
        {"id": f"clinc-empty-{i}", "text": t, "intent": "oos"} for i, t in enumerate(["", "   ", "\t\n"])
    ]
    drop1 += [{"id": f"clinc-missing-{i}", "intent": "oos"} for i in range(4)]
    drop1 += ['{"id": "clinc-broken-1", "text": "what is my bal', '{"id": "clinc-broken-2", "text": ']
    drop1.insert(100, "")
    drop2: list[dict | str] = [dict(r) for r in second]
    drop2 += [{**r, "id": f"{r['id']}-resent"} for r in rng.sample(first[25:], 30)]
    drop2 += [
        {**r, "id": f"{r['id']}-spaced", "text": "  " + r["text"].replace(" ", "   ")} for r in second[:10]
    ]
    drop2 += [{"id": f"clinc-short-{i}", "text": t, "intent": "oos"} for i, t in enumerate(["ok", "hm"])]
    drop3: list[dict | str] = [dict(r) for r in third]
    drop3 += [{"id": "clinc-wrong-type-1", "text": 12345}, {"id": ["not", "a", "key"], "text": "hello there"}]
    drop3 += [{**third[0]}]  # the same key again within one drop
    # PII of a kind no detector knows: only the release's independent scan can catch it.
    drop3 += [
        {"id": "clinc-passport-1", "text": f"please update the passport number on my booking to {PASSPORT}"}
    ]
    export: list[dict | str] = [dict(r) for r in rows[:40]]
    export += [json.dumps(r)[: len(json.dumps(r)) // 2] for r in rows[40:200]]
    return {
        "clinc-2026-01-05.jsonl": json_lines(drop1),
        "clinc-2026-01-06.jsonl": json_lines(drop2),
        "clinc-2026-01-07.jsonl": json_lines(drop3),
        "clinc-2026-01-08.jsonl": json_lines(export),
    }


def sgd_drops(rows: list[dict]) -> dict[str, bytes]:
    first, second = rows[:120], rows[120:]
    resent = [{**r, "uid": r["uid"] + "/resent"} for r in first[:10]]
    one_turn = [{"uid": "sgd/one-turn", "domains": [], "turns": [{"speaker": "USER", "text": "hello?"}]}]
    full = gzip.compress(json_lines(second + resent + one_turn), mtime=0)
    return {
        "sgd-2026-01-05.jsonl.gz": gzip.compress(json_lines(first), mtime=0),
        # The transfer of the second drop was cut off: the last fifth of the bytes is missing.
        "sgd-2026-01-06.jsonl.gz": full[: int(len(full) * 0.8)],
    }


def ud_drops(rows: list[dict]) -> dict[str, bytes]:
    csv_rows, parquet_rows = rows[::2], rows[1::2]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "text", "lang", "source"])
    for index, row in enumerate(csv_rows):
        text = row["text"] + ("\nsecond line of the same record" if index == 5 else "")
        writer.writerow([row["id"], text, row["lang"], row["source"]])
    buffer.write('ud/extra-column,"one field too many",en,UD_English-EWT,unexpected\n')
    parquet = io.BytesIO()
    pl.DataFrame(parquet_rows).write_parquet(parquet)
    return {
        "ud-2026-01-05.csv": buffer.getvalue().encode("utf-8"),
        "ud-archive-2025.parquet": parquet.getvalue(),
    }


# What each demo batch carries on purpose, announced by the demo so that nobody takes a planted
# fault's warning or quarantine for a bug.
PLANTED_FAULTS = {
    "scraped_forum": "a licence that is no SPDX id: the registry rejects it, none of it is ingested",
    "clinc_intents:clinc-2026-01-05.jsonl": "mojibake, empty texts, missing fields, broken JSON lines",
    "clinc_intents:clinc-2026-01-06.jsonl": "copies of earlier records (some re-spaced), too-short texts",
    "clinc_intents:clinc-2026-01-07.jsonl": "a wrongly typed text and key, a key delivered twice, "
    "a passport number no PII detector knows (the release scan holds its record back)",
    "clinc_intents:clinc-2026-01-08.jsonl": "an export that is mostly broken: its raw gate stops it",
    "sgd_dialogues:sgd-2026-01-06.jsonl.gz": "a transfer cut off: the gzip ends early, the rest is kept",
    "ud_sentences:ud-2026-01-05.csv": "an embedded newline and a row with one column too many",
}


def registry_document() -> dict:
    common = {
        "owner": "data-platform demo",
        "refresh_cadence": "1d",
        "completion": "stable",
        "settle_seconds": 0,
        # Utterances, dialogues and single sentences: web-document rules would reject them all.
        "quality": "short-text",
    }
    return {
        # English labelers trained from the bundled training samples (ATTRIBUTION.md there).
        "labelers": {
            "intent": {"examples": str(SAMPLE_DIR / "intent_training.jsonl.gz"), "label_field": "intent"},
            "emotion": {
                "examples": str(SAMPLE_DIR / "emotion_training.jsonl.gz"),
                "label_field": "labels",
                "multi_label": True,
            },
        },
        # What a release should hold (evaluation/coverage.py): the demo's release meets some
        # and falls short of others, so the evaluation names and sizes real gaps.
        "coverage": [
            {"dimension": "domain", "value": "assistant-dialogue", "min_share": 0.1},
            {"dimension": "language", "value": ["de", "fr", "es"], "min_count": 100},
            {"dimension": "label", "task": "intent", "value": ["transfer", "balance"], "min_count": 10},
            {"dimension": "label", "task": "emotion", "value": ["joy", "sadness"], "min_share": 0.05},
        ],
        "sources": [
            {
                **common,
                "id": "clinc_intents",
                "description": "Banking and assistant utterances (CLINC150 sample).",
                "licence": "CC-BY-3.0",
                "consent": "public-dataset",
                "domain": "customer-support",
                "languages": ["en"],
                "kind": "text",
                "format": "jsonl",
                "drop_folder": "drops/clinc_intents",
                "fields": {"id": "id", "text": "text"},
                "min_chars": 3,
                "label_tasks": ["intent", "emotion", "tone"],
                # Intent stricter than the default (0.667); nearly every utterance here is neutral
                # in tone, and alpha is harsh on answers that hardly vary: tone is held lower.
                "min_agreement": {"intent": 0.8, "tone": 0.5},
            },
            {
                **common,
                "id": "clinc_synthetic",
                "description": "Utterances generated for the slices the intent labeler fails on, "
                "from CLINC150 records (synthetic/generators.py); every batch passed its gate.",
                # A recombination of CC-BY-3.0 records is an adaptation under the same terms.
                "licence": "CC-BY-3.0",
                "consent": "derived-from-public-dataset",
                "domain": "customer-support",
                "languages": ["en"],
                "kind": "text",
                "format": "jsonl",
                "drop_folder": "drops/clinc_synthetic",
                "fields": {"id": "id", "text": "text"},
                "min_chars": 3,
                "label_tasks": ["intent", "emotion", "tone"],
                "synthetic": True,
            },
            {
                **common,
                "id": "sgd_dialogues",
                "description": "Task-oriented assistant dialogues (SGD sample).",
                "licence": "CC-BY-SA-4.0",
                "consent": "public-dataset",
                "domain": "assistant-dialogue",
                "languages": ["en"],
                "kind": "conversation",
                "format": "jsonl.gz",
                "drop_folder": "drops/sgd_dialogues",
                "fields": {"id": "uid", "turns": "turns"},
                "label_tasks": ["emotion", "tone"],
            },
            {
                **common,
                "id": "ud_sentences",
                "description": "Multilingual sentences (Universal Dependencies sample), CSV export.",
                "licence": "CC-BY-SA-4.0",
                "consent": "public-dataset",
                "domain": "general",
                "languages": UD_LANGUAGES,
                "kind": "text",
                "format": "csv",
                "drop_folder": "drops/ud_sentences",
                "fields": {"id": "id", "text": "text", "lang": "lang"},
            },
            {
                **common,
                "id": "ud_archive",
                "description": "Multilingual sentences (Universal Dependencies sample), Parquet archive.",
                "licence": "CC-BY-SA-4.0",
                "consent": "public-dataset",
                "domain": "general",
                "languages": UD_LANGUAGES,
                "kind": "text",
                "format": "parquet",
                "drop_folder": "drops/ud_archive",
                "fields": {"id": "id", "text": "text", "lang": "lang"},
            },
            {
                **common,
                "id": "scraped_forum",
                "description": "Forum posts scraped under terms nobody has reviewed.",
                "licence": "Forum-Terms-Unknown",
                "consent": "unknown",
                "domain": "forum",
                "languages": ["en"],
                "kind": "text",
                "format": "jsonl",
                "drop_folder": "drops/scraped_forum",
            },
        ],
    }


def generate_demo(home: Path, *, seed: int = 7) -> Path:
    """Write the registry and every drop under ``home``; return the registry path."""
    rng = random.Random(seed)
    clinc = load_sample("clinc150_sample.jsonl.gz")
    drops = {
        "clinc_intents": clinc_drops(clinc, rng),
        "sgd_dialogues": sgd_drops(load_sample("sgd_sample.jsonl.gz")),
        "scraped_forum": {"forum-2026-01-05.jsonl": json_lines(clinc[:50])},
    }
    ud = ud_drops(load_sample("ud_sample.jsonl.gz"))
    drops["ud_sentences"] = {"ud-2026-01-05.csv": ud["ud-2026-01-05.csv"]}
    drops["ud_archive"] = {"ud-archive-2025.parquet": ud["ud-archive-2025.parquet"]}
    for source_id, files in drops.items():
        for hours, (name, data) in enumerate(sorted(files.items())):
            write_drop(home / "drops" / source_id / name, data, hours * 24)
    registry = home / "sources.yaml"
    registry.write_text(yaml.safe_dump(registry_document(), sort_keys=False), encoding="utf-8")
    return registry
