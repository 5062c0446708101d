import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from data_platform.cli import main
from data_platform.curation.cleaning import CleaningRules
from data_platform.curation.quality import QUALITY_PROFILES
from data_platform.curation.review import (
    SampleSizes,
    all_samples,
    draw_sample,
    export_label_studio,
    import_label_studio,
    precision_by_rule,
    review_in_terminal,
    wilson_interval,
)
from data_platform.lake.store import Lake
from data_platform.sources.readers import Drop
from data_platform.sources.registry import adhoc_source
from data_platform.tiers.cleaned import clean_partition
from data_platform.tiers.raw import ingest_drop


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    texts = [f"customer message number {i} about order {i * 13} and its delivery" for i in range(40)]
    texts += ["ok", "", "customer message number 1 about order 13 and its delivery"] * 5
    texts += ["Visit http://a.example/1 http://b.example/2 http://c.example/3 now"] * 3
    folder = tmp_path / "drops"
    folder.mkdir()
    path = folder / "b.jsonl"
    path.write_text("".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    lake = Lake(tmp_path / "lake")
    drop = Drop(adhoc_source("s", "jsonl", folder), path, "s:b.jsonl", datetime.fromtimestamp(1, UTC))
    ingest_drop(lake, drop)
    lake.record_gate("raw", drop.batch_id, {"passed": True})
    clean_partition(lake, drop.batch_id, lambda _: CleaningRules(quality=QUALITY_PROFILES["short-text"]))
    return lake


def test_each_batch_gets_a_stratified_reproducible_sample(lake: Lake) -> None:
    sample = all_samples(lake)
    counts = dict(sample.group_by("stratum").len().iter_rows())
    assert counts["kept"] == 20
    assert {"exact_duplicate", "too_short", "empty_text", "link_stuffing"} <= set(counts)
    assert all(n <= 10 for stratum, n in counts.items() if stratum != "kept")
    assert sample.filter(pl.col("stratum") == "link_stuffing")["text"].str.contains("http").all()
    again = draw_sample(lake, "s:b.jsonl")
    assert again.equals(sample)
    smaller = draw_sample(lake, "s:b.jsonl", SampleSizes(kept=3, per_reason=1))
    assert smaller.filter(pl.col("stratum") == "kept").height == 3


def test_terminal_verdicts_give_precision_with_an_interval(lake: Lake) -> None:
    answers = iter(["maybe", "y", "n", "s"] + ["y"] * 200)
    shown: list[str] = []
    recorded = review_in_terminal(lake, "ann", lambda _: next(answers), shown.append)
    assert recorded == all_samples(lake).height - 1
    assert "please answer y, n, s or q" in shown
    report = {row["rule"]: row for row in precision_by_rule(lake)}
    assert sum(row["reviewed"] for row in report.values()) == recorded
    low, high = report["kept"]["ci95"]
    assert low <= report["kept"]["precision"] <= high
    assert review_in_terminal(lake, "ann", lambda _: "q", shown.append) == 0


def test_wilson_interval_matches_the_textbook_values() -> None:
    low, high = wilson_interval(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_label_studio_export_and_import_round_trip(lake: Lake, tmp_path: Path) -> None:
    tasks_path, config = export_label_studio(lake, tmp_path / "ls", "bob")
    tasks = json.loads(tasks_path.read_text())
    assert len(tasks) == all_samples(lake).height
    assert '<Choice value="right"/>' in config.read_text()
    exported = [
        {
            "id": k,
            "data": task["data"],
            "annotations": [
                {
                    "completed_by": {"email": "bob@example.org"},
                    "was_cancelled": False,
                    "result": [
                        {
                            "from_name": "verdict",
                            "to_name": "text",
                            "type": "choices",
                            "value": {
                                "choices": ["wrong" if task["data"]["stratum"] == "too_short" else "right"]
                            },
                        }
                    ],
                }
            ],
        }
        for k, task in enumerate(tasks)
    ]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(exported))
    assert import_label_studio(lake, export) == len(tasks)
    report = {row["rule"]: row for row in precision_by_rule(lake)}
    assert report["too_short"]["precision"] == 0.0 and report["exact_duplicate"]["precision"] == 1.0


def test_review_cli_reports_and_rejects_bad_exports(lake: Lake, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATA_PLATFORM_HOME", str(lake.root.parent))
    monkeypatch.setattr("data_platform.settings.lake_root", lambda: lake.root)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"data": {}, "annotations": []}]))
    assert main(["review", "--import-label-studio", str(bad)]) == 2
    assert "[0].data.sample_id" in capsys.readouterr().err
    monkeypatch.setattr("builtins.input", lambda _: "y")
    assert main(["review", "--reviewer", "cli"]) == 0
    out = capsys.readouterr().out
    assert "verdicts recorded" in out and "kept" in out and "precision 1.000" in out
