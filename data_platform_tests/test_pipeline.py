"""End to end on the demo drops, through real Dagster runs on a persistent SQLite instance."""

import hashlib
import json
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from data_platform.definitions import build_definitions
from data_platform.defs.resources import resources_for
from data_platform.demo.runner import DEMO_CARD, DemoOutcome
from data_platform.lake.releases import (
    content_hash,
    list_releases,
    read_manifest,
    version_number,
)
from data_platform.lake.store import TIERS
from data_platform.tiers.released import cut_release, record_hashes

pytestmark = pytest.mark.slow
BLOCKED = "clinc_intents:clinc-2026-01-08.jsonl"


@pytest.fixture(scope="module")
def instance(demo: DemoOutcome):
    with dg.DagsterInstance.from_config(str(demo.lake.root.parent / "dagster_home")) as instance:
        yield instance


def test_every_batch_conserves_records_through_every_tier(demo: DemoOutcome) -> None:
    lake = demo.lake
    for batch_id in lake.partitions("raw"):
        raw = lake.stats("raw", batch_id)
        assert raw["records_in"] == raw["records_out"] + raw["quarantined"]
        upstream_out = raw["records_out"]
        for tier in TIERS[1:]:
            if not lake.has_partition(tier, batch_id):
                assert batch_id == BLOCKED
                break
            stats = lake.stats(tier, batch_id)
            assert upstream_out == stats["records_out"] + stats["quarantined"], (tier, batch_id)
            upstream_out = stats["records_out"]


def test_release_reconciles_with_raw_minus_quarantine(demo: DemoOutcome) -> None:
    lake = demo.lake
    manifest = read_manifest(lake, demo.release)
    promoted = [b["batch_id"] for b in manifest["batches"]]
    # Every batch but the one its gate stopped, and the synthetic batch made after v1 was cut.
    before = [b for b in lake.partitions("raw") if b != BLOCKED and not b.startswith("clinc_synthetic:")]
    assert sorted(promoted) == sorted(before)
    raw_in = sum(lake.stats("raw", b)["records_in"] for b in promoted)
    quarantined = sum(lake.stats(t, b)["quarantined"] for t in TIERS for b in promoted)
    under_review = sum(manifest["label_policy"]["under_review"].values())
    assert under_review > 0  # the demo's round flagged labels for review
    scan_held = sum(manifest["release_scan"]["held_back"].values())
    assert scan_held > 0  # the planted passport number
    assert (
        manifest["record_count"]
        == raw_in - quarantined - manifest["superseded_records"] - under_review - scan_held
    )
    released = pl.read_parquet(lake.root / "releases" / demo.release / "records-*.parquet")
    assert released.height == manifest["record_count"]
    assert released["record_id"].is_unique().all()
    assert sum(manifest["counts"]["by_source"].values()) == released.height


def test_manifest_content_hash_is_reproducible_from_the_files(demo: DemoOutcome) -> None:
    lake = demo.lake
    manifest = read_manifest(lake, demo.release)
    released = pl.read_parquet(lake.root / "releases" / demo.release / "records-*.parquet")
    assert record_hashes(released).equals(released["record_sha256"])
    digest = hashlib.sha256("".join(f"{h}\n" for h in sorted(released["record_sha256"])).encode())
    assert digest.hexdigest() == manifest["content_sha256"] == content_hash(released["record_sha256"].sort())
    earlier = [v for v in list_releases(lake) if version_number(v) < 900]
    # With no room for synthetic records, the demo's later synthetic batch is left out (the cap)
    # and the cut holds v1's records exactly.
    again = cut_release(
        lake, "v900", created_at="2030-01-01T00:00:00+00:00", code_version="test", max_synthetic_share=0.0
    )
    assert again.manifest["content_sha256"] == manifest["content_sha256"]
    assert again.manifest["synthetic"]["records"] == 0 and again.manifest["synthetic"]["capped"] > 0
    assert again.manifest["parent_version"] == earlier[-1]


def test_a_release_version_is_immutable(demo: DemoOutcome) -> None:
    folder = demo.lake.root / "releases" / demo.release
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    again = cut_release(demo.lake, demo.release, created_at="2031-01-01T00:00:00+00:00", code_version="x")
    assert not again.created_now
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_failed_gate_stops_the_batch_and_says_which_expectation(demo: DemoOutcome, instance) -> None:
    assert demo.batches[BLOCKED] is False
    assert demo.lake.has_partition("raw", BLOCKED)
    assert not demo.lake.has_partition("cleaned", BLOCKED)
    key = dg.AssetCheckKey(dg.AssetKey("raw_records"), "raw_gate")
    records = instance.event_log_storage.get_asset_check_execution_history(key, limit=50)
    [evaluation] = [r.event.dagster_event.event_specific_data for r in records if r.partition == BLOCKED]
    assert evaluation.metadata["batch_id"].value == BLOCKED
    assert evaluation.passed is False
    [failed] = evaluation.metadata["failed_expectations"].data
    assert failed["suite"] == "raw_conservation" and failed["column"] == "quarantine_rate"
    assert failed["unexpected_count"] == 1
    [example] = failed["examples"]
    assert example["records_in"] == 200 and example["quarantine_rate"] == pytest.approx(0.8)
    assert "quarantine_rate" in evaluation.description
    table = evaluation.metadata["failures"].value
    assert "| raw_conservation | expect_column_values_to_be_between | quarantine_rate | 1 | 1 |" in table


def test_a_later_run_refuses_to_build_on_a_failed_gate(demo: DemoOutcome, instance) -> None:
    registry = demo.lake.root.parent / "sources.yaml"
    defs = build_definitions(resources_for(demo.lake.root, registry))
    result = dg.materialize(
        [defs.get_assets_def("cleaned_records")],
        instance=instance,
        partition_key=BLOCKED,
        resources=defs.resources,
        raise_on_error=False,
    )
    assert not result.success
    [failure] = [e for e in result.all_events if e.is_step_failure]
    assert "failed its quality gate" in str(failure.event_specific_data.error)
    assert not demo.lake.has_partition("cleaned", BLOCKED)


def partition_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_rerunning_a_partition_gives_byte_identical_outputs(demo: DemoOutcome, instance) -> None:
    batch = "sgd_dialogues:sgd-2026-01-06.jsonl.gz"
    before = {t: partition_bytes(demo.lake.partition_dir(t, batch)) for t in TIERS}
    registry = demo.lake.root.parent / "sources.yaml"
    defs = build_definitions(resources_for(demo.lake.root, registry))
    result = defs.resolve_job_def("ingest_job").execute_in_process(instance=instance, partition_key=batch)
    assert result.success
    after = {t: partition_bytes(demo.lake.partition_dir(t, batch)) for t in TIERS}
    assert after == before


def test_freshness_check_flags_sources_past_their_cadence(instance) -> None:
    key = dg.AssetCheckKey(dg.AssetKey("source_registry"), "sources_fresh")
    [record] = instance.event_log_storage.get_asset_check_execution_history(key, limit=1)
    evaluation = record.event.dagster_event.event_specific_data
    assert evaluation.passed is False and evaluation.severity == dg.AssetCheckSeverity.WARN
    report = {row["source_id"]: row for row in evaluation.metadata["freshness"].data}
    # The demo drops "landed" in January 2026 and every source refreshes daily.
    assert set(report) == {"clinc_intents", "clinc_synthetic", "sgd_dialogues", "ud_sentences", "ud_archive"}
    assert all(row["overdue"] for row in report.values())
    assert report["clinc_intents"]["drops"] == 4


def test_release_sensor_waits_until_new_batches_pass(demo: DemoOutcome, instance) -> None:
    from data_platform.defs.released.sensors import release_sensor

    registry = demo.lake.root.parent / "sources.yaml"
    defs = build_definitions(resources_for(demo.lake.root, registry))
    context = dg.build_sensor_context(instance=instance, definitions=defs, resources=defs.resources)
    result = release_sensor(context)
    assert result.run_requests == []
    assert result.skip_reason.skip_message == "no newly gated batches since the last release"


@pytest.mark.integration
def test_release_command_cuts_the_next_version_on_the_instance(demo: DemoOutcome) -> None:
    import os
    import subprocess
    import sys

    home = demo.lake.root.parent
    env = {**os.environ, "DAGSTER_HOME": str(home / "dagster_home"), "DATA_PLATFORM_HOME": str(home)}
    # The version after the demo's two (tests cut v9xx on copies of this lake: not next_version),
    # with the options of its parent, the demo's v2: the same records, so nothing drifts.
    parent, version = demo.second_release, "v3"
    assert parent == "v2"
    floors = read_manifest(demo.lake, parent)["label_policy"]["min_confidence"]
    cli = str(Path(sys.executable).parent / "data-platform")
    command = [cli, "release", "--version", version]
    command += [arg for task, floor in floors.items() for arg in ("--min-confidence", f"{task}={floor}")]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    count = read_manifest(demo.lake, parent)["record_count"]
    assert (
        done.stdout.startswith(f"release {version}: {count:,} records from 8 batches")
        and "DEBUG" not in done.stdout
    )
    manifest = read_manifest(demo.lake, version)
    assert manifest["parent_version"] == parent
    assert manifest["content_sha256"] == read_manifest(demo.lake, parent)["content_sha256"]
    # The same records as its parent: evaluated, nothing drifted, the classifier cannot tell them apart.
    evaluation = demo.lake.root / "releases" / version / "evaluation"
    assert f"evaluation {evaluation.parent / 'EVALUATION.html'}" in done.stdout
    summary = json.loads((evaluation / "evaluation.json").read_text(encoding="utf-8"))
    assert summary["parent_version"] == parent and summary["max_psi"] == pytest.approx(0.0, abs=1e-12)
    assert 0.35 < summary["text_drift"]["auc"] < 0.65 and (evaluation / "drift.png").is_file()
    diff = subprocess.run(
        [cli, "diff", parent, version], env=env, capture_output=True, text=True, timeout=300
    )
    assert diff.returncode == 0 and "  added: 0\n  removed: 0\n  changed: 0\n" in diff.stdout, diff.stderr
    with dg.DagsterInstance.from_config(str(home / "dagster_home")) as instance:
        assert instance.has_dynamic_partition("releases", version)


def test_the_demo_second_release_says_what_its_stricter_policy_left_out(demo: DemoOutcome) -> None:
    manifest = read_manifest(demo.lake, demo.second_release)
    held, diff = manifest["label_policy"]["held_back"]["intent"], manifest["diff_from_parent"]
    # A held-back record v1 had left out for another reason (a duplicate alternate) is no removal.
    assert set(diff["removed"]) == {"label_policy"} and 0 < diff["removed"]["label_policy"] <= held
    earlier = read_manifest(demo.lake, demo.release)["record_count"]
    assert manifest["record_count"] == earlier - diff["removed"]["label_policy"] + sum(diff["added"].values())


def test_release_carries_a_datasheet_and_passes_the_governance_gate(demo: DemoOutcome, instance) -> None:
    folder = demo.lake.root / "releases" / demo.release
    sheet = (folder / "DATASHEET.md").read_text(encoding="utf-8")
    manifest = read_manifest(demo.lake, demo.release)
    for section in (
        "Motivation",
        "Composition",
        "Collection process",
        "Preprocessing, cleaning and labelling",
        "Uses",
        "Distribution",
        "Maintenance",
    ):
        assert f"\n## {section}\n" in sheet
    assert DEMO_CARD["purpose"] in sheet and DEMO_CARD["out_of_scope_uses"] in sheet
    assert "| sgd_dialogues | Task-oriented assistant dialogues (SGD sample). | data-platform demo |" in sheet
    for source, count in manifest["counts"]["by_source"].items():
        assert f"| {source} | {count:,} |" in sheet
    assert "| cleaned | exact_duplicate |" in sheet and "| raw |" in sheet
    for entity, count in manifest["pii_findings"].items():
        assert f"| {entity} | {count:,} |" in sheet
    assert "language: py3langid" in sheet

    wanted = dg.AssetRecordsFilter(asset_key=dg.AssetKey("released_dataset"), asset_partitions=[demo.release])
    [record] = instance.fetch_materializations(wanted, limit=1).records
    assert record.asset_materialization.metadata["datasheet"].value == sheet
    key = dg.AssetCheckKey(dg.AssetKey("released_dataset"), "release_gate")
    history = instance.event_log_storage.get_asset_check_execution_history(key, limit=20)
    [evaluation] = [r.event.dagster_event.event_specific_data for r in history if r.partition == demo.release]
    assert evaluation.passed
    checked = {e["expectation"] for e in evaluation.metadata["all_expectations"].data}
    assert any("structured_pii" in e for e in checked) and any("provenance_gap" in e for e in checked)


def test_annotated_records_carry_the_sources_label_tasks_with_versions(demo: DemoOutcome, instance) -> None:
    lake = demo.lake
    state = json.loads((lake.root / "_labelers" / "current.json").read_text())
    batch = next(b for b in lake.partitions("annotated") if b.startswith("clinc_intents"))
    entries = (
        lake.scan_records("annotated", batch).select(pl.col("labels").explode()).unnest("labels").collect()
    )
    machine = entries.filter(~pl.col("human_confirmed"))
    versions = dict(machine.select("task", "labeler_version").unique().iter_rows())
    assert versions["intent"] == state["intent"]["version"]
    assert versions["emotion"] == state["emotion"]["version"]
    # The demo's round refitted tone's combination to the annotators' tone labels.
    assert versions["tone"] == state["tone"]["version"]
    assert versions["tone"].startswith(f"1+emotion-{state['emotion']['version']}+fit-")
    records = lake.stats("annotated", batch)["records_out"]
    per_task = dict(entries.group_by("task").agg(pl.col("value").len()).iter_rows())
    assert per_task["intent"] == per_task["tone"] == per_task["language"] == records
    assert per_task["emotion"] >= records  # multi-label
    assert entries["confidence"].is_between(0, 1).all()
    ud = next(b for b in lake.partitions("annotated") if b.startswith("ud_sentences"))
    ud_tasks = (
        lake.scan_records("annotated", ud).select(pl.col("labels").explode()).unnest("labels").collect()
    )
    assert set(ud_tasks["task"]) == {"language"}  # multilingual: no English labelers declared
    wanted = dg.AssetRecordsFilter(asset_key=dg.AssetKey("annotated_records"), asset_partitions=[batch])
    [record] = instance.fetch_materializations(wanted, limit=1).records
    assert "| intent |" in record.asset_materialization.metadata["label_distribution"].value
