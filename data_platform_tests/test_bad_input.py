"""Bad drops through real Dagster runs: clear quarantine rows, nothing accepted lost, and the
sensor keeps finding new drops afterwards."""

import gzip
import json
import os
import time
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
import yaml

from data_platform.definitions import build_definitions
from data_platform.defs.ingest.sensors import drop_sensor
from data_platform.defs.resources import resources_for
from data_platform.lake.releases import read_manifest
from data_platform.lake.store import Lake
from data_platform_tests.conftest import registry_entry

pytestmark = pytest.mark.slow


def source(source_id: str, fmt: str) -> dict:
    return registry_entry(source_id, f"drops/{source_id}", format=fmt)


def lines(rows: list[dict]) -> bytes:
    return ("\n".join(json.dumps(r) for r in rows) + "\n").encode()


def good(drop: str, count: int = 40) -> list[dict]:
    return [{"id": f"g{i}", "text": f"an ordinary support message {i} in {drop}"} for i in range(count)]


def land_bad_drops(home: Path) -> None:
    drops = home / "drops"
    for name in ("gz", "js", "tab"):
        (drops / name).mkdir(parents=True)
    full = gzip.compress(lines(good("gz") + [{"id": f"t{i}", "text": "tail " * 40} for i in range(400)]))
    (drops / "gz" / "truncated.jsonl.gz").write_bytes(full[: len(full) // 2])
    (drops / "js" / "utf8.jsonl").write_bytes(lines(good("utf8", 20)) + b'{"id": "bad", "text": "caf\xe9"}\n')
    big = json.dumps({"id": "huge", "text": "x" * 9_000_000}).encode()
    huge = good("huge")
    (drops / "js" / "huge-line.jsonl").write_bytes(lines(huge[:20]) + big + b"\n" + lines(huge[20:]))
    wrong = [{"id": "w1", "text": 42}, {"id": "w2", "text": ["list"]}, {"id": "w3"}]
    (drops / "js" / "types.jsonl").write_bytes(lines(good("types", 30) + wrong))
    (drops / "js" / "empty.jsonl").write_bytes(b"")
    rows = "".join(f'{r["id"]},"{r["text"]}\nwith a second line"\n' for r in good("csv"))
    (drops / "tab" / "multiline.csv").write_text("id,text\n" + rows, encoding="utf-8")
    registry = {"sources": [source("gz", "jsonl.gz"), source("js", "jsonl"), source("tab", "csv")]}
    (home / "sources.yaml").write_text(yaml.safe_dump(registry), encoding="utf-8")


def test_bad_drops_are_quarantined_and_the_sensor_keeps_working(tmp_path: Path) -> None:
    land_bad_drops(tmp_path)
    defs = build_definitions(resources_for(tmp_path / "lake", tmp_path / "sources.yaml"))
    lake = Lake(tmp_path / "lake")
    with dg.instance_for_test() as instance:

        def tick() -> list[str]:
            context = dg.build_sensor_context(instance=instance, definitions=defs, resources=defs.resources)
            result = drop_sensor(context)
            keys = [r.partition_key for r in result.run_requests]
            instance.add_dynamic_partitions("batches", keys)
            for key in keys:
                defs.resolve_job_def("ingest_job").execute_in_process(
                    instance=instance, partition_key=key, raise_on_error=False
                )
            return keys

        batches = tick()
        assert len(batches) == 6
        reasons = {
            b: sorted(set(lake.scan_quarantine("raw", b).collect()["reason"])) for b in lake.partitions("raw")
        }
        assert reasons == {
            "gz:truncated.jsonl.gz": ["truncated_file"],
            "js:empty.jsonl": ["empty_file"],
            "js:huge-line.jsonl": ["record_too_large"],
            "js:types.jsonl": ["missing_field", "wrong_type"],
            "js:utf8.jsonl": ["invalid_utf8"],
            "tab:multiline.csv": [],
        }
        assert lake.stats("raw", "js:huge-line.jsonl")["records_out"] == 40
        assert lake.stats("raw", "js:types.jsonl")["records_out"] == 30
        csv_texts = lake.scan_records("raw", "tab:multiline.csv").collect()["text"]
        assert csv_texts.str.ends_with("\nwith a second line").all() and csv_texts.len() == 40
        truncated = lake.stats("raw", "gz:truncated.jsonl.gz")
        assert truncated["records_out"] >= 40 and truncated["records_in"] == truncated["records_out"] + 1
        # Every good record that was accepted reached the cleaned tier of a promoted batch.
        assert lake.stats("cleaned", "js:types.jsonl")["records_out"] == 30
        # An empty drop is all quarantine: its gate holds it back, and the later tiers say why.
        assert not lake.gate_passed("raw", "js:empty.jsonl")
        assert not lake.has_partition("cleaned", "js:empty.jsonl")
        for asset in ("cleaned_records", "annotated_records"):
            seen = instance.fetch_observations(
                dg.AssetRecordsFilter(asset_key=dg.AssetKey(asset), asset_partitions=["js:empty.jsonl"]),
                limit=5,
            ).records
            [observation] = [r.asset_observation for r in seen]
            assert observation.metadata["stopped_by"].value == "raw_gate"
            assert "raw gate stopped batch js:empty.jsonl" in observation.description

        from data_platform.defs.released.sensors import release_sensor

        context = dg.build_sensor_context(instance=instance, definitions=defs, resources=defs.resources)
        release = release_sensor(context)
        assert [r.partition_key for r in release.run_requests] == ["v1"]
        instance.add_dynamic_partitions("releases", ["v1"])
        assert (
            defs.resolve_job_def("release_job")
            .execute_in_process(instance=instance, partition_key="v1")
            .success
        )
        excluded = read_manifest(lake, "v1")["excluded_batches"]
        assert excluded["js:empty.jsonl"].startswith("raw gate failed"), "a batch stopped at raw is named"

        late = tmp_path / "drops" / "js" / "late.jsonl"
        late.write_bytes(lines(good("late", 5)))
        os.utime(late, (time.time() - 10, time.time() - 10))
        assert tick() == ["js:late.jsonl"]
        records = pl.read_parquet(lake.record_files("raw", "js:late.jsonl"))
        assert records.height == 5
