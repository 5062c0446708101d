"""Atomic partitions: nothing partial is ever visible, even when the writer is SIGKILLed."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
import yaml

from data_platform.lake.atomic import TMP_PREFIX
from data_platform.lake.store import Lake
from data_platform_tests.conftest import PROJECT_ROOT, registry_entry


def frames(n: int) -> list[tuple[pl.DataFrame, pl.DataFrame]]:
    quarantine = pl.DataFrame(
        {"record_id": [], "reason": []}, schema={"record_id": pl.String, "reason": pl.String}
    )
    return [(pl.DataFrame({"record_id": [f"r{i}"]}), quarantine) for i in range(n)]


def test_failed_write_leaves_the_previous_partition_untouched(tmp_path: Path) -> None:
    lake = Lake(tmp_path)
    lake.write_partition("raw", "s:a", frames(2))
    before = {p.name: p.read_bytes() for p in lake.partition_dir("raw", "s:a").iterdir()}

    def failing():
        yield from frames(3)
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        lake.write_partition("raw", "s:a", failing())
    assert {p.name: p.read_bytes() for p in lake.partition_dir("raw", "s:a").iterdir()} == before
    assert not list((tmp_path / "raw").glob(f"{TMP_PREFIX}*"))


def test_stale_staging_folders_are_invisible_and_swept(tmp_path: Path) -> None:
    lake = Lake(tmp_path)
    stale = tmp_path / "raw" / f"{TMP_PREFIX}s:a-deadbeef"
    stale.mkdir(parents=True)
    (stale / "records-00000.parquet").write_bytes(b"partial")
    assert lake.partitions("raw") == [] and not lake.has_partition("raw", "s:a")
    lake.write_partition("raw", "s:a", frames(1))
    assert not stale.exists() and lake.partitions("raw") == ["s:a"]


def test_gate_verdict_is_void_once_the_partition_is_rewritten(tmp_path: Path) -> None:
    lake = Lake(tmp_path)
    lake.write_partition("raw", "s:a", frames(1))
    lake.record_gate("raw", "s:a", {"passed": True})
    assert lake.gate_passed("raw", "s:a")
    lake.write_partition("raw", "s:a", frames(2))
    assert lake.gate_verdict("raw", "s:a") is None


def test_batch_sequence_is_allocated_once(tmp_path: Path) -> None:
    lake = Lake(tmp_path)
    assert [lake.batch_sequence(b, "s", "f") for b in ("s:a", "s:b", "s:a")] == [1, 2, 1]


def make_big_drop(home: Path, records: int) -> Path:
    registry = {"sources": [registry_entry("big", "drops", licence="MIT", languages=[])]}
    (home / "drops").mkdir(parents=True)
    (home / "sources.yaml").write_text(yaml.safe_dump(registry), encoding="utf-8")
    line = "a realistic sentence of customer text, repeated to give the record some body. " * 3
    with (home / "drops" / "big.jsonl").open("w", encoding="utf-8") as handle:
        for i in range(records):
            handle.write(json.dumps({"id": i, "text": f"{i} {line}"}) + "\n")
    os.utime(home / "drops" / "big.jsonl", (1_767_225_600, 1_767_225_600))
    return home / "sources.yaml"


def materialize_raw(home: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATA_PLATFORM_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster_home"),
    }
    command = [
        str(Path(sys.executable).parent / "dagster"),
        "asset", "materialize", "-m", "data_platform.definitions",
        "--select", "raw_records", "--partition", "big:big.jsonl",
    ]  # fmt: skip
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


@pytest.mark.integration
def test_run_killed_mid_write_leaves_no_partial_partition_and_rerun_completes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    make_big_drop(home, records=400_000)
    (home / "dagster_home").mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster_home")
    with dg.DagsterInstance.from_config(str(home / "dagster_home")) as instance:
        instance.add_dynamic_partitions("batches", ["big:big.jsonl"])
    raw = home / "lake" / "raw"
    process = materialize_raw(home)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        staged = list(raw.glob(f"{TMP_PREFIX}*/records-00001.parquet")) if raw.exists() else []
        if staged:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run finished before it could be killed; use a larger drop"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    lake = Lake(home / "lake")
    assert lake.partitions("raw") == [] and not lake.has_partition("raw", "big:big.jsonl")
    assert list(raw.glob(f"{TMP_PREFIX}*")), "the killed writer's staging folder is left behind"

    rerun = materialize_raw(home)
    _, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr.decode()[-2000:]
    assert lake.partitions("raw") == ["big:big.jsonl"]
    assert not list(raw.glob(f"{TMP_PREFIX}*"))
    stats = lake.stats("raw", "big:big.jsonl")
    assert stats["records_out"] == 400_000 and stats["quarantined"] == 0
