"""Sampled human spot checks of the cleaned tier's decisions, and each rule's measured precision.

Every cleaned batch puts a stratified random sample into ``_review/samples/<batch>.parquet``:
up to ``per_reason`` removed records of each reason (rule) and ``kept`` kept records, drawn
with a seed derived from the batch id (re-cleaning draws the same sample). A person judges
each sampled decision right or wrong, in the terminal (``data-platform review``) or in Label
Studio (tasks exported and the export imported back). Verdicts are appended to
``_review/verdicts.jsonl`` and never rewritten; the latest verdict per sample and reviewer counts.

A rule's precision is the share of its sampled removals judged right, with a 95% Wilson score
interval; the kept stratum gives the share of kept records that deserved to stay.
The review folder holds record text: it is restricted, like the raw tier and the quarantine.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from data_platform.interchange.label_studio import read_export, write_json
from data_platform.lake.paths import inside
from data_platform.lake.store import Lake
from data_platform.sources.schema import content_text

KEPT = "kept"
VERDICTS = ("right", "wrong")
SAMPLE_SCHEMA = {
    "sample_id": pl.String,
    "batch_id": pl.String,
    "record_id": pl.String,
    "stratum": pl.String,
    "decision": pl.String,
    "detail": pl.String,
    "text": pl.String,
}
LABEL_CONFIG = """<View>
  <Header value="Decision: $decision ($stratum)"/>
  <Text name="text" value="$text"/>
  <Text name="detail" value="$detail"/>
  <Choices name="verdict" toName="text" choice="single" showInline="true">
    <Choice value="right"/>
    <Choice value="wrong"/>
  </Choices>
</View>
"""


@dataclass(frozen=True)
class SampleSizes:
    kept: int = 20
    per_reason: int = 10


def review_dir(lake: Lake) -> Path:
    return lake.root / "_review"


def sample_path(lake: Lake, batch_id: str) -> Path:
    return inside(review_dir(lake) / "samples", f"{batch_id}.parquet", what="batch id")


def _seed(batch_id: str) -> int:
    return int.from_bytes(hashlib.sha256(batch_id.encode()).digest()[:4], "big")


def draw_sample(lake: Lake, batch_id: str, sizes: SampleSizes = SampleSizes()) -> pl.DataFrame:
    """Draw (and store) the batch's spot-check sample from its cleaned partition."""
    seed = _seed(batch_id)
    raw = lake.scan_records("raw", batch_id).select("record_id", text=content_text())
    removed = (
        lake.scan_quarantine("cleaned", batch_id)
        .select("record_id", stratum="reason", detail="detail")
        .collect()
        .with_columns(_order=pl.int_range(pl.len()).shuffle(seed).over("stratum"))
        .filter(pl.col("_order") < sizes.per_reason)
        .with_columns(decision=pl.lit("remove"))
    )
    kept = lake.scan_records("cleaned", batch_id).select("record_id").collect()
    kept = kept.sample(min(sizes.kept, kept.height), seed=seed).with_columns(
        stratum=pl.lit(KEPT), detail=pl.lit(None, pl.String), decision=pl.lit("keep")
    )
    sample = (
        pl.concat([kept, removed.drop("_order")], how="diagonal")
        .join(raw.collect(), on="record_id", how="left")
        .with_columns(batch_id=pl.lit(batch_id), sample_id=pl.format("{}#{}", pl.lit(batch_id), "record_id"))
        .select(list(SAMPLE_SCHEMA))
        .sort("stratum", "record_id")
    )
    path = sample_path(lake, batch_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    sample.write_parquet(path)
    return sample


def all_samples(lake: Lake) -> pl.DataFrame:
    files = sorted((review_dir(lake) / "samples").glob("*.parquet"))
    return pl.concat([pl.DataFrame(schema=SAMPLE_SCHEMA), *(pl.read_parquet(f) for f in files)])


def record_verdicts(lake: Lake, verdicts: Iterable[dict]) -> int:
    """Append verdicts (``sample_id``, ``verdict``, ``reviewer``); returns how many."""
    path = review_dir(lake) / "verdicts.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    known = set(all_samples(lake)["sample_id"])
    count = 0
    with path.open("a", encoding="utf-8") as handle:
        for verdict in verdicts:
            if verdict["verdict"] not in VERDICTS:
                raise ValueError(f"verdict must be one of {VERDICTS}, got {verdict['verdict']!r}")
            if verdict["sample_id"] not in known:
                raise ValueError(f"no spot-check sample {verdict['sample_id']!r}")
            stamped = {**verdict, "at": verdict.get("at") or datetime.now(UTC).isoformat()}
            handle.write(json.dumps(stamped, sort_keys=True) + "\n")
            count += 1
    return count


def latest_verdicts(lake: Lake) -> pl.DataFrame:
    path = review_dir(lake) / "verdicts.jsonl"
    schema = {"sample_id": pl.String, "verdict": pl.String, "reviewer": pl.String, "at": pl.String}
    if not path.exists() or path.stat().st_size == 0:
        return pl.DataFrame(schema=schema)
    verdicts = pl.read_ndjson(path, schema=schema)
    return verdicts.unique(["sample_id", "reviewer"], keep="last", maintain_order=True)


def wilson_interval(right: int, total: int, z: float = 1.96) -> tuple[float, float]:
    if total == 0:
        return 0.0, 1.0
    share = right / total
    centre = (share + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def precision_by_rule(lake: Lake) -> list[dict]:
    """Per stratum (a rule, or ``kept``): verdicts, the share judged right, its 95% interval."""
    judged = latest_verdicts(lake).join(all_samples(lake), on="sample_id")
    counts = (
        judged.group_by("stratum")
        .agg(reviewed=pl.len(), right=(pl.col("verdict") == "right").sum())
        .sort("stratum")
    )
    report = []
    for row in counts.iter_rows(named=True):
        low, high = wilson_interval(row["right"], row["reviewed"])
        report.append(
            {
                "rule": row["stratum"],
                "reviewed": row["reviewed"],
                "precision": round(row["right"] / row["reviewed"], 3),
                "ci95": [round(low, 3), round(high, 3)],
            }
        )
    return report


def pending(lake: Lake, reviewer: str, batch_id: str | None = None) -> pl.DataFrame:
    samples = all_samples(lake)
    if batch_id is not None:
        samples = samples.filter(pl.col("batch_id") == batch_id)
    mine = latest_verdicts(lake).filter(pl.col("reviewer") == reviewer)
    return samples.join(mine, on="sample_id", how="anti")


def review_in_terminal(
    lake: Lake,
    reviewer: str,
    ask: Callable[[str], str],
    say: Callable[[str], None],
    batch_id: str | None = None,
) -> int:
    """Show each pending sample and ask for a verdict; returns how many were recorded."""
    todo = pending(lake, reviewer, batch_id)
    recorded = 0
    for position, row in enumerate(todo.iter_rows(named=True), start=1):
        say(f"\n[{position}/{todo.height}] {row['batch_id']} record {row['record_id']}")
        say(f"decision: {row['decision']} ({row['stratum']}){' - ' + row['detail'] if row['detail'] else ''}")
        say((row["text"] or "")[:2000])
        while (
            answer := ask("Is this decision right? [y]es / [n]o / [s]kip / [q]uit: ").strip().lower()
        ) not in (
            "y",
            "n",
            "s",
            "q",
        ):
            say("please answer y, n, s or q")
        if answer == "q":
            break
        if answer == "s":
            continue
        verdict = "right" if answer == "y" else "wrong"
        recorded += record_verdicts(
            lake, [{"sample_id": row["sample_id"], "verdict": verdict, "reviewer": reviewer}]
        )
    return recorded


def export_label_studio(lake: Lake, folder: Path, reviewer: str) -> tuple[Path, Path]:
    """Label Studio import JSON (one task per pending sample) and the labeling config XML."""
    folder.mkdir(parents=True, exist_ok=True)
    tasks = [
        {
            "data": {
                key: row[key] or ""
                for key in ("sample_id", "batch_id", "record_id", "stratum", "decision", "detail", "text")
            }
        }
        for row in pending(lake, reviewer).iter_rows(named=True)
    ]
    tasks_path, config_path = folder / "tasks.json", folder / "label_config.xml"
    write_json(tasks_path, tasks)
    config_path.write_text(LABEL_CONFIG, encoding="utf-8")
    return tasks_path, config_path


def import_label_studio(lake: Lake, export: Path) -> int:
    """Verdicts from a Label Studio JSON export (annotator = the reviewer); returns how many."""
    answers = read_export(export, "sample_id").unique(
        ["key", "annotation_id"], keep="first", maintain_order=True
    )
    verdicts = [
        {"sample_id": row["key"], "verdict": row["choices"][0], "reviewer": row["annotator"], "at": row["at"]}
        for row in answers.iter_rows(named=True)
    ]
    return record_verdicts(lake, verdicts)
