"""Label Studio's formats: labeling configs, tasks with pre-annotations, and exports read back.

- ``labeling_config``: the XML config of a text task with one ``Choices`` block per label task
  (single or multiple choice), generated from the labelers' label sets;
- ``tasks_with_predictions``: import JSON, one task per record (``data``: record id and text),
  the machine labels as a ``predictions`` entry (model version, score, one ``choices`` result
  per label task) so annotators start from them;
- ``read_export``: Label Studio's JSON export back as one row per (task, annotation, label
  task): the task's data key, the annotator (e-mail, or ``label-studio:<id>``), the chosen
  values, when; cancelled annotations are skipped. A malformed task is reported with the file,
  the task's position and the field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import polars as pl

from data_platform.errors import InputFileError
from data_platform.sources.limits import JsonLimits, violation

EXPORT_SCHEMA: dict[str, pl.DataType] = {
    "key": pl.String(),
    "annotation_id": pl.String(),
    "annotator": pl.String(),
    "from_name": pl.String(),
    "choices": pl.List(pl.String()),
    "at": pl.String(),
}


def labeling_config(tasks: Mapping[str, tuple[tuple[str, ...], bool]]) -> str:
    """``tasks``: label task -> (label set, multi-label)."""
    blocks = ["<View>", '  <Text name="text" value="$text"/>']
    for task, (label_set, multi_label) in tasks.items():
        choice = "multiple" if multi_label else "single"
        blocks.append(f"  <Header value={quoteattr(task)}/>")
        blocks.append(f'  <Choices name={quoteattr(task)} toName="text" choice="{choice}" showInline="true">')
        blocks += [f"    <Choice value={quoteattr(value)}/>" for value in label_set]
        blocks.append("  </Choices>")
    blocks.append("</View>")
    return "\n".join(blocks) + "\n"


def tasks_with_predictions(
    records: pl.DataFrame, tasks: tuple[str, ...], model_version: str, data_fields: tuple[str, ...] = ()
) -> list[dict]:
    """``records``: record_id, text and the ``labels`` column; predictions for ``tasks``; the
    ``data_fields`` columns are copied into each task's data (shown to annotators, exported back)."""
    out = []
    for row in records.select("record_id", "text", "labels", *data_fields).iter_rows(named=True):
        results, scores = [], []
        for task in tasks:
            chosen = [entry for entry in row["labels"] or [] if entry["task"] == task]
            if not chosen:
                continue
            results.append(
                {
                    "from_name": task,
                    "to_name": "text",
                    "type": "choices",
                    "value": {"choices": [entry["value"] for entry in chosen]},
                }
            )
            scores.append(min(entry["confidence"] for entry in chosen))
        data = {"record_id": row["record_id"], "text": row["text"] or ""}
        task_json: dict[str, Any] = {"data": {**data, **{name: row[name] for name in data_fields}}}
        if results:
            task_json["predictions"] = [
                {"model_version": model_version, "score": min(scores), "result": results}
            ]
        out.append(task_json)
    return out


def write_json(path: Path, document: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def read_export(path: Path, key: str, carry: tuple[str, ...] = ()) -> pl.DataFrame:
    """One row per answered label task of every kept annotation (``EXPORT_SCHEMA``); ``key``
    names the field of each task's ``data`` that identifies it (a record or sample id); the
    ``carry`` fields of ``data`` come along as string columns (null where absent). Anything that
    is not Label Studio's export shape is an InputFileError naming the file and the field."""
    rows = []
    for position, task in enumerate(_export_tasks(path)):
        where = f"[{position}]"
        data = _field(path, task, where, "data", dict)
        identifier = data.get(key)
        if not isinstance(identifier, str | int) or isinstance(identifier, bool) or identifier == "":
            raise InputFileError(str(path), None, f"{where}.data.{key}", "missing, or not a string id")
        for index, annotation in enumerate(_field(path, task, where, "annotations", list)):
            at = f"{where}.annotations[{index}]"
            if not isinstance(annotation, dict):
                raise InputFileError(str(path), None, at, "each annotation must be an object")
            if annotation.get("was_cancelled"):
                continue
            who = annotation.get("completed_by")
            annotator = who.get("email") if isinstance(who, dict) else f"label-studio:{who}"
            for number, result in enumerate(_field(path, annotation, at, "result", list)):
                choices = _choices(path, result, f"{at}.result[{number}]")
                if choices:
                    rows.append(
                        (
                            str(identifier),
                            str(annotation.get("id", "")),
                            str(annotator),
                            str(result.get("from_name")),
                            choices,
                            str(annotation.get("updated_at") or annotation.get("created_at") or ""),
                            *(None if data.get(name) is None else str(data[name]) for name in carry),
                        )
                    )
    schema = {**EXPORT_SCHEMA, **dict.fromkeys(carry, pl.String())}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _export_tasks(path: Path) -> list[Any]:
    """The export's tasks: UTF-8 JSON, within the platform's nesting and size limits (checked
    before parsing), holding a list."""
    payload = path.read_bytes()
    if problem := violation(payload, EXPORT_LIMITS):
        raise InputFileError(str(path), None, "-", f"{problem[1]} ({problem[0]})")
    try:
        tasks = json.loads(payload.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputFileError(str(path), None, "-", f"not UTF-8 (invalid byte at offset {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise InputFileError(str(path), exc.lineno, "-", f"not JSON ({exc.msg})") from exc
    if not isinstance(tasks, list):
        raise InputFileError(str(path), None, "-", "a Label Studio JSON export is a list of tasks")
    return tasks


def _field(path: Path, parent: Any, where: str, name: str, kind: type) -> Any:
    """``parent[name]`` of the expected kind (absent or null: an empty one)."""
    if not isinstance(parent, dict):
        raise InputFileError(str(path), None, where, "must be an object")
    value = parent.get(name)
    if value is None:
        return kind()
    if not isinstance(value, kind):
        raise InputFileError(str(path), None, f"{where}.{name}", f"must be a JSON {_JSON_KINDS[kind]}")
    return value


def _choices(path: Path, result: Any, where: str) -> list[str]:
    value = _field(path, result, where, "value", dict)
    choices = value.get("choices") or []
    if not isinstance(choices, list) or not all(isinstance(c, str | int | float) for c in choices):
        raise InputFileError(str(path), None, f"{where}.value.choices", "must be a list of values")
    return [str(choice) for choice in choices]


_JSON_KINDS: dict[type, str] = {dict: "object", list: "list"}
# Exports are documents people hand over: as deep as Label Studio writes them, nothing deeper.
EXPORT_LIMITS = JsonLimits(max_depth=32, max_number_digits=64, max_field_bytes=16 << 20)
