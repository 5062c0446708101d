"""Audit queries: listed with their parameters, run with bound values, hostile values inert."""

from __future__ import annotations

import json

import polars as pl
import pytest

from data_platform import settings
from data_platform.cli import main
from data_platform.demo.runner import DemoOutcome
from data_platform.governance.audit import AuditError, load_queries, parse_params, run_audit
from data_platform.lake.releases import read_manifest

pytestmark = pytest.mark.slow

HOSTILE = ["x' or '1'='1", "'; drop view raw_records; --", "1; DROP TABLE quarantine", '" or ""="']


def released_record(demo: DemoOutcome) -> dict:
    path = next((demo.lake.root / "releases" / demo.release).glob("records-*.parquet"))
    return pl.read_parquet(path).row(0, named=True)


def test_every_query_declares_what_it_takes() -> None:
    queries = load_queries()
    assert {"record_lineage", "release_composition", "quarantine_reasons", "source_in_releases"} <= set(
        queries
    )
    for query in queries.values():
        assert query.description and query.sql
        for param in query.params:
            assert f"${param.name}" in query.sql  # declared and used


def test_lineage_traces_a_released_record_to_its_raw_line(demo: DemoOutcome) -> None:
    record = released_record(demo)
    lineage = run_audit(demo.lake, "record_lineage", {"record_id": record["record_id"]})
    steps = dict(zip(lineage["step"], lineage["origin_line"], strict=True))
    assert {"raw", "cleaned", "annotated", f"release:{demo.release}"} <= set(steps)
    assert steps["raw"] == record["origin_line"]


def test_release_composition_adds_up_to_the_release(demo: DemoOutcome) -> None:
    composition = run_audit(demo.lake, "release_composition", {"version": demo.release})
    released = pl.read_parquet(demo.lake.root / "releases" / demo.release / "records-*.parquet")
    assert composition["records"].sum() == released.height
    assert set(composition["licence"]) == set(released["licence"])


def test_pii_per_release_counts_what_the_manifest_counts(demo: DemoOutcome) -> None:
    counts = run_audit(demo.lake, "pii_per_release", {"version": demo.release})
    manifest = read_manifest(demo.lake, demo.release)
    assert counts.height > 0
    totals = counts.group_by("entity_type").agg(pl.col("findings").sum())
    assert dict(totals.iter_rows()) == manifest["pii_findings"]


def test_synthetic_records_per_release_match_the_manifest(demo: DemoOutcome) -> None:
    rows = run_audit(demo.lake, "synthetic_records", {"version": demo.second_release})
    manifest = read_manifest(demo.lake, demo.second_release)["synthetic"]
    assert dict(rows.select("generator", "records").iter_rows()) == manifest["generators"]
    assert rows["task"].to_list() == ["intent"] and rows["parents"][0] >= 2
    assert run_audit(demo.lake, "synthetic_records", {"version": demo.release}).is_empty()


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_values_not_sql(demo: DemoOutcome, value: str) -> None:
    assert run_audit(demo.lake, "record_lineage", {"record_id": value}).height == 0
    assert run_audit(demo.lake, "quarantine_reasons", {"batch_id": value}).height == 0
    # the views are all still there and answer
    assert run_audit(demo.lake, "quarantine_reasons", {}).height > 0


def test_parameters_are_checked_before_anything_runs(demo: DemoOutcome) -> None:
    with pytest.raises(AuditError, match="takes no parameter nope"):
        run_audit(demo.lake, "record_lineage", {"nope": "1"})
    with pytest.raises(AuditError, match="needs --param version"):
        run_audit(demo.lake, "release_composition", {})
    with pytest.raises(AuditError, match="no audit query named"):
        run_audit(demo.lake, "drop_everything", {})
    with pytest.raises(AuditError, match="key=value"):
        parse_params(["record_id"])


def test_audit_cli_lists_and_runs(demo: DemoOutcome, monkeypatch, capsys) -> None:
    monkeypatch.setenv(settings.HOME_ENV, str(demo.lake.root.parent))
    assert main(["audit"]) == 0
    listing = capsys.readouterr().out
    assert "record_lineage --param record_id=" in listing and "batch_id (string, optional)" in listing
    record = released_record(demo)
    assert (
        main(["audit", "record_lineage", "--param", f"record_id={record['record_id']}", "--format", "json"])
        == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert any(row["step"] == "raw" for row in rows)
    assert main(["audit", "record_lineage", "--param", "nope=1"]) == 2
    assert "takes no parameter" in capsys.readouterr().err
