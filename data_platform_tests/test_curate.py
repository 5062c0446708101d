import json
from pathlib import Path

import polars as pl
import pytest

from data_platform.cli import main

LONG = (
    "our team has reviewed the request for a refund on the damaged parcel and agreed to send a "
    "replacement together with a voucher for the next order, which should arrive within five days"
)


def records() -> list[dict]:
    rows = [
        {"id": f"doc-{i}", "text": f"an ordinary distinct message number {i} about topic {i * 7}"}
        for i in range(50)
    ]
    rows += [
        {"id": "orig", "text": LONG, "tag": "keep me"},
        {"id": "exact", "text": "  " + LONG.replace(" ", "  ")},
        {"id": "near", "text": LONG.replace("five", "six")},
        {"id": "empty", "text": " "},
        {"id": "short", "text": "ok"},
    ]
    return rows


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_curate_writes_kept_quarantined_and_summary(tmp_path: Path, suffix: str, capsys) -> None:
    source = tmp_path / f"input{suffix}"
    if suffix == ".jsonl":
        source.write_text("".join(json.dumps(r) + "\n" for r in records()) + "{not json\n", encoding="utf-8")
    else:
        pl.DataFrame(records()).write_parquet(source)
    assert (
        main(["curate", str(source), str(tmp_path / "out"), "--no-progress", "--quality", "short-text"]) == 0
    )
    kept = read_lines(tmp_path / "out" / "kept.jsonl")
    removed = read_lines(tmp_path / "out" / "quarantined.jsonl")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    reasons = {r.get("id", f"line {r.get('origin_line')}"): r["reason"] for r in removed}
    expected = {
        "exact": "exact_duplicate",
        "near": "near_duplicate",
        "empty": "empty_text",
        "short": "too_short",
    }
    if suffix == ".jsonl":
        expected["line 56"] = "invalid_json"
    assert reasons == expected
    assert all("duplicate" in reasons[k] for k in ("exact", "near"))
    kept_by_id = {r["id"]: r for r in kept}
    assert len(kept_by_id) == 51 and kept_by_id["orig"]["tag"] == "keep me", "input fields are kept"
    assert kept_by_id["orig"]["cluster_id"] == "orig" and kept_by_id["doc-3"]["cluster_id"] is None
    assert {r["cluster_id"] for r in removed if r.get("id") in ("exact", "near")} == {"orig"}
    assert (
        summary["records_in"]
        == summary["kept"] + summary["quarantined"]
        == len(records()) + (suffix == ".jsonl")
    )
    assert summary["duplicate_clusters"] == 1
    assert json.loads(capsys.readouterr().out)["kept"] == 51


def test_curate_rejects_unknown_formats(tmp_path: Path, capsys) -> None:
    source = tmp_path / "input.txt"
    source.write_text("hello")
    assert main(["curate", str(source), str(tmp_path / "out"), "--no-progress"]) == 2
    assert "expected a .jsonl" in capsys.readouterr().err


def test_curate_applies_document_quality_rules_by_default(tmp_path: Path) -> None:
    prose = (
        "The ship left the harbour at dawn, and the crew watched the coast fade behind them. "
        "By noon the wind had turned, and the captain ordered the sails to be trimmed. Nobody "
        "spoke of the storm that the fishermen had promised, but every sailor looked to the west. "
        "When the first drops fell, the cook was still singing below deck. The night that followed "
        "was the longest any of them could remember, and the morning brought no land in sight."
    )
    rows = [
        {"id": "good", "text": prose},
        {"id": "lorem", "text": prose + " Lorem ipsum dolor sit amet, consectetur adipiscing elit."},
        {"id": "menu", "text": "Home\nAbout\nContact\nShop\nLogin"},
    ]
    source = tmp_path / "docs.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert main(["curate", str(source), str(tmp_path / "out"), "--no-progress"]) == 0
    removed = {r["id"]: r for r in read_lines(tmp_path / "out" / "quarantined.jsonl")}
    assert [r["id"] for r in read_lines(tmp_path / "out" / "kept.jsonl")] == ["good"]
    assert removed["lorem"]["reason"] == "c4_lorem_ipsum"
    assert removed["menu"]["reason"] == "gopher_short_doc"
    assert removed["menu"]["detail"] == "words 5 < 50"
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["rules"]["quality"]["gopher_quality"]["min_doc_words"] == 50
