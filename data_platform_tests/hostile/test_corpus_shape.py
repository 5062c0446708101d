"""Self-checks of the hostile corpus: its own invariants only, not the platform."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import time
from pathlib import Path

import pytest

from data_platform_tests.hostile.corpus import EXTENSIONS, Case, write_corpus

# Cases whose good rows are only recoverable by a reader that backtracks (see README).
NEEDS_RECOVERY = {"csv_unterminated_quote_eof"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case], float]:
    root = tmp_path_factory.mktemp("hostile")
    started = time.monotonic()
    cases = write_corpus(root)
    return root, cases, time.monotonic() - started


def _is_good_record(obj: object, record_kind: str) -> str | None:
    """The contract's definition of a good record, applied to an already-parsed object."""
    if not isinstance(obj, dict):
        return None
    rid = obj.get("id")
    if isinstance(rid, bool) or not isinstance(rid, str | int):
        return None
    if record_kind == "text":
        text = obj.get("text")
        return str(rid) if isinstance(text, str) and text.strip() else None
    turns = obj.get("turns")
    if (
        isinstance(turns, list)
        and turns
        and all(
            isinstance(t, dict) and isinstance(t.get("speaker"), str) and isinstance(t.get("text"), str)
            for t in turns
        )
    ):
        return str(rid)
    return None


def test_enough_distinct_kinds(corpus: tuple[Path, list[Case], float]) -> None:
    _, cases, _ = corpus
    kinds = [c.kind for c in cases]
    assert len(set(kinds)) == len(kinds)
    assert len(set(kinds)) >= 45
    for fmt in EXTENSIONS:
        assert any(c.format == fmt for c in cases), fmt
    assert any(c.record_kind == "conversation" for c in cases)


def test_every_file_exists_with_a_valid_name(corpus: tuple[Path, list[Case], float]) -> None:
    root, cases, _ = corpus
    assert len({c.source_id for c in cases}) == len(cases), "one source per case"
    for c in cases:
        assert re.fullmatch(r"[a-z0-9_]{1,40}", c.source_id), c.source_id
        assert c.format in EXTENSIONS and c.record_kind in ("text", "conversation")
        assert c.file_name.endswith(EXTENSIONS[c.format]), c.file_name
        assert c.path(root).is_file(), c.path(root)
        assert c.path(root).parent == root / c.source_id
        assert c.description and c.kind


def test_verdict_sets_are_consistent(corpus: tuple[Path, list[Case], float]) -> None:
    _, cases, _ = corpus
    for c in cases:
        assert not c.good_ids & c.maybe_ids, c.kind
        assert not c.good_ids & c.bad_ids, c.kind
        assert not c.maybe_ids & c.bad_ids, c.kind
        assert c.repeat_ids <= c.good_ids, c.kind
        assert {i for i, _ in c.expected_text} <= c.good_ids, c.kind
        assert len({i for i, _ in c.expected_text}) == len(c.expected_text), c.kind
        assert all(isinstance(i, str) for i in c.good_ids | c.maybe_ids | c.bad_ids)
        if c.whole_file_bad:
            assert not c.good_ids and not c.maybe_ids, c.kind
        if c.units is not None:
            assert c.units >= len(c.good_ids) + len(c.repeat_ids), c.kind
        if c.units == 0:
            assert not c.good_ids and not c.maybe_ids, c.kind


def test_deterministic_for_a_seed(tmp_path: Path, corpus: tuple[Path, list[Case], float]) -> None:
    root, cases, _ = corpus
    again = write_corpus(tmp_path / "again", seed=0)
    assert again == cases
    for a, b in zip(cases, again, strict=True):
        assert a.path(root).read_bytes() == b.path(tmp_path / "again").read_bytes(), a.kind
    other = write_corpus(tmp_path / "other", seed=1)
    assert [c.kind for c in other] == [c.kind for c in cases]
    assert any(
        a.path(root).read_bytes() != b.path(tmp_path / "other").read_bytes()
        for a, b in zip(cases, other, strict=True)
    )


def test_size_and_time_budget(corpus: tuple[Path, list[Case], float]) -> None:
    root, cases, seconds = corpus
    total = sum(c.path(root).stat().st_size for c in cases)
    assert total < 40 * 1024 * 1024, total
    assert seconds < 20, seconds


def test_json_lines_units_and_goods_agree_with_a_strict_reader(
    corpus: tuple[Path, list[Case], float],
) -> None:
    """Where the unit count is exact: non-blank \\n-lines (blank = only space/tab/CR) equal
    ``units``, and every good id sits on a line that strict RFC 8259 JSON reads as a good
    record; nothing listed as bad reads as good."""
    root, cases, _ = corpus
    for c in cases:
        if not c.format.startswith("jsonl") or c.units is None or c.whole_file_bad:
            continue
        data = c.path(root).read_bytes()
        if c.format == "jsonl.gz":
            data = gzip.decompress(data)
        data = data.removeprefix(b"\xef\xbb\xbf")
        lines = [line for line in data.split(b"\n") if line.strip(b" \t\r")]
        assert len(lines) == c.units, c.kind
        found: set[str] = set()
        for line in lines:
            try:
                obj = json.loads(line.decode("utf-8"), parse_constant=_refuse)
            except (ValueError, RecursionError):
                continue
            rid = _is_good_record(obj, c.record_kind)
            if rid is not None:
                found.add(rid)
        assert c.good_ids <= found, (c.kind, sorted(c.good_ids - found)[:5])
        assert not found & c.bad_ids, (c.kind, found & c.bad_ids)
        assert found <= c.good_ids | c.maybe_ids, (c.kind, sorted(found - c.good_ids)[:5])


def _refuse(name: str) -> None:
    raise ValueError(f"not JSON: {name}")


def test_csv_goods_agree_with_a_standard_reader(corpus: tuple[Path, list[Case], float]) -> None:
    """Python's csv module (field limit raised, BOM stripped, blank lines skipped) finds every
    good row with its exact text; the one case that needs a backtracking reader is checked on
    the physical lines after the broken one."""
    root, cases, _ = corpus
    csv.field_size_limit(1 << 30)
    for c in cases:
        if c.format != "csv" or c.whole_file_bad or not c.good_ids:
            continue
        text = c.path(root).read_bytes().decode("utf-8-sig", "surrogateescape")
        if c.kind in NEEDS_RECOVERY:
            lines = text.split("\n")
            text = "\n".join(line for line in lines if line.count('"') % 2 == 0)
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header, data = rows[0], [r for r in rows[1:] if any(f.strip() for f in r)]
        if c.units is not None:
            assert len(data) + (c.kind in NEEDS_RECOVERY) == c.units, c.kind
        records = {}
        for r in data:
            rec = dict(zip(header, r, strict=False))
            key = "text" if c.record_kind == "text" else "turns"
            if rec.get("id") and rec.get(key):
                records.setdefault(rec["id"], rec[key])
        assert c.good_ids <= set(records), (c.kind, sorted(c.good_ids - set(records))[:5])
        for rid, expected in c.expected_text:
            assert records[rid] == expected, (c.kind, rid)


def test_parquet_row_counts_and_corruption(corpus: tuple[Path, list[Case], float]) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    root, cases, _ = corpus
    for c in cases:
        if c.format != "parquet":
            continue
        path = c.path(root)
        if c.whole_file_bad:
            with pytest.raises(Exception):  # noqa: B017 - any reader error is the point
                pq.ParquetFile(path)
            continue
        meta = pq.ParquetFile(path).metadata
        if c.units is not None:
            assert meta.num_rows == c.units, c.kind
        if c.kind.startswith("parquet_corrupt_page"):
            f = pq.ParquetFile(path)
            assert meta.num_row_groups == 3
            readable = []
            for g in range(3):
                try:
                    ids = f.read_row_group(g, columns=["id", "text"]).column("id").to_pylist()
                except Exception:  # noqa: BLE001
                    readable.append(None)
                else:
                    readable.append(set(ids))
            assert readable[1] is None
            assert readable[0] is not None and readable[2] is not None
            assert readable[0] | readable[2] == c.good_ids
            # the ids of the damaged group are still in an intact column: units can be named
            assert set(f.read_row_group(1, columns=["id"]).column("id").to_pylist()) == c.bad_ids
