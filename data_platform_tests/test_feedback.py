"""Feedback reports: read with bad lines rejected by line and field, slices found, requests made."""

import gzip
import json
import shutil
from pathlib import Path

import dagster as dg
import numpy as np
import polars as pl
import pytest

from data_platform.annotation.rounds import export_round, read_round
from data_platform.annotation.training import labelers_for
from data_platform.definitions import build_definitions
from data_platform.defs.feedback.sensors import feedback_sensor
from data_platform.defs.resources import resources_for
from data_platform.evaluation.feedback import read_feedback
from data_platform.evaluation.profile import label_rows
from data_platform.evaluation.slices import (
    MIN_REQUEST,
    RECORDS_PER_ERROR,
    REQUEST_SCHEMA,
    collection_requests,
    error_slices,
    merge_requests,
    population,
)
from data_platform.lake.atomic import write_parquet_atomic
from data_platform.lake.releases import next_version
from data_platform.lake.store import Lake
from data_platform.tiers.feedback import inbox, read_requests, request_slice, requests_path, update_requests
from data_platform.tiers.released import cut_release

SAMPLE = Path(__file__).parents[1] / "data_platform" / "demo" / "sample"
GOOD = {
    "task": "intent",
    "predicted": "balance",
    "expected": "transfer",
    "model": "clf 1",
    "text": "move 5 dollars",
}


def write_lines(path: Path, lines: list) -> Path:
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    return path


def test_bad_lines_are_rejected_by_line_and_field_and_the_rest_kept(tmp_path) -> None:
    path = write_lines(
        tmp_path / "errors.jsonl",
        [
            GOOD,
            {**GOOD, "expected": ""},
            "{not json",
            {**GOOD, "text": None},
            {**GOOD, "kind": "rumour"},
            {**GOOD, "release": "latest"},
            {**GOOD, "tags": {"channel": 3}},
            [1, 2],
            {**GOOD, "record_id": "r9", "tags": {"channel": "app"}, "release": "v2", "kind": "user_feedback"},
        ],
    )
    feedback = read_feedback(path)
    assert feedback.reports["origin_line"].to_list() == [1, 9]
    assert feedback.reports["tags"].to_list() == ["{}", '{"channel": "app"}']
    rejected = {(r["origin_line"], r["field"]) for r in feedback.rejected.to_dicts()}
    assert rejected == {
        (2, "expected"),
        (3, "-"),
        (4, "record_id"),
        (5, "kind"),
        (6, "release"),
        (7, "tags"),
        (8, "-"),
    }
    assert set(feedback.rejected["origin_file"]) == {"errors.jsonl"}


def clinc_reports(seed: int = 3) -> pl.DataFrame:
    """Predictions on the bundled CLINC150 utterances, tagged with their CLINC domain, by a model
    that is right 95% of the time except on long banking utterances (wrong 70% of the time)."""
    with gzip.open(SAMPLE / "clinc150_sample.jsonl.gz", "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    rng = np.random.default_rng(seed)
    hard = [row["domain"] == "banking" and len(row["text"]) >= 50 for row in rows]
    wrong = rng.random(len(rows)) < np.where(hard, 0.7, 0.05)
    return pl.DataFrame(
        {
            "record_id": [None] * len(rows),
            "text": [row["text"] for row in rows],
            "expected": [row["intent"] for row in rows],
            "predicted": ["oos" if w else row["intent"] for w, row in zip(wrong, rows, strict=True)],
            "task": "intent",
            "tags": [json.dumps({"domain": row["domain"]}) for row in rows],
        },
        schema_overrides={"record_id": pl.String},
    )


def test_slice_finding_names_the_slice_the_model_fails_on() -> None:
    reports = clinc_reports()
    items = population(reports, None)
    slices = error_slices(items)
    assert json.loads(slices["conditions"][0]) == {"length": "50-99", "tag:domain": "banking"}
    assert slices["error_rate"][0] > 0.5 > 5 * float(items.errors.mean())
    requests = collection_requests(slices.head(1), "clf 1", "intent", items, "errors.jsonl")
    assert requests["target_count"][0] == max(MIN_REQUEST, slices["errors"][0] * RECORDS_PER_ERROR)
    assert requests["status"].to_list() == ["open"] and "length=" in requests["slice"][0]


def test_a_request_found_again_keeps_its_status_and_nothing_is_dropped() -> None:
    items = population(clinc_reports(), None)
    first = collection_requests(error_slices(items), "clf 1", "intent", items, "a.jsonl")
    closed = first.with_columns(
        status=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("met")).otherwise("status")
    )
    again = collection_requests(error_slices(items).head(1), "clf 1", "intent", items, "b.jsonl")
    merged = merge_requests(closed, again)
    assert merged.height == first.height and list(merged.schema) == list(REQUEST_SCHEMA)
    renewed = merged.filter(pl.col("request_id") == again["request_id"][0])
    assert renewed["evidence"].item() == "b.jsonl"
    assert (
        renewed["status"].item()
        == closed.filter(pl.col("request_id") == again["request_id"][0])["status"].item()
    )


def test_no_slice_without_both_right_and_wrong_predictions() -> None:
    reports = clinc_reports().with_columns(predicted=pl.lit("oos"))
    assert error_slices(population(reports, None)).is_empty()


@pytest.mark.slow
def test_feedback_drops_become_gated_reports_and_requests_through_the_sensor(demo, tmp_path) -> None:
    lake = Lake(tmp_path / "lake")
    shutil.copytree(demo.lake.root, lake.root)
    resources = resources_for(lake.root, tmp_path / "no-registry.yaml")
    defs = build_definitions(resources)
    released = pl.read_parquet(lake.root / "releases" / demo.release / "records-*.parquet")
    intents = (
        label_rows(released)
        .filter(pl.col("task") == "intent")
        .join(released.select("record_id", length=pl.col("text").str.len_chars()), on="record_id")
    )
    # The model errs on most utterances of 50 characters or more, rarely elsewhere.
    rng = np.random.default_rng(5)
    hard = (intents["length"] >= 50).to_numpy()
    wrong = rng.random(intents.height) < np.where(hard, 0.8, 0.03)
    reports = [
        {
            "task": "intent",
            "expected": v,
            "predicted": "oos" if w else v,
            "model": "intent-clf 2",
            "record_id": r,
            "release": demo.release,
            "kind": "prediction",
        }
        for r, v, w in zip(intents["record_id"], intents["value"], wrong, strict=True)
    ]
    box = inbox(lake)
    box.mkdir(parents=True, exist_ok=True)  # the demo dropped its own feedback there already
    write_lines(box / "eval-2026-12.jsonl", reports)
    write_lines(box / "broken-export.jsonl", [GOOD, "{broken", "{broken", "{broken"])

    with dg.DagsterInstance.ephemeral() as instance:
        context = dg.build_sensor_context(instance=instance, resources=resources)
        first = feedback_sensor(context)
        keys = [r.partition_key for r in first.run_requests]
        assert len(keys) == 2 and first.dynamic_partitions_requests[0].partition_keys == keys
        instance.add_dynamic_partitions("feedback", keys)
        outcomes = {
            key: defs.resolve_job_def("feedback_job")
            .execute_in_process(instance=instance, partition_key=key, raise_on_error=False)
            .success
            for key in keys
        }
        assert sorted(outcomes.items()) == sorted(
            zip(keys, [k.startswith("eval") for k in keys], strict=True)
        )
        [summarise] = feedback_sensor(context).run_requests
        assert summarise.job_name == "requests_job"
        assert defs.resolve_job_def("requests_job").execute_in_process(instance=instance).success
    requests = pl.read_parquet(requests_path(lake)).filter(pl.col("model") == "intent-clf 2")
    assert requests.height >= 1 and set(requests["status"]) == {"open"}
    top = requests.sort("slice_error_rate", descending=True).row(0, named=True)
    assert (
        json.loads(top["conditions"]).get("length") in ("50-99", "100-199") and top["model"] == "intent-clf 2"
    )
    assert "1 files" in top["evidence"]  # the broken export's gate failed: its report is not used


@pytest.mark.slow
def test_the_demo_turns_its_labelers_errors_into_requests(demo) -> None:
    requests = pl.read_parquet(requests_path(demo.lake))
    assert requests.height >= 1 and set(requests["status"]) == {"open"}
    assert all(model.startswith("intent labeler ") for model in requests["model"])
    assert (requests["slice_error_rate"] > requests["average_error_rate"]).all()
    assert requests["slice_error_rate"].max() > 3 * requests["average_error_rate"][0]


@pytest.mark.slow
def test_a_release_that_holds_a_slice_meets_its_request_and_says_so(demo, tmp_path) -> None:
    lake = Lake(tmp_path / "lake")
    shutil.copytree(demo.lake.root, lake.root)
    from_demo = read_requests(lake)
    records = pl.read_parquet(lake.root / "releases" / demo.release / "records-*.parquet")
    english = records.filter(pl.col("lang") == "en").height

    def request(request_id: str, conditions: dict, baseline: int) -> dict:
        return {
            **{name: None for name in REQUEST_SCHEMA},
            "request_id": request_id,
            "model": "m",
            "task": "intent",
            "slice": str(conditions),
            "conditions": json.dumps(conditions),
            "target_count": 50,
            "baseline": baseline,
            "status": "open",
        }

    planted = pl.DataFrame(
        [
            request("enough", {"language": "en"}, english - 50),  # exactly what the release holds
            request("short", {"language": "en"}, english - 49),  # one record short
            request("tagged", {"tag:channel": "app"}, 0),  # not countable in a release
        ],
        schema=REQUEST_SCHEMA,
    )
    write_parquet_atomic(requests_path(lake), pl.concat([from_demo, planted]))
    # No synthetic records: the demo's synthetic batch came after v1, whose records are counted.
    release = cut_release(
        lake,
        next_version(lake),
        created_at="2030-01-01T00:00:00+00:00",
        code_version="t",
        max_synthetic_share=0.0,
    )
    counted = {entry["request_id"]: entry for entry in release.manifest["collection_requests"]}
    assert counted["enough"]["met"] and counted["enough"]["records"] == english
    assert not counted["short"]["met"] and "tagged" not in counted
    assert not any(counted[r]["met"] for r in from_demo["request_id"])  # the same records as before
    sheet = (release.path / "DATASHEET.md").read_text(encoding="utf-8")
    assert "### Collection requests" in sheet and f"| {english:,} | met |" in sheet
    statuses = dict(update_requests(lake).select("request_id", "status").iter_rows())
    assert statuses["enough"] == "met" and statuses["short"] == "open" and statuses["tagged"] == "open"
    assert read_requests(lake).filter(pl.col("request_id") == "enough")["met_in"].item() == release.version


@pytest.mark.slow
def test_a_round_for_a_request_picks_only_records_of_its_slice(demo, tmp_path) -> None:
    lake = Lake(tmp_path / "lake")
    shutil.copytree(demo.lake.root, lake.root)
    request = read_requests(lake).sort("slice_error_rate", descending=True).row(0, named=True)
    members = request_slice(lake, request["request_id"], "intent")
    assert 0 < members.len() < 2_000
    info = export_round(
        lake,
        labelers_for(lake, ("intent",)),
        task="intent",
        ask=("intent",),
        size=20,
        within=members,
        request_id=request["request_id"],
    )
    chosen = read_round(lake, info.round_id)
    assert chosen["collection_request"] == request["request_id"]
    assert {r["record_id"] for r in chosen["records"]} <= set(members)
    with pytest.raises(ValueError, match="not 'tone'"):
        request_slice(lake, request["request_id"], "tone")
