"""The labelers a lake uses: trained from the registry's examples, kept as artefacts.

Trained labelers live in the lake under ``_labelers/``: one ``<task>-<version>.pkl`` per trained
model (the version is the file's hash) and ``current.json`` naming, per task, the artefact in
use with the sha256 of the examples it was trained from, how many, and its label set. A task
is trained again only when its examples file or settings change; otherwise the artefact is
reused, so every batch labelled under the same examples carries the same labeler version.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

import polars as pl

from data_platform.annotation.labelers import Labeler, TextClassifier, load_labeler
from data_platform.annotation.tone import ToneLabeler
from data_platform.errors import InputFileError
from data_platform.lake.atomic import write_json_atomic
from data_platform.lake.store import Lake
from data_platform.sources.registry import DERIVED_TASKS, LabelerSpec

FOLDER = "_labelers"


def labeler_dir(lake: Lake) -> Path:
    return lake.root / FOLDER


def current(lake: Lake) -> dict[str, Any]:
    path = labeler_dir(lake) / "current.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def ensure_labelers(lake: Lake, specs: dict[str, LabelerSpec]) -> dict[str, Any]:
    """Train every task whose examples or settings changed; return ``current.json``."""
    state = current(lake)
    for task, spec in sorted(specs.items()):
        fingerprint = _fingerprint(spec)
        if state.get(task, {}).get("fingerprint") == fingerprint:
            continue
        texts, labels = read_examples(spec)
        classifier = TextClassifier.train(task, texts, labels, multi_label=spec.multi_label)
        path = classifier.save(labeler_dir(lake))
        state[task] = {
            "version": classifier.version,
            "file": path.name,
            "examples": str(spec.examples),
            "fingerprint": fingerprint,
            "records": len(texts),
            "labels": len(classifier.label_set),
            "multi_label": spec.multi_label,
        }
    write_json_atomic(labeler_dir(lake) / "current.json", state)
    return state


def labelers_for(lake: Lake, tasks: tuple[str, ...]) -> dict[str, Labeler]:
    """The labelers of ``tasks`` as ``current.json`` names them (derived ones built on theirs)."""
    state = current(lake)
    found: dict[str, Labeler] = {}
    for task in tasks:
        base = DERIVED_TASKS.get(task, task)
        if base not in state:
            raise FileNotFoundError(
                f"no trained {base} labeler in {labeler_dir(lake)}: materialize the labelers asset first"
            )
        trained = _load(str(labeler_dir(lake) / state[base]["file"]))
        found[task] = ToneLabeler(trained) if task == "tone" else trained
    return found


@functools.cache
def _load(path: str) -> TextClassifier:
    return load_labeler(Path(path))


def _fingerprint(spec: LabelerSpec) -> str:
    settings = json.dumps([spec.text_field, spec.label_field, spec.multi_label]).encode()
    return hashlib.sha256(spec.examples.read_bytes() + settings).hexdigest()


def read_examples(spec: LabelerSpec) -> tuple[list[str], list[Any]]:
    """Texts and labels from the examples file; a line without a usable text or label is
    reported with file, line and field."""
    try:
        frame = pl.read_ndjson(spec.examples, infer_schema_length=None)
    except (pl.exceptions.ComputeError, OSError) as exc:
        raise InputFileError(str(spec.examples), None, "-", f"not JSON lines ({exc})") from exc
    for name in (spec.text_field, spec.label_field):
        if name not in frame.columns:
            raise InputFileError(str(spec.examples), 1, name, "missing from the examples")
    expected = pl.List(pl.String) if spec.multi_label else pl.String
    labels = frame[spec.label_field]
    if labels.dtype != expected:
        raise InputFileError(str(spec.examples), None, spec.label_field, f"must be {expected} on every line")
    bad = frame.with_row_index("line", offset=1).filter(
        pl.col(spec.text_field).is_null()
        | pl.col(spec.label_field).is_null()
        | (pl.col(spec.label_field).list.len() == 0 if spec.multi_label else pl.lit(False))
    )
    if bad.height:
        line = int(bad["line"][0])
        raise InputFileError(
            str(spec.examples), line, f"{spec.text_field}/{spec.label_field}", "missing or empty"
        )
    return frame[spec.text_field].to_list(), labels.to_list()
