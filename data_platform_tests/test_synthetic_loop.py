"""Synthetic batches end to end on the demo: through the inbox sensor and real Dagster runs, a
recombined batch passes its gate and reaches the release tagged as synthetic; a batch of near
copies of real utterances is refused by the blocking check and never becomes a drop."""

import json

import dagster as dg
import polars as pl
import pytest

from data_platform.demo.runner import DemoOutcome
from data_platform.lake.releases import read_manifest, release_dir
from data_platform.lake.store import TIERS
from data_platform.tiers.synthetic import read_validation

pytestmark = pytest.mark.slow


def _keys(demo: DemoOutcome) -> tuple[str, str]:
    [passed] = [key for key, ok in demo.synthetic_batches.items() if ok]
    [refused] = [key for key, ok in demo.synthetic_batches.items() if not ok]
    return passed, refused


def test_the_gate_refuses_near_copies_and_promotes_the_recombined_batch(demo: DemoOutcome) -> None:
    passed, refused = _keys(demo)
    assert passed.startswith("recombined-") and refused.startswith("near-copies-")
    verdict = read_validation(demo.lake, refused)
    assert verdict["copied_share"] > 0.9
    assert any(why.startswith("memorisation:") for why in verdict["failures"])
    good = read_validation(demo.lake, passed)
    assert good["failures"] == [] and good["copied"] == 0 and good["real_records"] >= 20
    assert good["utility"]["macro_f1_with"] >= good["utility"]["macro_f1_without"] - 0.01
    drops = demo.lake.root.parent / "drops" / "clinc_synthetic"
    assert sorted(p.name for p in drops.glob("*.jsonl")) == [f"{passed}.jsonl"]


def test_the_refused_batch_fails_its_blocking_check_in_the_instance(demo: DemoOutcome) -> None:
    _, refused = _keys(demo)
    with dg.DagsterInstance.from_config(str(demo.lake.root.parent / "dagster_home")) as instance:
        key = dg.AssetCheckKey(dg.AssetKey("synthetic_candidates"), "synthetic_gate")
        records = instance.event_log_storage.get_asset_check_execution_history(key, limit=50)
        [evaluation] = [r.event.dagster_event.event_specific_data for r in records if r.partition == refused]
        assert evaluation.passed is False
        failed = {f["column"] for f in evaluation.metadata["failed_expectations"].data}
        assert "copied_share" in failed
        assert "memorisation" in evaluation.metadata["reasons"].value
        # Blocked: the promotion never ran for that partition.
        promoted = instance.get_latest_materialization_event(dg.AssetKey("synthetic_promotion"))
        assert promoted is not None and promoted.dagster_event.partition != refused


def test_synthetic_records_are_tagged_in_every_tier_and_the_release(demo: DemoOutcome) -> None:
    passed, _ = _keys(demo)
    batch = f"clinc_synthetic:{passed}.jsonl"
    assert demo.batches[batch] is True
    for tier in TIERS:
        records = demo.lake.scan_records(tier, batch).select("synthetic", "synthetic_origin").collect()
        assert records.height > 0 and records["synthetic"].all(), tier
        origins = [json.loads(o) for o in records["synthetic_origin"].to_list()]
        assert all(
            o["generator"] == "recombine-v1" and o["parents"] and o["task"] == "intent" for o in origins
        )
    version = demo.second_release
    manifest = read_manifest(demo.lake, version)
    section = manifest["synthetic"]
    assert section["records"] > 0 and section["share"] <= section["max_share"] == 0.1
    assert section["generators"] == {"recombine-v1": section["records"]}
    released = pl.read_parquet(release_dir(demo.lake, version) / "records-*.parquet")
    synthetic = released.filter(pl.col("synthetic"))
    assert synthetic.height == section["records"] and synthetic["synthetic_origin"].is_not_null().all()
    assert released.filter(~pl.col("synthetic"))["synthetic_origin"].is_null().all()
    assert "**Synthetic records.**" in (release_dir(demo.lake, version) / "DATASHEET.md").read_text()
    # The first release was cut before the batch existed: it holds none.
    assert read_manifest(demo.lake, demo.release)["synthetic"]["records"] == 0


def test_the_demo_runs_a_round_for_the_request_it_fills(demo: DemoOutcome) -> None:
    from data_platform.annotation.rounds import round_ids, rounds_dir
    from data_platform.tiers.feedback import read_requests

    passed, _ = _keys(demo)
    conditions = read_validation(demo.lake, passed)["slice"]
    rounds = [
        json.loads((rounds_dir(demo.lake) / r / "round.json").read_text()) for r in round_ids(demo.lake)
    ]
    [for_request] = [r for r in rounds if r.get("collection_request")]
    request = read_requests(demo.lake).filter(pl.col("request_id") == for_request["collection_request"])
    assert json.loads(request["conditions"].item()) == conditions


def test_a_lake_from_before_the_synthetic_columns_still_cuts_a_release(demo: DemoOutcome, tmp_path) -> None:
    import shutil

    from data_platform.lake.store import Lake
    from data_platform.tiers.released import cut_release
    from data_platform.tiers.synthetic import slice_records

    lake = Lake(tmp_path / "lake")
    shutil.copytree(demo.lake.root, lake.root)
    # As an earlier version wrote them: no synthetic columns in the annotated partitions.
    for batch in lake.partitions("annotated"):
        for part in lake.record_files("annotated", batch):
            pl.read_parquet(part).drop("synthetic", "synthetic_origin").write_parquet(part)
    release = cut_release(lake, "v950", created_at="2030-01-01T00:00:00+00:00", code_version="t")
    assert release.manifest["record_count"] > 0 and release.manifest["synthetic"]["records"] == 0
    assert slice_records(lake, "intent", {"expected": "transfer"}).height > 0
