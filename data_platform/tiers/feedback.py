"""Feedback in: model error reports and user feedback dropped in the lake's ``_feedback/inbox/``
become gated report partitions, and the slices models fail on become collection requests.

    _feedback/inbox/<file>.jsonl           dropped by people and evaluation jobs
    _feedback/reports/<key>/reports.parquet, rejected.parquet, gate.json
    _feedback/collection_requests.parquet  every request ever opened, with its status
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from data_platform.evaluation.feedback import REPORT_SCHEMA, Feedback, read_feedback
from data_platform.evaluation.slices import (
    REQUEST_SCHEMA,
    collection_requests,
    error_slices,
    mark_met,
    merge_requests,
    population,
    requests_served,
    slice_members,
)
from data_platform.lake.atomic import staged_folder, write_json_atomic, write_parquet_atomic
from data_platform.lake.paths import inside
from data_platform.lake.releases import list_releases, read_manifest
from data_platform.lake.store import Lake
from data_platform.sources.registry import Source
from data_platform.tiers.evaluated import release_records

FEEDBACK_SUFFIXES = (".jsonl",)


def feedback_root(lake: Lake) -> Path:
    return lake.root / "_feedback"


def inbox(lake: Lake) -> Path:
    return feedback_root(lake) / "inbox"


def requests_path(lake: Lake) -> Path:
    return feedback_root(lake) / "collection_requests.parquet"


def report_key(path: Path) -> str:
    """The partition key of an inbox file: its name, made safe, with the content's hash."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{re.sub(r'[^A-Za-z0-9_-]', '_', path.stem)[:80]}-{digest}"


def pending_feedback(lake: Lake) -> dict[str, Path]:
    """key -> inbox file, for every file whose contents were not ingested yet."""
    return {
        key: path
        for key, path in _inbox_files(lake).items()
        if not (_report_folder(lake, key) / "reports.parquet").exists()
    }


def ingest_feedback(lake: Lake, key: str) -> tuple[str, Feedback]:
    """Read the inbox file behind ``key`` into its report partition: the file's name and what
    was kept and rejected."""
    path = _inbox_files(lake).get(key)
    if path is None:
        raise FileNotFoundError(f"no file in {inbox(lake)} has the contents of feedback partition {key}")
    feedback = read_feedback(path)
    with staged_folder(_report_folder(lake, key)) as staging:
        feedback.reports.write_parquet(staging / "reports.parquet")
        feedback.rejected.write_parquet(staging / "rejected.parquet")
    return path.name, feedback


def read_reports(lake: Lake, key: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    folder = _report_folder(lake, key)
    return pl.read_parquet(folder / "reports.parquet"), pl.read_parquet(folder / "rejected.parquet")


def record_feedback_gate(lake: Lake, key: str, passed: bool) -> None:
    write_json_atomic(_report_folder(lake, key) / "gate.json", {"passed": passed})


def gated_report_keys(lake: Lake) -> list[str]:
    """The feedback partitions whose gate passed."""
    folders = sorted(p for p in (feedback_root(lake) / "reports").glob("*") if (p / "gate.json").is_file())
    return [f.name for f in folders if json.loads((f / "gate.json").read_text(encoding="utf-8"))["passed"]]


def gated_reports(lake: Lake) -> pl.DataFrame:
    """Every report of every partition whose gate passed."""
    files = [_report_folder(lake, key) / "reports.parquet" for key in gated_report_keys(lake)]
    return pl.read_parquet(files) if files else pl.DataFrame(schema=REPORT_SCHEMA)


def update_requests(lake: Lake) -> pl.DataFrame:
    """Slice finding per model and task over every gated report, merged into the requests."""
    reports = gated_reports(lake)
    found = [pl.DataFrame(schema=REQUEST_SCHEMA)]
    for (model, task), group in reports.group_by("model", "task", maintain_order=True):
        released = _released(lake, group)
        items = population(group, released)
        evidence = f"{group.height} reports in {group['origin_file'].n_unique()} files"
        found.append(
            collection_requests(error_slices(items), str(model), str(task), items, evidence, released)
        )
    merged = mark_met(merge_requests(read_requests(lake), pl.concat(found)), met_in_releases(lake))
    write_parquet_atomic(requests_path(lake), merged)
    return merged


def read_requests(lake: Lake) -> pl.DataFrame:
    path = requests_path(lake)
    return pl.read_parquet(path) if path.is_file() else pl.DataFrame(schema=REQUEST_SCHEMA)


def request_slice(lake: Lake, request_id: str, task: str) -> pl.Series:
    """The gated annotated records in the slice of request ``request_id``: what an
    active-learning round for that request picks from. ValueError when the request is unknown,
    of another task, or names a tag (not a property of records)."""
    found = read_requests(lake).filter(pl.col("request_id") == request_id)
    if found.is_empty():
        raise ValueError(f"no collection request {request_id!r} in {requests_path(lake)}")
    request = found.row(0, named=True)
    if request["task"] != task:
        raise ValueError(f"request {request_id} is about task {request['task']!r}, not {task!r}")
    columns = ["record_id", "source_id", "lang", "text", "turns", "labels"]
    batches = [b for b in lake.partitions("annotated") if lake.gate_passed("annotated", b)]
    records = pl.concat(
        [lake.scan_records("annotated", b).select(columns).collect() for b in batches], how="diagonal_relaxed"
    )
    members = slice_members(records, task, json.loads(request["conditions"]))
    if members is None:
        raise ValueError(
            f"request {request_id} ({request['slice']}) names a reporter's tag: records do not carry it"
        )
    return members


def ingestion_priorities(lake: Lake, sources: Mapping[str, Source]) -> dict[str, int]:
    """source id -> open collection requests it serves (its ``serves:`` conditions), for the
    sources that serve any: the drop sensor queues their runs first."""
    if not requests_path(lake).is_file():
        return {}
    requests = read_requests(lake)
    served = {source_id: requests_served(requests, source.serves) for source_id, source in sources.items()}
    return {source_id: count for source_id, count in served.items() if count}


def met_in_releases(lake: Lake) -> dict[str, str]:
    """request id -> the first release whose manifest says it met the request."""
    met: dict[str, str] = {}
    for version in list_releases(lake):
        for entry in read_manifest(lake, version).get("collection_requests", []):
            if entry["met"]:
                met.setdefault(entry["request_id"], version)
    return met


def _released(lake: Lake, reports: pl.DataFrame) -> pl.DataFrame | None:
    """The records of the release most of ``reports`` name (the latest if none names one)."""
    named = reports["release"].drop_nulls()
    versions = list_releases(lake)
    version = named.mode().sort()[-1] if named.len() else (versions[-1] if versions else None)
    if version is None or version not in versions:
        return None
    records = release_records(lake, version)
    return records if records.height else None


def _inbox_files(lake: Lake) -> dict[str, Path]:
    """key -> file of every feedback file in the inbox (symlinks are never read)."""
    files = sorted(
        p
        for p in inbox(lake).glob("*")
        if p.suffix in FEEDBACK_SUFFIXES and not p.is_symlink() and p.is_file()
    )
    return {report_key(path): path for path in files}


def _report_folder(lake: Lake, key: str) -> Path:
    return inside(feedback_root(lake) / "reports", key, what="feedback partition")
