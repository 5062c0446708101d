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


@pytest.mark.slow
def test_the_annotated_gate_checks_label_sets_confidence_and_coverage(demo, tmp_path: Path) -> None:
    import shutil

    import polars as pl

    from data_platform.quality.suites import judge_partition
    from data_platform.sources.registry import load_registry

    lake = Lake(tmp_path / "lake")
    shutil.copytree(demo.lake.root, lake.root)
    source = load_registry(demo.lake.root.parent / "sources.yaml").get("clinc_intents")
    batch = next(b for b in lake.partitions("annotated") if b.startswith("clinc_intents"))
    assert judge_partition(lake, "annotated", batch, source).passed

    records = lake.scan_records("annotated", batch).collect().with_row_index("_n")
    entry = pl.element()
    broken = records.with_columns(
        labels=pl.when(pl.col("_n") == 0)  # an intent no labeler knows
        .then(pl.col("labels").list.eval(entry.struct.with_fields(value=pl.lit("bogus"))))
        .when(pl.col("_n") == 1)  # a confidence outside [0, 1]
        .then(pl.col("labels").list.eval(entry.struct.with_fields(confidence=pl.lit(1.5))))
        .when(pl.col("_n") % 10 == 2)  # tone missing from a tenth of the records
        .then(pl.col("labels").list.filter(entry.struct.field("task") != "tone"))
        .otherwise("labels")
    ).drop("_n")
    quarantine = lake.scan_quarantine("annotated", batch).collect()
    lake.write_partition("annotated", batch, [(broken, quarantine)], lake.stats("annotated", batch))
    result = judge_partition(lake, "annotated", batch, source)
    failed = {(o.suite, o.column): o for o in result.failed}
    assert set(failed) == {
        ("annotated_labels", "in_label_set"),
        ("annotated_labels", "confidence"),
        ("annotated_label_coverage", "coverage"),
    }
    assert any(
        example["record_id"] == broken["record_id"][0]
        for example in failed[("annotated_labels", "in_label_set")].examples
    )
    assert [e["task"] for e in failed[("annotated_label_coverage", "coverage")].examples] == ["tone"]


@pytest.mark.slow
def test_a_release_label_policy_holds_back_unsure_or_unconfirmed_labels(demo, tmp_path: Path) -> None:
    import shutil

    import polars as pl

    from data_platform.tiers.released import LabelPolicy, cut_release

    lake = Lake(tmp_path / "lake")
    shutil.copytree(demo.lake.root, lake.root)
    created = "2030-01-01T00:00:00+00:00"
    everything = cut_release(lake, "v901", created_at=created, code_version="t")
    records = pl.read_parquet(everything.path / "records-*.parquet")
    intent = records.select(
        "record_id",
        best=pl.col("labels")
        .list.eval(
            pl.when(pl.element().struct.field("task") == "intent").then(
                pl.element().struct.field("confidence")
            )
        )
        .list.max(),
    )
    unsure = intent.filter(pl.col("best") < 0.6).height
    assert 0 < unsure < intent.filter(pl.col("best").is_not_null()).height

    strict = cut_release(
        lake, "v902", created_at=created, code_version="t", label_policy=LabelPolicy({"intent": 0.6})
    )
    # the label policy comes first: an unsure record the scan held back before is counted here
    held = strict.manifest["label_policy"]["held_back"]
    assert list(held) == ["intent"]
    assert held["intent"] + _scan_held(strict) == unsure + _scan_held(everything)
    assert strict.manifest["record_count"] == everything.manifest["record_count"] - unsure
    kept = pl.read_parquet(strict.path / "records-*.parquet")
    assert kept.join(intent.filter(pl.col("best") < 0.6), on="record_id").height == 0

    human = cut_release(
        lake,
        "v903",
        created_at=created,
        code_version="t",
        label_policy=LabelPolicy(human_confirmed=("tone",)),
    )
    with_tone = records.filter(
        pl.col("labels").list.eval(pl.element().struct.field("task") == "tone").list.any()
    )
    entry = pl.element().struct
    confirmed = with_tone.filter(
        pl.col("labels")
        .list.eval((entry.field("task") == "tone") & entry.field("human_confirmed"))
        .list.any()
    )
    assert confirmed.height > 0  # the demo's round
    held = human.manifest["label_policy"]["held_back"]
    assert list(held) == ["tone"]
    assert held["tone"] + _scan_held(human) == with_tone.height - confirmed.height + _scan_held(everything)
    assert "tone confirmed by a person" in (human.path / "DATASHEET.md").read_text()


def _scan_held(release) -> int:
    return sum(release.manifest["release_scan"]["held_back"].values())
