"""`data-platform pii`: PII detection and redaction on one file, outside Dagster.

Reads a jsonl, jsonl.gz or parquet file of records with an id and a text field (the same
readers as the raw tier) and writes to the output folder:

- ``findings.parquet``: one row per finding: the input ``id``, ``entity_type``, ``start`` and
  ``end`` (characters of the text) and ``detector``; never the value found;
- ``redacted.jsonl``: every readable record with its text redacted, all other fields kept;
- ``summary.json``: records, findings per type, unreadable lines, time and throughput.

Unreadable lines are reported on stderr with file, line and field; the readable ones are still
processed and written.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import polars as pl
from tqdm import tqdm

from data_platform.governance.pii import FINDINGS_SCHEMA, detect, redact
from data_platform.sources.drops import one_file_drop
from data_platform.sources.readers import ReadStats, read_drop


def pii_file(
    source_path: Path,
    output_dir: Path,
    *,
    id_field: str = "id",
    text_field: str = "text",
    mode: str = "placeholder",
    key: bytes | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Detect and redact PII in ``source_path``; return the summary (also written)."""
    started = time.perf_counter()
    drop = one_file_drop(source_path, "pii", id_field, text_field, min_chars=0)
    output_dir.mkdir(parents=True, exist_ok=True)
    stats, findings, rejects = ReadStats(), [], []
    bar = tqdm(desc="pii", unit="B", unit_scale=True, disable=not progress)
    with (output_dir / "redacted.jsonl").open("w", encoding="utf-8") as redacted_out:
        for chunk in read_drop(drop, stats):
            found = detect(chunk.records["text"])
            ids = chunk.records.select(id=pl.col("meta").str.json_path_match(f"$.{id_field}"))["id"]
            findings.append(
                found.select(pl.Series("id", ids.gather(found["row"])), *list(FINDINGS_SCHEMA)[1:])
            )
            texts = redact(chunk.records["text"], found, mode, key)
            _write_redacted(redacted_out, chunk.records["meta"], texts, text_field)
            rejects.append(chunk.rejects)
            bar.update(stats.bytes_read - bar.n)
    bar.close()
    every = pl.concat(
        [pl.DataFrame(schema={"id": pl.String, **dict(list(FINDINGS_SCHEMA.items())[1:])}), *findings]
    )
    every.write_parquet(output_dir / "findings.parquet")
    seconds = time.perf_counter() - started
    unreadable = pl.concat(rejects) if rejects else pl.DataFrame()
    summary = {
        "input": str(source_path),
        "records": stats.accepted,
        "unreadable": [
            f"{source_path}:{row['origin_line']}: {row['reason']} ({row['field']}): {row['detail']}"
            for row in unreadable.iter_rows(named=True)
        ],
        "findings": every.height,
        "findings_by_type": dict(every.group_by("entity_type").len().sort("entity_type").iter_rows()),
        "mode": mode,
        "seconds": round(seconds, 3),
        "mb_per_s": round(stats.bytes_read / 1e6 / seconds, 2) if seconds else None,
    }
    (output_dir / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return summary


def _write_redacted(handle, delivered: pl.Series, texts: pl.Series, text_field: str) -> None:
    """The delivered records with ``text_field`` replaced by the redacted text."""
    records = pl.DataFrame({"record": delivered.str.json_decode(), "redacted": texts})
    lines = records.select(
        pl.col("record").struct.with_fields(pl.col("redacted").alias(text_field)).struct.json_encode()
    )
    handle.write("".join(line + "\n" for line in lines.to_series().to_list()))
