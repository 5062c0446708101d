"""GX suites judging stored partitions (real ephemeral GX contexts, no mocks)."""

from pathlib import Path

import polars as pl
import pytest

from data_platform.lake.store import QUARANTINE_SCHEMA, Lake
from data_platform.quality.suites import judge_partition
from data_platform.sources.schema import RAW_SCHEMA
from data_platform_tests.conftest import canonical_row


def raw_rows(count: int, **changes: object) -> list[dict]:
    governed = {"source_id": "test_source", "licence": "CC-BY-4.0", "consent": "public-dataset"}
    rows = [
        canonical_row(
            "test_source:a.jsonl", i, f"text {i}", record_id=f"{i:032x}", content_sha256="a" * 64, **governed
        )
        for i in range(count)
    ]
    for index, change in changes.items():
        rows[int(index.removeprefix("row"))].update(change)  # type: ignore[arg-type]
    return rows


def write_raw(lake: Lake, rows: list[dict], records_in: int, parts: int = 2) -> None:
    frame = pl.DataFrame(rows, schema=RAW_SCHEMA)
    size = -(-frame.height // parts)
    chunks = [
        (frame.slice(i, size), pl.DataFrame(schema=QUARANTINE_SCHEMA)) for i in range(0, frame.height, size)
    ]
    lake.write_partition("raw", "test_source:a.jsonl", chunks, {"records_in": records_in})


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(tmp_path / "lake")


def test_clean_partition_passes_every_suite(lake: Lake, source_factory) -> None:
    write_raw(lake, raw_rows(10), records_in=10)
    result = judge_partition(lake, "raw", "test_source:a.jsonl", source_factory())
    assert result.passed and not result.failed
    assert {o.suite for o in result.outcomes} == {"raw_rows", "raw_ids", "raw_conservation"}


def test_failures_across_parts_are_merged_with_counts_and_record_ids(lake: Lake, source_factory) -> None:
    rows = raw_rows(
        10,
        row1={"kind": "image"},
        row8={"kind": "video", "lang": "de"},
        row9={"record_id": f"{0:032x}"},
    )
    write_raw(lake, rows, records_in=10, parts=2)
    result = judge_partition(lake, "raw", "test_source:a.jsonl", source_factory())
    failed = {o.label: o for o in result.failed}
    assert set(failed) == {
        "raw_rows.expect_column_values_to_be_in_set(kind)",
        "raw_rows.expect_column_values_to_be_in_set(lang)",
        "raw_ids.expect_column_values_to_be_unique(record_id)",
    }
    kind = failed["raw_rows.expect_column_values_to_be_in_set(kind)"]
    assert (kind.unexpected_count, kind.element_count) == (2, 10)
    assert {e["record_id"] for e in kind.examples} == {f"{1:032x}", f"{8:032x}"}
    assert failed["raw_ids.expect_column_values_to_be_unique(record_id)"].unexpected_count == 2


def test_conservation_and_quarantine_rate_are_judged_from_the_files(lake: Lake, source_factory) -> None:
    write_raw(lake, raw_rows(4), records_in=9)
    result = judge_partition(lake, "raw", "test_source:a.jsonl", source_factory(max_quarantine_rate=0.5))
    [failed] = result.failed
    assert (
        failed.suite == "raw_conservation" and failed.expectation == "expect_column_pair_values_to_be_equal"
    )
    assert failed.examples == [{"records_in": 9, "records_accounted": 4, "quarantine_rate": 0.0}]


def test_a_quarantine_reason_the_tier_does_not_define_stops_promotion(lake: Lake, source_factory) -> None:
    rows = raw_rows(4)
    quarantined = pl.DataFrame(
        [
            {"record_id": "q1", "tier": "raw", "reason": "invalid_json", "batch_id": "test_source:a.jsonl"},
            {"record_id": "q2", "tier": "raw", "reason": "invalid_jsn", "batch_id": "test_source:a.jsonl"},
        ],
        schema=QUARANTINE_SCHEMA,
    )
    frame = pl.DataFrame(rows, schema=RAW_SCHEMA)
    lake.write_partition("raw", "test_source:a.jsonl", [(frame, quarantined)], {"records_in": 6})
    result = judge_partition(lake, "raw", "test_source:a.jsonl", source_factory(max_quarantine_rate=0.5))
    [failed] = result.failed
    assert failed.label == "raw_quarantine.expect_column_values_to_be_in_set(reason)"
    assert [e["record_id"] for e in failed.examples] == ["q2"]


def test_each_row_check_reads_its_own_column(lake: Lake, source_factory) -> None:
    """The gate reads only the columns its expectations judge: each still catches its fault."""
    rows = raw_rows(6, row0={"content_sha256": "not-hex"}, row2={"origin_line": 0}, row3={"consent": None})
    write_raw(lake, rows, records_in=6)
    result = judge_partition(lake, "raw", "test_source:a.jsonl", source_factory())
    assert {o.label: o.unexpected_count for o in result.failed} == {
        "raw_rows.expect_column_values_to_match_regex(content_sha256)": 1,
        "raw_rows.expect_column_values_to_be_between(origin_line)": 1,
        "raw_rows.expect_column_values_to_not_be_null(consent)": 1,
    }


def test_a_column_no_tier_defines_fails_the_column_set(lake: Lake, source_factory) -> None:
    frame = pl.DataFrame(raw_rows(3), schema=RAW_SCHEMA).with_columns(surprise=pl.lit("x"))
    lake.write_partition(
        "raw", "test_source:a.jsonl", [(frame, pl.DataFrame(schema=QUARANTINE_SCHEMA))], {"records_in": 3}
    )
    result = judge_partition(lake, "raw", "test_source:a.jsonl", source_factory())
    assert [o.label for o in result.failed] == ["raw_rows.expect_table_columns_to_match_set"]
