"""Label Studio's formats: the generated labeling config, tasks with pre-annotations, exports."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest

from data_platform.annotation.labelers import LABEL
from data_platform.errors import InputFileError
from data_platform.interchange.label_studio import (
    labeling_config,
    read_export,
    tasks_with_predictions,
    write_json,
)


def entry(task: str, value: str, confidence: float) -> dict:
    return {
        "task": task,
        "value": value,
        "confidence": confidence,
        "labeler": "m",
        "labeler_version": "v1",
        "human_confirmed": False,
    }


def test_config_has_one_choices_block_per_task_with_its_mode() -> None:
    xml = labeling_config(
        {"intent": (("balance", "bill & pay", 'say "hi"'), False), "emotion": (("joy", "anger"), True)}
    )
    root = ET.fromstring(xml)
    blocks = {c.get("name"): c for c in root.iter("Choices")}
    assert blocks["intent"].get("choice") == "single" and blocks["emotion"].get("choice") == "multiple"
    assert [c.get("value") for c in blocks["intent"]] == ["balance", "bill & pay", 'say "hi"']
    assert root.find("Text").get("value") == "$text"


def test_tasks_carry_machine_labels_and_the_export_comes_back_per_annotator(tmp_path: Path) -> None:
    records = pl.DataFrame(
        {
            "record_id": ["r1", "r2"],
            "text": ["what is my balance", "this is great and scary"],
            "labels": [
                [entry("language", "en", 0.99), entry("intent", "balance", 0.8)],
                [entry("emotion", "joy", 0.7), entry("emotion", "fear", 0.6)],
            ],
        },
        schema_overrides={"labels": pl.List(LABEL)},
    )
    tasks = tasks_with_predictions(records, ("intent", "emotion"), "intent-v1")
    assert tasks[0]["predictions"][0]["result"] == [
        {"from_name": "intent", "to_name": "text", "type": "choices", "value": {"choices": ["balance"]}}
    ]
    assert tasks[1]["predictions"][0]["score"] == 0.6
    # What Label Studio exports once two people have answered (one annotation cancelled).
    exported = []
    for number, task in enumerate(tasks):
        answers = [
            {
                "id": 10 + number,
                "completed_by": {"id": 1, "email": "ana@example.org"},
                "updated_at": "2026-11-26T01:00:00Z",
                "result": task["predictions"][0]["result"],
            },
            {
                "id": 20 + number,
                "completed_by": 2,
                "result": [{"from_name": "intent", "value": {"choices": ["bill"]}}],
            },
            {
                "id": 30 + number,
                "completed_by": 3,
                "was_cancelled": True,
                "result": task["predictions"][0]["result"],
            },
        ]
        exported.append({**task, "annotations": answers})
    path = write_json(tmp_path / "export.json", exported)
    rows = read_export(path, "record_id")
    assert rows.select("key", "annotator", "from_name").rows() == [
        ("r1", "ana@example.org", "intent"),
        ("r1", "label-studio:2", "intent"),
        ("r2", "ana@example.org", "emotion"),
        ("r2", "label-studio:2", "intent"),
    ]
    assert rows.filter(pl.col("key") == "r2")["choices"][0].to_list() == ["joy", "fear"]

    path.write_text(json.dumps([{"data": {"text": "no id"}, "annotations": []}]))
    with pytest.raises(InputFileError, match=r"export.json: field '\[0\].data.record_id': missing"):
        read_export(path, "record_id")
