"""Shared fixtures. Markers: ``slow`` (runs Dagster jobs end to end), ``integration`` (starts
real services: the Dagster webserver and daemon, subprocesses killed mid-write)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from data_platform.demo.cluster import free_port
from data_platform.sources.registry import Source, adhoc_source

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs Dagster jobs end to end (tens of seconds)")
    config.addinivalue_line("markers", "integration: starts real services or subprocesses")


def make_source(tmp_path: Path, **changes: object) -> Source:
    base = adhoc_source("test_source", "jsonl", tmp_path, settle_seconds=0)
    governed = replace(base, licence="CC-BY-4.0", consent="public-dataset", languages=("en",))
    return replace(governed, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """The demo run once per session: real Dagster runs on a persistent SQLite instance."""
    from data_platform.demo.runner import run_demo

    return run_demo(tmp_path_factory.mktemp("demo") / "home", say=lambda _: None)


@pytest.fixture
def source_factory(tmp_path: Path):
    return lambda **changes: make_source(tmp_path, **changes)


def registry_entry(source_id: str, drop_folder: str, **changes: object) -> dict:
    """A valid source registry entry (text, jsonl, keyed by ``id``, no settle time, the quality
    rules for short texts: test records are a sentence or two)."""
    entry = {
        "id": source_id,
        "owner": "tests",
        "licence": "CC0-1.0",
        "consent": "contract",
        "domain": "support",
        "languages": ["en"],
        "kind": "text",
        "format": "jsonl",
        "drop_folder": drop_folder,
        "refresh_cadence": "1d",
        "settle_seconds": 0,
        "fields": {"id": "id"},
        "quality": "short-text",
    }
    return {**entry, **changes}


def canonical_row(batch: str, position: int, text: str | None, **changes: object) -> dict:
    """A raw-tier record (all canonical columns) for tests of the tiers' rules."""
    row = {
        "record_id": f"{batch}-{position}",
        "source_id": "s",
        "batch_id": batch,
        "kind": "text",
        "text": text,
        "turns": None,
        "lang": "en",
        "licence": "MIT",
        "consent": "c",
        "origin_file": "f",
        "origin_line": position + 1,
        "origin_byte": 0,
        "content_sha256": "0" * 64,
        "ingested_at": datetime(2026, 1, 1, tzinfo=UTC),
        "meta": None,
        "synthetic": False,
        "synthetic_origin": None,
    }
    return {**row, **changes}


def shared_data(relative: str) -> Path:
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared datasets live in ../shared/data")
    return path


@contextlib.contextmanager
def dagster_dev(home: Path) -> Iterator[str]:
    """Start the real `dagster dev` (webserver, daemon, code server) from workspace.yaml on the
    instance in ``home/dagster_home`` and the lake in ``home``; yield its URL."""
    port = free_port()
    env = {**os.environ, "DAGSTER_HOME": str(home / "dagster_home"), "DATA_PLATFORM_HOME": str(home)}
    command = [str(Path(sys.executable).parent / "dagster"), "dev", "-w", "workspace.yaml"]
    command += ["-h", "127.0.0.1", "-p", str(port)]
    url = f"http://127.0.0.1:{port}"
    with serving(command, env, home / "dagster_dev.log", lambda: _answers(f"{url}/server_info")):
        yield url


@contextlib.contextmanager
def serving(
    command: list[str], env: dict[str, str], log_path: Path, ready: Callable[[], bool], timeout: float = 180
) -> Iterator[None]:
    """Run a server until ``ready()``, yield, then stop its whole process group (SIGTERM to the
    parent alone leaves children behind)."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
        try:
            deadline = time.monotonic() + timeout
            while not ready():
                assert process.poll() is None, log_path.read_text()[-3000:]
                assert time.monotonic() < deadline, f"{command[0]} did not answer within {timeout:.0f} s"
                time.sleep(1)
            yield
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.ConnectionError:
        return False
