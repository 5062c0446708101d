"""Shared fixtures. Markers: ``slow`` (runs Dagster jobs end to end), ``integration`` (starts
real services: the Dagster webserver and daemon, subprocesses killed mid-write)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from data_platform.sources.registry import FieldMap, Source

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs Dagster jobs end to end (tens of seconds)")
    config.addinivalue_line("markers", "integration: starts real services or subprocesses")


def make_source(tmp_path: Path, **changes: object) -> Source:
    base = Source(
        id="test_source",
        owner="tests",
        licence="CC-BY-4.0",
        consent="public-dataset",
        domain="test",
        languages=("en",),
        kind="text",
        format="jsonl",
        drop_folder=tmp_path,
        refresh_cadence_seconds=86400,
        fields=FieldMap(id="id"),
        settle_seconds=0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """The demo run once per session: real Dagster runs on a persistent SQLite instance."""
    from data_platform.demo.runner import run_demo

    return run_demo(tmp_path_factory.mktemp("demo") / "home", say=lambda _: None)


@pytest.fixture
def source_factory(tmp_path: Path):
    return lambda **changes: make_source(tmp_path, **changes)


def shared_data(relative: str) -> Path:
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared datasets live in ../shared/data")
    return path
