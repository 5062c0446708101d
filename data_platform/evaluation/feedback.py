"""Model error reports and user feedback, as dropped in JSON lines files.

One object per line:

    {"task": "intent", "predicted": "balance", "expected": "transfer", "model": "intent-clf 1.2",
     "record_id": "...", "text": "...", "release": "v3", "kind": "model_error",
     "tags": {"channel": "app"}, "reported_at": "2026-12-01T10:00:00Z"}

``task``, ``predicted``, ``expected`` and ``model`` are required, and ``record_id`` or ``text``;
``kind`` is model_error (a prediction a person or an evaluation found wrong), user_feedback (a
person's verdict, right or wrong) or prediction (a logged prediction with its true label, right
or wrong). A report whose prediction equals its expected label says the model was right there,
which slice finding needs as much as the errors. A line that breaks a rule is rejected with the
file, line and field; the other lines are kept.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

KINDS = ("model_error", "user_feedback", "prediction")
REQUIRED = ("task", "predicted", "expected", "model")
OPTIONAL_STRINGS = ("record_id", "text", "release", "reported_at")
VERSION = re.compile(r"v[1-9][0-9]{0,8}")
MAX_LINE_BYTES = 1 << 20
REPORT_SCHEMA = {
    "report_id": pl.String,
    "kind": pl.String,
    "task": pl.String,
    "predicted": pl.String,
    "expected": pl.String,
    "model": pl.String,
    "record_id": pl.String,
    "text": pl.String,
    "release": pl.String,
    "reported_at": pl.String,
    "tags": pl.String,  # a JSON object of string values: the reporter's own slice tags
    "origin_file": pl.String,
    "origin_line": pl.Int64,
}
REJECTED_SCHEMA = {
    "origin_file": pl.String,
    "origin_line": pl.Int64,
    "field": pl.String,
    "problem": pl.String,
}


@dataclass(frozen=True)
class Feedback:
    reports: pl.DataFrame  # REPORT_SCHEMA
    rejected: pl.DataFrame  # REJECTED_SCHEMA


class BadReport(ValueError):
    def __init__(self, field: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field


def read_feedback(path: Path) -> Feedback:
    """Every valid report of ``path`` and a row naming line and field for each invalid one.
    Reports are small files written by people and evaluation jobs: read line by line, so one
    bad line costs only itself."""
    reports, rejected = [], []
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                reports.append(_report(raw, path.name, number))
            except BadReport as exc:
                rejected.append((path.name, number, exc.field, str(exc)))
    return Feedback(
        pl.DataFrame(reports, schema=REPORT_SCHEMA, orient="row"),
        pl.DataFrame(rejected, schema=REJECTED_SCHEMA, orient="row"),
    )


def is_error(reports: pl.DataFrame) -> pl.Series:
    return (reports["predicted"] != reports["expected"]).alias("error")


def _report(raw: bytes, file: str, line: int) -> tuple[Any, ...]:
    if len(raw) > MAX_LINE_BYTES:
        raise BadReport("-", f"line longer than {MAX_LINE_BYTES} bytes")
    try:
        entry = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise BadReport("-", f"not a JSON object: {exc}") from exc
    if not isinstance(entry, dict):
        raise BadReport("-", "not a JSON object")
    for name in REQUIRED:
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise BadReport(name, f"{name} is required and must be a non-empty string")
    for name in OPTIONAL_STRINGS:
        if entry.get(name) is not None and not isinstance(entry[name], str):
            raise BadReport(name, f"{name} must be a string")
    if not entry.get("record_id") and not entry.get("text"):
        raise BadReport("record_id", "a report names the record (record_id) or gives its text")
    kind = entry.get("kind", "model_error")
    if kind not in KINDS:
        raise BadReport("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    release = entry.get("release")
    if release is not None and not VERSION.fullmatch(release):
        raise BadReport("release", f"{release!r} is not a release version such as v3")
    tags = entry.get("tags") or {}
    if not isinstance(tags, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in tags.items()
    ):
        raise BadReport("tags", "tags must map names to string values")
    report_id = hashlib.sha256(f"{file}\x1f{line}\x1f{raw.decode('utf-8', 'replace')}".encode()).hexdigest()[
        :32
    ]
    return (
        report_id,
        kind,
        *(entry[name].strip() for name in REQUIRED),
        *(entry.get(name) for name in OPTIONAL_STRINGS),
        json.dumps(tags, sort_keys=True),
        file,
        line,
    )
