"""Takedowns reach every later release (exact and near copies), and the report names the earlier
releases and the models trained on them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from data_platform import settings
from data_platform.cli import main
from data_platform.demo.runner import DemoOutcome
from data_platform.governance.audit import run_audit
from data_platform.governance.impact import takedown_report
from data_platform.governance.models import models, register_model
from data_platform.governance.takedown import Scope, file_takedown, takedowns
from data_platform.lake.releases import next_version
from data_platform.lake.store import Lake
from data_platform.sources.schema import content_text
from data_platform.tiers.released import cut_release

pytestmark = pytest.mark.slow


@pytest.fixture
def lake(demo: DemoOutcome, tmp_path: Path) -> Lake:
    copy = Lake(tmp_path / "home" / "lake")
    shutil.copytree(demo.lake.root, copy.root)
    return copy


def released(lake: Lake, version: str) -> pl.DataFrame:
    return pl.read_parquet(lake.root / "releases" / version / "records-*.parquet")


def test_a_text_takedown_removes_exact_and_near_copies_from_the_next_release(
    lake: Lake, demo: DemoOutcome
) -> None:
    before = released(lake, demo.release).with_columns(content=content_text())
    conversation = before.filter(pl.col("kind") == "conversation").row(0, named=True)
    words = conversation["content"].split(" ")
    words[len(words) // 2] = "zebra"  # one word changed: a near copy, not an exact one
    short = before.filter((pl.col("kind") == "text") & (pl.col("content").str.len_chars() > 20)).row(
        0, named=True
    )
    register_model(lake, "intent-clf", "1.0", demo.release)

    near = file_takedown(lake, Scope(text=" ".join(words)), reason="user request")
    exact = file_takedown(lake, Scope(text=short["content"]))
    report = takedown_report(lake, near["request_id"])

    assert all(conversation["content"] not in json.dumps(entry) for entry in takedowns(lake))  # no text kept
    held = {entry["release"]: entry for entry in report["releases"]}
    assert conversation["record_id"] in held[demo.release]["record_ids"]
    assert held[demo.release]["models"] == ["intent-clf 1.0"]

    version = next_version(lake)
    # No synthetic records: the demo's synthetic batch came after v1, which this compares with.
    release = cut_release(
        lake, version, created_at="2030-01-01T00:00:00+00:00", code_version="t", max_synthetic_share=0.0
    )
    after = released(lake, version)
    assert conversation["record_id"] not in set(after["record_id"])
    assert short["record_id"] not in set(after["record_id"])
    assert release.manifest["taken_down"][near["request_id"]] >= 1
    assert release.manifest["taken_down"][exact["request_id"]] >= 1
    # One conversation and one sentence, nothing else (a null comparison once took every record).
    assert sum(release.manifest["taken_down"].values()) <= 4
    assert after.height + sum(release.manifest["taken_down"].values()) == before.height


def test_record_source_and_field_scopes(lake: Lake, demo: DemoOutcome) -> None:
    before = released(lake, demo.release)
    one = before["record_id"][0]
    file_takedown(lake, Scope(record_ids=(one,)))
    file_takedown(lake, Scope(source_id="sgd_dialogues"))
    release = cut_release(lake, next_version(lake), created_at="2030-01-01T00:00:00+00:00", code_version="t")
    after = released(lake, release.version)
    assert one not in set(after["record_id"]) and "sgd_dialogues" not in set(after["source_id"])
    # The manifest, the left-out file and the audit query say the same: taken down, nothing else.
    parent = release.manifest["parent_version"]
    removed = released(lake, parent).join(after, on="record_id", how="anti")
    diff = release.manifest["diff_from_parent"]
    # The demo's v2 held back unsure intent labels; this cut does not, so those come back.
    assert diff["parent"] == parent and diff["removed"] == {"takedown": removed.height}
    assert set(diff["added"]) <= {"admitted"}
    assert diff["by_source"]["sgd_dialogues"]["later"] == 0
    left_out = pl.read_parquet(lake.root / "releases" / release.version / "left_out.parquet")
    assert set(removed["record_id"]) <= set(left_out.filter(pl.col("reason") == "takedown")["record_id"])
    audit = run_audit(lake, "release_diff", {"earlier": parent, "later": release.version})
    gone = audit.filter(pl.col("change") == "removed")
    assert set(gone["reason"]) == {"takedown"} and gone["records"].sum() == removed.height
    back = audit.filter(pl.col("change") == "added")
    assert all(reason.startswith("admitted (left out of") for reason in back["reason"])
    with pytest.raises(ValueError, match="exactly one scope"):
        file_takedown(lake, Scope(record_ids=(one,), source_id="x"))
    with pytest.raises(ValueError, match="field scope"):
        file_takedown(lake, Scope(field="bad name", value="x"))


def test_model_registry_both_directions(lake: Lake, demo: DemoOutcome) -> None:
    register_model(lake, "tone", "2", demo.release, notes="first run")
    assert [m["version"] for m in models(lake, release=demo.release, name="tone")] == ["2"]
    with pytest.raises(ValueError, match="does not exist"):
        register_model(lake, "tone", "3", "v999")
    with pytest.raises(ValueError, match="registered already"):
        register_model(lake, "tone", "2", demo.release)


def test_takedown_and_models_cli(lake: Lake, demo: DemoOutcome, monkeypatch, capsys) -> None:
    monkeypatch.setenv(settings.HOME_ENV, str(lake.root.parent))
    assert main(["models", "register", "--name", "m", "--version", "1", "--release", demo.release]) == 0
    assert main(["models", "register", "--name", "m"]) == 2
    capsys.readouterr()
    record = released(lake, demo.release).row(0, named=True)
    assert main(["takedown", "--record-id", record["record_id"], "--reason", "gdpr"]) == 0
    summary = capsys.readouterr().out
    assert "1 record id(s)" in summary and f"release {demo.release} holds 1 of them (trained: m 1)" in summary
    assert "signature" not in summary and len(summary.splitlines()) <= 6
    assert main(["takedown", "--record-id", "no-such-record", "--json"]) == 0
    assert "not in the lake" not in capsys.readouterr().out, "--json prints the report only"
    assert main(["takedown", "--record-id", "no-such-record"]) == 0
    assert "not in the lake (yet): 1 of the record ids" in capsys.readouterr().out
    assert main(["takedown", "--record-id", record["record_id"], "--reason", "gdpr", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["request"]["reason"] == "gdpr"
    assert any("m 1" in entry["models"] for entry in report["releases"])
    per_source = run_audit(lake, "models_per_source", {"source_id": record["source_id"]})
    assert per_source.select("name", "version", "release").row(0) == ("m", "1", demo.release)
    requests = run_audit(lake, "takedown_requests", {})
    assert report["request"]["request_id"] in requests["request_id"].to_list() and requests.height == 4
    impact = run_audit(lake, "takedown_impact", {"request_id": report["request"]["request_id"]})
    rows = impact.select("release", "records", "model", "model_version").rows()
    assert (demo.release, 1, "m", "1") in rows  # releases cut by earlier tests may hold it too
    assert {r[0] for r in rows} == {entry["release"] for entry in report["releases"]}
    assert run_audit(lake, "takedown_impact", {"request_id": "td-none"}).height == 0
    assert main(["audit", "release_composition", "--param", "version=v99"]) == 0
    assert "release_composition: no rows (version=v99)" in capsys.readouterr().out


def test_a_registered_model_is_an_asset_downstream_of_the_released_dataset(
    lake: Lake, demo: DemoOutcome
) -> None:
    from data_platform.definitions import build_definitions
    from data_platform.defs.resources import resources_for

    register_model(lake, "intent-clf", "1.0", demo.release)
    register_model(lake, "intent-clf", "1.1", demo.release, notes="more epochs")
    defs = build_definitions(resources_for(lake.root, lake.root.parent / "sources.yaml"))
    specs = {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}
    model = specs["models/intent-clf"]
    assert [dep.asset_key.to_user_string() for dep in model.deps] == ["released_dataset"]
    assert model.metadata["latest_version"] == "1.1"
    assert model.metadata["trained_on_release"] == demo.release
    assert [v["version"] for v in model.metadata["versions"].value] == ["1.0", "1.1"]
