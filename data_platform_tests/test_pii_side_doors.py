"""PII that arrives through side doors (speakers, unmapped fields and keys, a language column,
the drop's file name) never reaches a tier past raw, a release, a gate's examples or the run's
event log."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest
import yaml
from dagster._serdes import serialize_value

from data_platform.definitions import build_definitions
from data_platform.defs.ingest.sensors import drop_sensor
from data_platform.defs.resources import resources_for
from data_platform_tests.conftest import registry_entry

pytestmark = pytest.mark.slow

SECRETS = (
    "jane.doe@example.com",
    "+44 20 7946 0958",
    "bob.smith@example.org",
    "alice@example.net",
    "carol@example.com",
)


def conversation(i: int) -> dict:
    return {
        "id": f"c{i}",
        "turns": [
            {
                "speaker": "jane.doe@example.com",
                "text": f"My parcel number {i} has not arrived yet, can you check?",
            },
            {"speaker": "+44 20 7946 0958", "text": f"Sorry about that, I will look into order {i} for you."},
        ],
        "customer": {"email": "bob.smith@example.org", "tier": "gold"},
        "alice@example.net": "a key that is an address",
    }


def land(home: Path) -> Path:
    calls, sheet = home / "drops/calls", home / "drops/sheet"
    calls.mkdir(parents=True)
    sheet.mkdir(parents=True)
    body = "".join(json.dumps(conversation(i)) + "\n" for i in range(12))
    (calls / "calls_from_carol@example.com.jsonl").write_text(body, encoding="utf-8")
    rows = "".join(f"s{i},A question about my invoice number {i} please,en\n" for i in range(12))
    (sheet / "export.csv").write_text(
        "id,text,lang\n" + rows + "s99,One more question here,dave@example.com\n"
    )
    sources = [
        registry_entry("calls", "drops/calls", kind="conversation", quality="off"),
        registry_entry(
            "sheet", "drops/sheet", format="csv", fields={"id": "id", "lang": "lang"}, quality="off"
        ),
    ]
    registry = home / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    return registry


def strings_under(folder: Path) -> str:
    """Every file under ``folder`` as text (Parquet files read whole), to search for values."""
    import polars as pl

    texts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".parquet":
            texts.append(pl.read_parquet(path).write_ndjson())
        else:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(texts)


def test_side_door_pii_stops_at_the_raw_tier(tmp_path: Path) -> None:
    registry = land(tmp_path)
    lake = tmp_path / "lake"
    defs = build_definitions(resources_for(lake, registry))
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance, definitions=defs, resources=defs.resources)
        requests = drop_sensor(context).run_requests
        keys = [r.partition_key for r in requests]
        assert "carol" not in " ".join(keys)
        instance.add_dynamic_partitions("batches", keys)
        for key in keys:
            defs.resolve_job_def("ingest_job").execute_in_process(
                instance=instance, partition_key=key, raise_on_error=False
            )
        instance.add_dynamic_partitions("releases", ["v1"])
        release = defs.resolve_job_def("release_job").execute_in_process(
            instance=instance, partition_key="v1"
        )
        assert release.success
        logs = "\n".join(
            serialize_value(record) for run in instance.get_runs() for record in instance.all_logs(run.run_id)
        )
    sheet = next(k for k in keys if k.startswith("sheet"))
    assert (lake / "_gates/raw" / f"{sheet}.json").exists()
    assert not json.loads((lake / "_gates/raw" / f"{sheet}.json").read_text())["passed"], "dave's row fails"
    for tier in ("cleaned", "annotated", "releases", "_gates"):
        found = strings_under(lake / tier)
        assert not [s for s in SECRETS if s in found], tier
    assert "dave@example.com" not in strings_under(lake / "_gates")
    assert not [s for s in (*SECRETS, "dave@example.com") if s in logs], "event log"
    assert "[EMAIL_ADDRESS]" in strings_under(lake / "releases"), "the speakers are there, redacted"
