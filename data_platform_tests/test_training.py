"""Where labelers come from: the registry's labelers section, training once per examples file,
and bad examples reported with file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from data_platform.annotation.tone import ToneLabeler
from data_platform.annotation.training import current, ensure_labelers, labelers_for, read_examples
from data_platform.errors import InputFileError, RegistryError
from data_platform.lake.store import Lake
from data_platform.sources.registry import LabelerSpec, load_registry
from data_platform_tests.test_registry import valid_entry

WORDS = {"joy": "delighted wonderful", "anger": "furious outrageous", "fear": "scared worried"}


def write_examples(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def emotion_rows(count: int = 300) -> list[dict]:
    names = list(WORDS)
    return [
        {"text": f"the day went {WORDS[names[i % 3]]} {i}", "labels": [names[i % 3]]} for i in range(count)
    ]


def intent_rows(count: int = 300) -> list[dict]:
    intents = {"balance": "how much money is in my account", "weather": "will it rain tomorrow in town"}
    return [{"text": f"{text} {i}", "intent": name} for i in range(count) for name, text in intents.items()]


def test_registry_labelers_section_and_label_tasks(tmp_path: Path) -> None:
    examples = write_examples(tmp_path / "emotion.jsonl", emotion_rows())
    document = {
        "labelers": {"emotion": {"examples": "emotion.jsonl", "label_field": "labels", "multi_label": True}},
        "sources": [
            valid_entry(label_tasks=["emotion", "tone"]),
            valid_entry(id="other", label_tasks=["intent"]),
        ],
    }
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(document))
    registry = load_registry(path)
    assert registry.labelers["emotion"] == LabelerSpec("emotion", examples.resolve(), "text", "labels", True)
    assert registry.get("news").label_tasks == ("emotion", "tone")
    [error] = registry.errors  # intent has no labeler: that source only is rejected
    assert (error.source_id, error.field) == ("other", "label_tasks")
    for section, message in (
        ({"tone": {"examples": "emotion.jsonl"}}, "tone is built from emotion"),
        ({"intent": {"examples": "missing.jsonl"}}, "labelers.intent.examples: .* is not a file"),
        ({"intent": {"file": "x"}}, "labelers.intent: expected examples"),
    ):
        path.write_text(yaml.safe_dump({"labelers": section, "sources": [valid_entry()]}))
        with pytest.raises(RegistryError, match=message):
            load_registry(path)


def test_labelers_train_once_per_examples_and_tone_reads_emotion(tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    specs = {
        "emotion": LabelerSpec(
            "emotion",
            write_examples(tmp_path / "e.jsonl", emotion_rows()),
            label_field="labels",
            multi_label=True,
        ),
        "intent": LabelerSpec(
            "intent", write_examples(tmp_path / "i.jsonl", intent_rows()), label_field="intent"
        ),
    }
    first = ensure_labelers(lake, specs)
    assert first["emotion"]["labels"] == 3 and first["intent"]["records"] == 600
    files = sorted(p.name for p in (lake.root / "_labelers").glob("*.pkl"))
    assert ensure_labelers(lake, specs) == first  # unchanged examples: nothing retrained
    assert sorted(p.name for p in (lake.root / "_labelers").glob("*.pkl")) == files

    write_examples(specs["intent"].examples, intent_rows(200))
    second = ensure_labelers(lake, specs)
    assert second["intent"]["version"] != first["intent"]["version"]
    assert second["emotion"] == first["emotion"] and current(lake) == second

    found = labelers_for(lake, ("intent", "tone"))
    assert found["intent"].version == second["intent"]["version"]
    assert isinstance(found["tone"], ToneLabeler)
    assert found["tone"].version == f"1+emotion-{first['emotion']['version']}"
    with pytest.raises(FileNotFoundError, match="materialize the labelers asset"):
        labelers_for(Lake(tmp_path / "empty"), ("intent",))


def test_bad_examples_name_the_file_line_and_field(tmp_path: Path) -> None:
    rows = emotion_rows(5)
    rows[3]["labels"] = []
    path = write_examples(tmp_path / "e.jsonl", rows)
    with pytest.raises(InputFileError, match=r"e.jsonl:4: field 'text/labels': missing or empty"):
        read_examples(LabelerSpec("emotion", path, label_field="labels", multi_label=True))
    with pytest.raises(InputFileError, match="field 'intent': missing from the examples"):
        read_examples(LabelerSpec("intent", path, label_field="intent"))
    with pytest.raises(InputFileError, match="field 'labels': must be String"):
        read_examples(LabelerSpec("emotion", path, label_field="labels"))
