"""The labelers a lake uses: trained from the registry's examples and people's labels.

Trained labelers live in the lake under ``_labelers/``: one ``<task>-<version>.skops`` per
trained model (the version is the file's hash; a skops file cannot run code when loaded) and
``current.json`` naming, per task, the artefact in use with the sha256 of what it was trained
from, how many examples, and its label set. A task learns from its examples file plus every
label annotators confirmed for it (human_labels.py); it is trained again only when either
changes, otherwise the artefact is reused, so every batch labelled under the same examples
carries the same labeler version.

Tone is not trained from examples: its labeling functions read the emotion labeler. Once
annotators have confirmed at least ``MIN_TONE_LABELS`` tone labels of two or more tones, the
combination of those functions is fitted to them (``ToneLabeler.fit``) and saved as the
``tone`` artefact, refitted whenever the tone labels or the emotion labeler change.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

import polars as pl

from data_platform.annotation.fitted import FittedClassifier, Linear
from data_platform.annotation.human_labels import consensus, read_votes
from data_platform.annotation.labelers import TRUSTED_TYPES, Labeler, TextClassifier, load_labeler
from data_platform.annotation.tone import TONES, ToneLabeler
from data_platform.errors import InputFileError
from data_platform.lake.artefacts import SUFFIX, load_artefact, load_sidecar, save_artefact, save_sidecar
from data_platform.lake.atomic import write_json_atomic
from data_platform.lake.store import Lake
from data_platform.sources.registry import DERIVED_TASKS, LabelerSpec, Registry

FOLDER = "_labelers"
MIN_TONE_LABELS = 20


def labeler_dir(lake: Lake) -> Path:
    return lake.root / FOLDER


def current(lake: Lake) -> dict[str, Any]:
    path = labeler_dir(lake) / "current.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def ensure_labelers(lake: Lake, specs: dict[str, LabelerSpec]) -> dict[str, Any]:
    """Train every task whose examples, settings or human labels changed, refit tone; return
    ``current.json``."""
    state = current(lake)
    agreed = confirmed_labels(lake)
    for task, spec in sorted(specs.items()):
        human = agreed.filter(pl.col("task") == task)
        fingerprint = _fingerprint(spec, human)
        if state.get(task, {}).get("fingerprint") == fingerprint and _is_safe_format(state[task]):
            continue
        texts, labels = training_examples(spec, human)
        classifier = TextClassifier.train(task, texts, labels, multi_label=spec.multi_label)
        path = classifier.save(labeler_dir(lake))
        state[task] = {
            "version": classifier.version,
            "file": path.name,
            "examples": str(spec.examples),
            "fingerprint": fingerprint,
            "records": len(texts),
            "human_labels": human.height,
            "labels": len(classifier.label_set),
            "label_set": list(classifier.label_set),
            "multi_label": spec.multi_label,
        }
    if "emotion" in state:
        _fit_tone(lake, state, agreed.filter(pl.col("task") == "tone"))
    write_json_atomic(labeler_dir(lake) / "current.json", state)
    return state


def confirmed_labels(lake: Lake) -> pl.DataFrame:
    """Per record and task the values annotators confirmed, with the record's text."""
    return (
        consensus(read_votes(lake)).filter(~pl.col("disputed")).select("record_id", "task", "values", "text")
    )


def _fit_tone(lake: Lake, state: dict[str, Any], human: pl.DataFrame) -> None:
    tones = human["values"].list.first()
    if human.height < MIN_TONE_LABELS or tones.n_unique() < 2:
        state.pop("tone", None)  # the hand-set combination
        return
    emotion_version = state["emotion"]["version"]
    fingerprint = _digest(human, emotion_version.encode())
    if state.get("tone", {}).get("fingerprint") == fingerprint and _is_safe_format(state["tone"]):
        return
    tone = ToneLabeler(_load(str(labeler_dir(lake)), state["emotion"]["file"]))
    tone.fit(human["text"], tones.to_list())
    path = save_artefact(labeler_dir(lake), "tone", (tone.combiner, tone.fitted))
    _save_combiner(path, Linear.of(tone.combiner), tone.fitted)
    state["tone"] = {
        "version": tone.version,
        "file": path.name,
        "fingerprint": fingerprint,
        "human_labels": human.height,
        "emotion_version": emotion_version,
    }


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
        trained = _load(str(labeler_dir(lake)), state[base]["file"])
        found[task] = _tone(lake, state, trained) if task == "tone" else trained
    return found


def _tone(lake: Lake, state: dict[str, Any], emotion: FittedClassifier) -> ToneLabeler:
    fitted = state.get("tone")
    if not fitted or fitted["emotion_version"] != emotion.version:
        return ToneLabeler(emotion)
    stored = load_sidecar(labeler_dir(lake), fitted["file"])
    if stored is not None:
        arrays, meta = stored
        return ToneLabeler(emotion, combiner=Linear.from_arrays(arrays, "combiner"), fitted=meta["fitted"])
    combiner, fitted_hash = load_artefact(labeler_dir(lake), fitted["file"], TRUSTED_TYPES)
    _save_combiner(labeler_dir(lake) / fitted["file"], Linear.of(combiner), fitted_hash)
    return ToneLabeler(emotion, combiner=Linear.of(combiner), fitted=fitted_hash)


def _save_combiner(path: Path, combiner: Linear, fitted_hash: str) -> None:
    """The fitted tone combination's inference form beside its artefact (no skops to read it)."""
    save_sidecar(path, combiner.arrays("combiner"), {"fitted": fitted_hash})


@functools.cache
def _load(folder: str, name: str) -> FittedClassifier:
    """The labeler ``name`` of the labeler folder (only a file there, by its own name)."""
    return load_labeler(Path(folder), name)


def _is_safe_format(entry: dict[str, Any]) -> bool:
    """Artefacts of earlier versions were pickles: never loaded, trained again instead."""
    return str(entry.get("file", "")).endswith(SUFFIX)


def _fingerprint(spec: LabelerSpec, human: pl.DataFrame) -> str:
    settings = json.dumps([spec.text_field, spec.label_field, spec.multi_label]).encode()
    return _digest(human, spec.examples.read_bytes() + settings)


def _digest(human: pl.DataFrame, prefix: bytes) -> str:
    """sha256 of ``prefix`` and the human labels (sorted, so import order does not matter)."""
    rows = human.sort("record_id").select("record_id", pl.col("values").list.join("|"))
    return hashlib.sha256(prefix + rows.write_csv().encode()).hexdigest()


def training_examples(spec: LabelerSpec, human: pl.DataFrame) -> tuple[list[str], list[Any]]:
    """The examples file's texts and labels, then people's confirmed labels (``human``: text and
    values per record, as ``confirmed_labels`` gives them)."""
    texts, labels = read_examples(spec)
    texts += human["text"].to_list()
    labels += human["values"].to_list() if spec.multi_label else human["values"].list.first().to_list()
    return texts, labels


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


def registry_tasks(registry: Registry) -> tuple[str, ...]:
    """Every label task some source of the registry runs."""
    return tuple(sorted({task for source in registry.sources.values() for task in source.label_tasks}))


def label_sets(lake: Lake, tasks: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], bool]]:
    """Per task: the current labeler's label set and whether it is multi-label, as
    ``current.json`` records them (a gate must not load every model to learn its labels); tone's
    are fixed; a labeler trained before sets were recorded is loaded."""
    state = current(lake)
    found: dict[str, tuple[tuple[str, ...], bool]] = {}
    for task in tasks:
        entry = state.get(task, {})
        if task in DERIVED_TASKS:
            found[task] = (TONES, False)
        elif "label_set" in entry:
            found[task] = (tuple(entry["label_set"]), bool(entry["multi_label"]))
        else:
            labeler = labelers_for(lake, (task,))[task]
            found[task] = (labeler.label_set, labeler.multi_label)
    return found
