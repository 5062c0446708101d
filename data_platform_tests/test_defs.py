"""The definitions load, and the asset graph is the lineage we intend (a snapshot)."""

import dagster as dg

from data_platform.definitions import defs

EXPECTED_LINEAGE = {
    "source_registry": set(),
    "raw_records": set(),
    "dedup_state": {"raw_records"},
    "cleaned_records": {"raw_records", "dedup_state"},
    "human_labels": set(),
    "labelers": {"human_labels"},
    "annotated_records": {"cleaned_records", "labelers"},
    "annotation_round": {"annotated_records"},
    "released_dataset": {"annotated_records"},
    "release_evaluation": {"released_dataset"},
    "model_feedback": set(),
    "collection_requests": {"model_feedback"},
    "synthetic_candidates": set(),
    "synthetic_promotion": {"synthetic_candidates"},
}
EXPECTED_GROUPS = {
    "source_registry": "ingest",
    "raw_records": "raw",
    "dedup_state": "cleaned",
    "cleaned_records": "cleaned",
    "human_labels": "annotated",
    "labelers": "annotated",
    "annotated_records": "annotated",
    "annotation_round": "annotated",
    "released_dataset": "released",
    "release_evaluation": "released",
    "model_feedback": "feedback",
    "collection_requests": "feedback",
    "synthetic_candidates": "synthetic",
    "synthetic_promotion": "synthetic",
}


def test_asset_graph_matches_the_snapshot() -> None:
    graph = defs.resolve_asset_graph()
    lineage = {
        key.to_user_string(): {parent.to_user_string() for parent in graph.get(key).parent_keys}
        for key in graph.get_all_asset_keys()
    }
    assert lineage == EXPECTED_LINEAGE


def test_every_asset_is_catalogued() -> None:
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        name = key.to_user_string()
        assert node.group_name == EXPECTED_GROUPS[name]
        assert node.description and len(node.description) > 80, name
        assert node.owners == ["team:data-platform"], name
        assert node.kinds, name
        if name not in (
            "source_registry",
            "labelers",
            "annotation_round",
            "dedup_state",
            "release_evaluation",
            "model_feedback",
            "collection_requests",
            "synthetic_candidates",
            "synthetic_promotion",
        ):
            schema = node.metadata["dagster/column_schema"]
            assert all(column.description for column in schema.columns), name


def test_derived_columns_carry_column_lineage() -> None:
    graph = defs.resolve_asset_graph()
    lineage = graph.get(dg.AssetKey("cleaned_records")).metadata["dagster/column_lineage"]
    [dep] = lineage.deps_by_column["norm_sha256"][:1]
    assert dep.asset_key == dg.AssetKey("raw_records")


def test_each_tier_has_a_blocking_gate() -> None:
    checks = {
        key.asset_key.to_user_string(): spec.blocking
        for check in defs.asset_checks or []
        for key, spec in ((s.key, s) for s in check.check_specs)
    }
    assert checks == {
        "raw_records": True,
        "cleaned_records": True,
        "annotated_records": True,
        "released_dataset": True,
        "model_feedback": True,
        "synthetic_candidates": True,
    }


def test_jobs_sensors_and_schedules_resolve() -> None:
    for job in ("ingest_job", "release_job", "registry_job", "feedback_job", "requests_job", "synthetic_job"):
        assert defs.resolve_job_def(job)
    assert defs.resolve_sensor_def("drop_sensor").default_status == dg.DefaultSensorStatus.RUNNING
    assert defs.resolve_sensor_def("release_sensor").default_status == dg.DefaultSensorStatus.STOPPED
    assert defs.resolve_sensor_def("feedback_sensor").default_status == dg.DefaultSensorStatus.RUNNING
    assert defs.resolve_sensor_def("synthetic_sensor").default_status == dg.DefaultSensorStatus.RUNNING
    assert defs.resolve_sensor_def("openlineage_sensor").default_status == dg.DefaultSensorStatus.RUNNING
    assert defs.resolve_schedule_def("freshness_schedule").cron_schedule == "0 * * * *"
