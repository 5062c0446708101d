"""Property-based tests of the readers: whatever bytes arrive, reading never raises, every
input unit is kept or quarantined (units in = kept + quarantined), and a good record is never
lost because of a bad neighbour."""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_platform.sources.readers import Drop, ReadStats, read_drop
from data_platform.sources.registry import Source, adhoc_source

LANDED = datetime(2026, 1, 1, tzinfo=UTC)
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Text a person could write: any Unicode scalar value (no lone surrogates), newlines included.
texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


def hostile_json_line() -> st.SearchStrategy[bytes]:
    """Lines that are not good records: garbage bytes, wrong shapes, and values over the limits."""
    over_limits = st.sampled_from(
        [
            b'{"id": ' + b"7" * 5000 + b', "text": "x"}',
            b'{"id": "d", "text": "t", "m": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            b'{"id": "d", "text": ' + b"{" * 3000 + b"}" * 3000 + b"}",
            b'{"id": "d", "text": "\\ud800"}',
            b'{"id": true, "text": "x"}',
            b'{"text": "no id"}',
            b"[1, 2, 3]",
            b'"just a string"',
            b"NaN",
        ]
    )
    garbage = st.binary(min_size=1, max_size=200).map(lambda b: b.replace(b"\n", b" ").replace(b"\r", b" "))
    return (over_limits | garbage).filter(lambda line: line.strip() and not _is_good_json(line))


def _is_good_json(line: bytes) -> bool:
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(value, dict)


def read_all(source: Source, path: Path) -> tuple[pl.DataFrame, pl.DataFrame, ReadStats]:
    stats = ReadStats()
    drop = Drop(source=source, path=path, batch_id=f"{source.id}:{path.name}", ingested_at=LANDED)
    chunks = list(read_drop(drop, stats, chunk_rows=7))
    records = pl.concat([c.records for c in chunks])
    rejects = pl.concat([c.rejects for c in chunks])
    assert stats.records_in == records.height + rejects.height == stats.accepted + stats.rejected
    return records, rejects, stats


def kept_ids(records: pl.DataFrame) -> list[str]:
    return [json.loads(meta)["id"] for meta in records["meta"]]


@st.composite
def json_lines_drop(draw: st.DrawFn) -> tuple[bytes, list[str], int]:
    """A drop mixing good records, hostile lines and blank lines; its good ids and its units."""
    body, good, units = [], [], 0
    for position in range(draw(st.integers(1, 25))):
        choice = draw(st.sampled_from(["good", "good", "hostile", "blank"]))
        if choice == "good":
            record = {"id": f"g{position}", "text": draw(texts), "extra": draw(json_values)}
            body.append(json.dumps(record, ensure_ascii=draw(st.booleans())).encode())
            good.append(record["id"])
        elif choice == "hostile":
            body.append(draw(hostile_json_line()))
        else:
            body.append(draw(st.sampled_from([b"", b" ", b"\t", b" " * 40, b" " * 3000, b"\r"])))
        units += choice != "blank"
    end = draw(st.sampled_from([b"\n", b"\r\n"]))
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return bom + end.join(body) + draw(st.sampled_from([b"", end])), good, units


@PROPERTY_SETTINGS
@given(drop=json_lines_drop())
def test_json_lines_keep_every_good_record_and_account_for_every_line(tmp_path: Path, drop) -> None:
    data, good, units = drop
    path = tmp_path / "drop.jsonl"
    path.write_bytes(data)
    records, rejects, _ = read_all(adhoc_source("s", "jsonl", tmp_path), path)
    assert kept_ids(records) == good
    # A drop of blank lines only is one quarantine entry (empty_file).
    assert records.height + rejects.height == max(units, 1)


@PROPERTY_SETTINGS
@given(drop=json_lines_drop(), cut=st.floats(0.0, 1.0))
def test_a_damaged_gzip_never_raises_and_keeps_a_prefix(tmp_path: Path, drop, cut: float) -> None:
    data, good, _ = drop
    packed = gzip.compress(data)
    path = tmp_path / "drop.jsonl.gz"
    path.write_bytes(packed[: int(len(packed) * cut)])
    records, _, _ = read_all(adhoc_source("s", "jsonl.gz", tmp_path), path)
    assert kept_ids(records) == good[: records.height]


@st.composite
def csv_drop(draw: st.DrawFn) -> tuple[bytes, list[str], int]:
    """A csv drop of good rows (any text, quoted as csv writers do) and quote-free bad rows."""
    out = io.StringIO()
    # RFC 4180 writers quote a field holding CR or LF; Python's own writer quotes only the
    # characters of its line terminator, so a "\n" file is written with every field quoted.
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    quoting = csv.QUOTE_ALL if ending == "\n" else csv.QUOTE_MINIMAL
    writer = csv.writer(out, lineterminator=ending, quoting=quoting)
    writer.writerow(["id", "text", "note"])
    good, units = [], 0
    for position in range(draw(st.integers(1, 20))):
        choice = draw(st.sampled_from(["good", "good", "short", "long"]))
        if choice == "good":
            writer.writerow([f"g{position}", draw(texts), draw(texts)])
            good.append(f"g{position}")
        elif choice == "short":
            writer.writerow([f"b{position}"])
        else:
            writer.writerow([f"b{position}", "x", "y", "z"])
        units += 1
    return draw(st.sampled_from([b"", b"\xef\xbb\xbf"])) + out.getvalue().encode(), good, units


@PROPERTY_SETTINGS
@given(drop=csv_drop())
def test_csv_keeps_every_good_row_and_accounts_for_every_row(tmp_path: Path, drop) -> None:
    data, good, units = drop
    path = tmp_path / "drop.csv"
    path.write_bytes(data)
    records, rejects, _ = read_all(adhoc_source("s", "csv", tmp_path), path)
    assert kept_ids(records) == good
    assert records.height + rejects.height == units


@PROPERTY_SETTINGS
@given(rows=st.lists(texts, min_size=1, max_size=20), garbage=st.binary(min_size=1, max_size=400))
def test_csv_with_any_garbage_never_raises_and_accounts_for_itself(tmp_path: Path, rows, garbage) -> None:
    """Any bytes in the middle of a csv (stray quotes, invalid UTF-8, NULs): no exception, the
    rows before the garbage are kept, and units in = kept + quarantined."""
    out = io.StringIO()
    good = [[f"g{i}", text] for i, text in enumerate(rows)]
    csv.writer(out, lineterminator="\r\n").writerows([["id", "text"], *good])
    path = tmp_path / "drop.csv"
    path.write_bytes(out.getvalue().encode() + garbage + b"\nlast,row\n")
    records, _, _ = read_all(adhoc_source("s", "csv", tmp_path), path)
    assert kept_ids(records)[: len(rows)] == [f"g{i}" for i in range(len(rows))]


@PROPERTY_SETTINGS
@given(flips=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), min_size=1, max_size=40))
def test_a_corrupted_parquet_file_never_raises(tmp_path: Path, flips) -> None:
    table = pa.table({"id": [f"p{i}" for i in range(300)], "text": [f"text {i} " * 4 for i in range(300)]})
    buffer = io.BytesIO()
    pq.write_table(table, buffer, row_group_size=50, compression="none")
    data = bytearray(buffer.getvalue())
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    path = tmp_path / "drop.parquet"
    path.write_bytes(bytes(data))
    records, rejects, _ = read_all(adhoc_source("s", "parquet", tmp_path), path)
    units = records.height + rejects.height
    assert units in (1, 300), "one entry for an unreadable file, else a unit per row"
