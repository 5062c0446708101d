"""The human loop: rounds, imported labels, consensus, review flags, retraining, relabelling,
the agreement gate and the sensors, on the demo lake (which ran one round end to end)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from data_platform.annotation.flags import read_flags, refresh_flags
from data_platform.annotation.human_labels import (
    HUMAN_LABELER,
    VOTE_SCHEMA,
    apply_human_labels,
    consensus,
    human_entries,
    import_export,
    import_inbox,
    inbox_dir,
    read_votes,
)
from data_platform.annotation.labelers import LABEL
from data_platform.annotation.labels import gated_records
from data_platform.annotation.rounds import export_round, read_round, round_ids
from data_platform.annotation.training import current, ensure_labelers, label_sets, labelers_for
from data_platform.defs.annotated.sensors import label_studio_inbox_sensor, relabel_sensor
from data_platform.defs.resources import LakeResource, RegistryResource
from data_platform.demo.annotators import answer_round, gold_intents
from data_platform.lake.releases import read_manifest
from data_platform.lake.store import Lake
from data_platform.quality.suites import judge_partition
from data_platform.sources.registry import load_registry

ASK = ("intent", "tone")


@pytest.fixture
def lake(demo, tmp_path: Path) -> Lake:
    """A copy of the demo lake, free to change."""
    shutil.copytree(demo.lake.root, tmp_path / "lake")
    return Lake(tmp_path / "lake")


def registry(demo):
    return load_registry(demo.lake.root.parent / "sources.yaml")


def vote(record: str, task: str, annotator: str, *values: str) -> dict:
    return {
        "record_id": record,
        "task": task,
        "values": list(values),
        "annotator": annotator,
        "annotation_id": f"{record}-{annotator}",
        "annotated_at": "2026-01-01T00:00:00Z",
        "round": "round-0001",
        "reason": "margin",
        "import_id": "i1",
        "batch_id": "b",
        "text": f"text of {record}",
    }


def test_consensus_needs_a_strict_majority_and_gives_its_share_as_confidence() -> None:
    votes = pl.DataFrame(
        [
            vote("r1", "intent", "a", "balance"),
            vote("r1", "intent", "b", "transfer"),
            vote("r2", "intent", "a", "balance"),
            vote("r2", "intent", "b", "balance"),
            vote("r2", "intent", "c", "transfer"),
            vote("r3", "emotion", "a", "joy", "love"),
            vote("r3", "emotion", "b", "joy"),
            vote("r3", "emotion", "c", "joy", "love"),
        ],
        schema=VOTE_SCHEMA,
    )
    agreed = {(r["record_id"], r["task"]): r for r in consensus(votes).iter_rows(named=True)}
    assert agreed["r1", "intent"]["disputed"] and agreed["r1", "intent"]["values"] is None
    assert agreed["r2", "intent"]["values"] == ["balance"]
    assert agreed["r2", "intent"]["confidences"] == [pytest.approx(2 / 3)]
    assert agreed["r3", "emotion"]["values"] == ["joy", "love"]
    assert agreed["r3", "emotion"]["confidences"] == [1.0, pytest.approx(2 / 3)]


def test_a_later_answer_of_the_same_annotator_replaces_the_earlier_one() -> None:
    first = vote("r1", "intent", "a", "balance")
    later = {**vote("r1", "intent", "a", "transfer"), "annotated_at": "2026-02-01T00:00:00Z"}
    agreed = consensus(pl.DataFrame([later, first], schema=VOTE_SCHEMA))
    assert agreed["values"].to_list() == [["transfer"]]


def test_confirmed_labels_replace_the_machine_entries_of_their_task_only() -> None:
    machine = {"confidence": 0.4, "labeler": "m", "labeler_version": "v", "human_confirmed": False}
    frame = pl.DataFrame(
        {
            "record_id": ["r1", "r2"],
            "labels": [
                [
                    {"task": "intent", "value": "balance", **machine},
                    {"task": "tone", "value": "neutral", **machine},
                ],
                [{"task": "intent", "value": "transfer", **machine}],
            ],
        },
        schema={"record_id": pl.String, "labels": pl.List(LABEL)},
    )
    votes = pl.DataFrame(
        [vote("r1", "intent", "a", "bill_due"), vote("r1", "intent", "b", "bill_due")], schema=VOTE_SCHEMA
    )
    labels = apply_human_labels(frame, human_entries(consensus(votes)))["labels"].to_list()
    assert {(e["task"], e["value"], e["labeler"], e["human_confirmed"]) for e in labels[0]} == {
        ("tone", "neutral", "m", False),
        ("intent", "bill_due", HUMAN_LABELER, True),
    }
    assert labels[1] == frame["labels"].to_list()[1]


def test_the_demo_round_reaches_the_tier_the_labelers_the_flags_and_the_release(demo) -> None:
    lake = demo.lake
    round_doc = read_round(lake, "round-0001")
    assert round_doc["strategy"] == "margin" and len(round_doc["records"]) == 60
    votes = read_votes(lake)
    assert votes["annotator"].n_unique() == 3 and votes["record_id"].n_unique() == 60
    agreed = consensus(votes)
    entries = gated_records(lake).select(pl.col("labels").explode()).unnest("labels")
    human = entries.filter(pl.col("human_confirmed"))
    assert human.height == agreed.filter(~pl.col("disputed"))["values"].list.len().sum()
    assert (human["labeler"] == HUMAN_LABELER).all()
    state = current(lake)
    assert (
        state["intent"]["human_labels"]
        == agreed.filter((pl.col("task") == "intent") & ~pl.col("disputed")).height
    )
    assert "+fit-" in state["tone"]["version"]
    flags = read_flags(lake)
    assert flags.height > 0
    manifest = read_manifest(lake, demo.release)
    held = manifest["label_policy"]["under_review"]
    assert sum(held.values()) == flags["record_id"].n_unique()
    released = pl.read_parquet(lake.root / "releases" / demo.release / "records-*.parquet")
    assert not released["record_id"].is_in(flags["record_id"].implode()).any()


def test_importing_the_same_export_twice_changes_nothing(lake: Lake) -> None:
    export = next(inbox_dir(lake).glob("*.json"))
    again = import_export(lake, export, label_sets(lake, ASK))
    assert not again.new and read_votes(lake).height == again.votes


def test_a_bad_export_is_rejected_naming_file_record_and_field_and_the_good_one_is_kept(lake: Lake) -> None:
    export = json.loads(next(inbox_dir(lake).glob("*.json")).read_text())
    good, bad = export[:5], json.loads(json.dumps(export[5:10]))
    for task in good + bad:
        task["annotations"] = [{**a, "id": a["id"] + 1000} for a in task["annotations"]]
    bad[2]["annotations"][1]["result"][0]["value"]["choices"] = ["not_an_intent"]
    (inbox_dir(lake) / "good.json").write_text(json.dumps(good))
    (inbox_dir(lake) / "bad.json").write_text(json.dumps(bad))
    before = read_votes(lake).height
    imported, rejected = import_inbox(lake, label_sets(lake, ASK))
    assert [r.path.stem for r in imported] and imported[0].votes == 5 * 3 * 2
    message = rejected["bad.json"]
    assert "bad.json" in message and bad[2]["data"]["record_id"] in message and "not_an_intent" in message
    assert (lake.root / "_annotation" / "rejected" / "bad.json.error.txt").exists()
    assert read_votes(lake).height == before + 30


MALFORMED_EXPORTS = {
    "annotations_not_objects.json": lambda good: [{**good[0], "annotations": ["yes", 3]}],
    "data_a_string.json": lambda good: [{**good[0], "data": "record 1"}],
    "result_not_a_list.json": lambda good: [{**good[0], "annotations": [{"id": 1, "result": "intent"}]}],
    "choices_objects.json": lambda good: [
        {
            **good[0],
            "annotations": [{"id": 1, "result": [{"from_name": "intent", "value": {"choices": [{}]}}]}],
        }
    ],
    "not_a_list.json": lambda good: {"tasks": good},
    "id_is_a_list.json": lambda good: [{**good[0], "data": {"record_id": ["x"], "text": "t"}}],
}


def test_malformed_exports_of_every_shape_are_rejected_and_never_block_the_inbox(lake: Lake) -> None:
    """Whatever is wrong inside an export file (shape, encoding, nesting, a symlink), it moves
    to rejected/ with its reason, the good export beside it is imported, and nothing stays
    pending for the sensor."""
    good = json.loads(next(inbox_dir(lake).glob("*.json")).read_text())[:3]
    for task in good:
        task["annotations"] = [{**a, "id": a["id"] + 5000} for a in task["annotations"]]
    inbox = inbox_dir(lake)
    for name, make in MALFORMED_EXPORTS.items():
        (inbox / name).write_text(json.dumps(make(good)))
    (inbox / "invalid_utf8.json").write_bytes(b'[{"data": {"record_id": "caf\xe9"}}]')
    (inbox / "deep.json").write_bytes(b"[" * 5000 + b"]" * 5000)
    (inbox / "truncated.json").write_text(json.dumps(good)[:200])
    (inbox / "binary.json").write_bytes(bytes(range(256)) * 4)
    (inbox / "link.json").symlink_to(lake.root / "_labelers" / "current.json")
    (inbox / "zz-good.json").write_text(json.dumps(good))
    imported, rejected = import_inbox(lake, label_sets(lake, ASK))
    bad = {*MALFORMED_EXPORTS, "invalid_utf8.json", "deep.json", "truncated.json", "binary.json", "link.json"}
    assert set(rejected) == bad
    assert [r.votes for r in imported if r.new] == [3 * 3 * 2]
    for name in bad:
        assert (lake.root / "_annotation" / "rejected" / f"{name}.error.txt").read_text().strip()
    assert "Traceback" not in " ".join(rejected.values())
    context = dg.build_sensor_context(resources={"lake": LakeResource(root=str(lake.root))})
    assert label_studio_inbox_sensor(context).run_requests == [], "nothing left pending"


def test_the_next_round_reviews_flagged_records_first_and_skips_labelled_ones(lake: Lake) -> None:
    flagged = read_flags(lake)
    info = export_round(lake, labelers_for(lake, ASK), task="intent", ask=ASK, strategy="margin", size=30)
    records = pl.DataFrame(read_round(lake, info.round_id)["records"])
    review = records.filter(pl.col("reason").str.starts_with("review:"))
    assert review.height == flagged["record_id"].n_unique()
    assert review["record_id"].is_in(flagged["record_id"].implode()).all()
    fresh = records.filter(pl.col("reason") == "margin")
    assert fresh.height == 30 - review.height
    assert not fresh["record_id"].is_in(read_votes(lake)["record_id"].implode()).any()
    tasks = json.loads((info.folder / "tasks.json").read_text())
    assert {t["data"]["reason"] for t in tasks} == set(records["reason"])


def test_answered_reviews_lift_flags_retrain_and_relabel_through_the_sensors(demo, lake: Lake) -> None:
    sources = registry(demo)
    resources = {
        "lake": LakeResource(root=str(lake.root)),
        "registry": RegistryResource(path=str(sources.path)),
    }
    context = dg.build_sensor_context(resources=resources)
    assert relabel_sensor(context).skip_reason  # the demo left every batch up to date
    assert label_studio_inbox_sensor(context).skip_reason
    before = read_flags(lake)
    info = export_round(lake, labelers_for(lake, ASK), task="intent", ask=ASK, strategy="entropy", size=20)
    tasks = json.loads((info.folder / "tasks.json").read_text())
    meta = pl.concat(
        lake.scan_records("annotated", b).select("record_id", "meta").collect()
        for b in lake.partitions("annotated")
    )
    sets = {task: values for task, (values, _) in label_sets(lake, ASK).items()}
    export = answer_round(tasks, gold_intents(dict(meta.iter_rows())), sets, seed=7)
    (inbox_dir(lake) / f"{info.round_id}.json").write_text(json.dumps(export))
    assert len(label_studio_inbox_sensor(context).run_requests) == 1

    old_version = current(lake)["intent"]["version"]
    import_inbox(lake, label_sets(lake, ASK))
    flags = refresh_flags(lake, sources.labelers)
    reviewed = before.filter(pl.col("reason") == "likely_label_error")["record_id"]
    still = flags.filter(pl.col("reason") == "likely_label_error")["record_id"]
    assert not still.is_in(reviewed.implode()).any()
    assert ensure_labelers(lake, sources.labelers)["intent"]["version"] != old_version
    requested = relabel_sensor(context).run_requests
    answered = read_votes(lake).filter(pl.col("round") == info.round_id)["batch_id"].unique()
    assert set(answered) <= {r.partition_key for r in requested}
    assert label_studio_inbox_sensor(context).skip_reason


def test_the_agreement_gate_stops_a_batch_whose_annotators_disagree(demo, lake: Lake) -> None:
    sources = registry(demo)
    info = export_round(lake, labelers_for(lake, ASK), task="intent", ask=ASK, strategy="random", size=40)
    tasks = json.loads((info.folder / "tasks.json").read_text())
    sets = {task: values for task, (values, _) in label_sets(lake, ASK).items()}
    gold = {t["data"]["record_id"]: "balance" for t in tasks}
    careless = answer_round(tasks, gold, sets, annotators=((1, 0.9), (2, 0.9)), seed=3)
    (inbox_dir(lake) / "careless.json").write_text(json.dumps(careless))
    import_inbox(lake, label_sets(lake, ASK))
    batch = read_votes(lake).filter(pl.col("round") == info.round_id)["batch_id"].mode()[0]
    source = sources.sources[batch.split(":")[0]]
    verdict = judge_partition(lake, "annotated", batch, source)
    assert not verdict.passed
    assert any(f.startswith("annotated_agreement") for f in verdict.summary()["failed_expectations"])


def test_the_import_command_reports_a_bad_export_and_keeps_the_good_one(
    demo, tmp_path: Path, monkeypatch, capsys
) -> None:
    from data_platform.cli import main

    home = tmp_path / "home"
    shutil.copytree(demo.lake.root.parent, home, ignore=shutil.ignore_patterns("dagster_home"))
    monkeypatch.setenv("DATA_PLATFORM_HOME", str(home))
    monkeypatch.setenv("DATA_PLATFORM_REGISTRY", str(home / "sources.yaml"))
    assert main(["annotate", "round", "--size", "8", "--strategy", "diversity"]) == 0
    lake = Lake(home / "lake")
    # The demo exported two rounds (one for a collection request): this one is the latest.
    exported = round_ids(lake)[-1]
    tasks = json.loads((lake.root / "_annotation" / "rounds" / exported / "tasks.json").read_text())
    sets = {task: values for task, (values, _) in label_sets(lake, ASK).items()}
    answers = answer_round(tasks, {}, sets, annotators=((4, 0.0), (5, 0.0)))
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(answers))
    answers[0]["data"]["record_id"] = "no-such-record"
    bad.write_text(json.dumps(answers))
    assert main(["annotate", "import", str(bad), str(good)]) == 2
    out, err = capsys.readouterr()
    assert "bad.json" in err and "no-such-record" in err and "data.record_id" in err
    assert "good.json: imported (16 answers from 2 annotators)" in out
    assert set(read_votes(lake).filter(pl.col("round") == exported)["annotator"]) == {
        "label-studio:4",
        "label-studio:5",
    }
