"""A released record traces back to its raw file and line, with every step's code and settings."""

from __future__ import annotations

import hashlib

import polars as pl
import pytest

from data_platform import settings
from data_platform.cli import main
from data_platform.demo.runner import DemoOutcome
from data_platform.governance.lineage import record_lineage
from data_platform.lake.atomic import canonical_json

pytestmark = pytest.mark.slow


def test_lineage_of_a_released_record(demo: DemoOutcome) -> None:
    record = pl.read_parquet(demo.lake.root / "releases" / demo.release / "records-*.parquet").row(
        0, named=True
    )
    lineage = record_lineage(demo.lake, record["record_id"])
    steps = {step["tier"]: step for step in lineage["steps"]}
    assert {"raw", "cleaned", "annotated"} <= set(steps)
    raw = steps["raw"]
    assert (raw["origin_file"], raw["origin_line"]) == (record["origin_file"], record["origin_line"])
    cleaned_stats = demo.lake.stats("cleaned", steps["cleaned"]["batch_id"])
    expected = hashlib.sha256(canonical_json({"rules": cleaned_stats["rules"]}).encode()).hexdigest()
    assert steps["cleaned"]["parameters_sha256"] == expected
    assert all(
        steps[tier]["code_version"] == settings.code_version() for tier in ("raw", "cleaned", "annotated")
    )
    assert steps["annotated"]["labels"][0]["labeler"] == "py3langid"
    assert demo.release in [release["release"] for release in lineage["releases"]]


def test_lineage_cli(demo: DemoOutcome, monkeypatch, capsys) -> None:
    monkeypatch.setenv(settings.HOME_ENV, str(demo.lake.root.parent))
    record_id = pl.read_parquet(demo.lake.root / "releases" / demo.release / "records-*.parquet")[
        "record_id"
    ][0]
    assert main(["lineage", record_id]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"record {record_id}") and "origin_line" in out and f"release {demo.release}" in out
    assert main(["lineage", "no-such-record"]) == 2
    assert "is in no tier" in capsys.readouterr().err
