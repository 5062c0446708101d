"""The real daemon: its sensor tick finds drops, its run launcher runs each batch in its own
process (multiprocess executor, concurrency pools), and new drops keep being picked up."""

import json
import shutil
import time
from pathlib import Path

import pytest
import yaml

from data_platform.lake.store import Lake
from data_platform_tests.conftest import PROJECT_ROOT, dagster_dev, registry_entry

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def land(home: Path, name: str, topic: str) -> None:
    rows = [
        {"id": f"{name}-{i}", "text": f"customer question {i} about {topic}, please help"} for i in range(30)
    ]
    path = home / "drops" / name
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def wait_for(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(2)


def test_daemon_ingests_drops_end_to_end(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "drops").mkdir(parents=True)
    (home / "dagster_home").mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster_home")
    source = registry_entry("chat", "drops")
    (home / "sources.yaml").write_text(yaml.safe_dump({"sources": [source]}), encoding="utf-8")
    land(home, "a.jsonl", "billing")
    land(home, "b.jsonl", "delivery")
    lake = Lake(home / "lake")

    def gated(batch: str) -> bool:
        return lake.gate_passed("annotated", batch)

    with dagster_dev(home):
        wait_for(lambda: gated("chat:a.jsonl") and gated("chat:b.jsonl"), 300, "both batches")
        land(home, "c.jsonl", "refunds")
        wait_for(lambda: gated("chat:c.jsonl"), 300, "the late batch")
    for batch in ("chat:a.jsonl", "chat:b.jsonl", "chat:c.jsonl"):
        assert lake.stats("annotated", batch)["records_out"] == 30
    sequences = lake.batch_sequences()
    assert sorted(sequences.values()) == [1, 2, 3]
