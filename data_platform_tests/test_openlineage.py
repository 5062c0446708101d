"""OpenLineage events per run on the demo instance: one START and one COMPLETE or FAIL per
finished run, with the partitions it wrote and read, valid against the spec's required fields."""

import json
import uuid

import dagster as dg
import pytest

from data_platform.defs.lineage.sensors import lineage_dir
from data_platform.demo.runner import DemoOutcome

pytestmark = pytest.mark.slow
BLOCKED = "clinc_intents:clinc-2026-01-08.jsonl"


def _events(demo: DemoOutcome) -> dict[str, list[dict]]:
    return {
        path.stem: [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for path in sorted(lineage_dir(demo.lake).glob("*.jsonl"))
    }


def test_every_finished_run_has_a_start_and_an_end_event(demo: DemoOutcome) -> None:
    events = _events(demo)
    with dg.DagsterInstance.from_config(str(demo.lake.root.parent / "dagster_home")) as instance:
        finished = instance.get_run_records(
            filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE])
        )
        # The demo ticks the sensor once, before the runs that tests start afterwards.
        assert len(events) >= 20 and set(events) <= {r.dagster_run.run_id for r in finished}
        status = {r.dagster_run.run_id: r.dagster_run.status for r in finished}
    for run_id, (start, end) in events.items():
        assert str(uuid.UUID(run_id)) == run_id
        for event in (start, end):
            # The spec's required fields of a RunEvent.
            assert {"eventTime", "producer", "schemaURL", "run", "job"} <= set(event)
            assert event["run"]["runId"] == run_id and event["job"]["namespace"] == "data_platform"
        assert start["eventType"] == "START" and start["eventTime"] <= end["eventTime"]
        expected = "COMPLETE" if status[run_id] == dg.DagsterRunStatus.SUCCESS else "FAIL"
        assert end["eventType"] == expected


def test_a_batch_run_names_what_it_read_and_wrote_and_a_failed_one_why(demo: DemoOutcome) -> None:
    ends = [end for _, end in _events(demo).values()]
    batch = "clinc_intents:clinc-2026-01-05.jsonl"
    [ingest] = [e for e in ends if f"cleaned_records/{batch}" in _names(e["outputs"])]
    assert ingest["job"]["name"] == "ingest_job"
    outputs = {o["name"]: o for o in ingest["outputs"]}
    assert {f"raw_records/{batch}", f"annotated_records/{batch}"} <= set(outputs)
    cleaned = outputs[f"cleaned_records/{batch}"]
    assert cleaned["outputFacets"]["outputStatistics"]["rowCount"] > 0
    assert "text" in {f["name"] for f in cleaned["facets"]["schema"]["fields"]}
    assert cleaned["namespace"] == demo.lake.root.resolve().as_uri()
    assert "labelers" in _names(ingest["inputs"])
    # The batch its raw gate stopped: the run failed, and the event says why.
    [failed] = [
        e for e in ends if e["eventType"] == "FAIL" and f"raw_records/{BLOCKED}" in _names(e["outputs"])
    ]
    assert "raw_gate" in failed["run"]["facets"]["errorMessage"]["message"]
    [release] = [e for e in ends if "released_dataset/v2" in _names(e["outputs"])]
    assert "annotated_records" in _names(release["inputs"])


def _names(datasets: list[dict]) -> set[str]:
    return {dataset["name"] for dataset in datasets}
