"""Readers for source drops (jsonl, jsonl.gz, csv, parquet) onto the canonical record schema.

A drop is read in bounded chunks; each chunk yields accepted records and rejected rows. A bad
line never stops the drop: it becomes a quarantine row naming the file, line and field, and the
lines before and after it are kept. Faults that end a file early (truncated gzip) are recorded the
same way, after everything read up to that point.

JSON lines take a column-wise fast path: a block of lines is parsed by Arrow's JSON reader with
the mapped fields' types fixed, and checked with whole-column tests. A block that fails any test
is read again line by line, which finds and names each fault. Both paths produce the same
columns, and ids and hashes are computed column-wise for both, so the result never depends on
which path a line took.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from data_platform.curation.hashing import sha256_column
from data_platform.sources.registry import FieldMap, Source
from data_platform.sources.schema import QUARANTINE_SCHEMA, RAW_SCHEMA, TURN

DEFAULT_CHUNK_ROWS = 50_000
FAST_BLOCK_LINES = 10_000
MAPPED_SCHEMA: dict[str, pl.DataType] = {
    "key": pl.String(),
    "text": pl.String(),
    "turns": pl.List(TURN),
    "lang": pl.String(),
    "origin_line": pl.Int64(),
    "origin_byte": pl.Int64(),
    "meta": pl.String(),
}
REJECT_SCHEMA: dict[str, pl.DataType] = {
    "record_id": pl.String(),
    "reason": pl.String(),
    "detail": pl.String(),
    "field": pl.String(),
    "origin_line": pl.Int64(),
}


@dataclass(frozen=True)
class Drop:
    """One file delivered by a source: the unit of a batch partition."""

    source: Source
    path: Path
    batch_id: str
    ingested_at: datetime


@dataclass
class ReadStats:
    """Counters of one read: records_in == accepted + rejected always holds."""

    records_in: int = 0
    accepted: int = 0
    rejected: int = 0
    blank_lines: int = 0
    bytes_read: int = 0


@dataclass(frozen=True)
class Chunk:
    records: pl.DataFrame
    rejects: pl.DataFrame


class RowRejected(Exception):
    """A single input row cannot become a canonical record."""

    def __init__(self, reason: str, field_name: str | None, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.field_name, self.detail = reason, field_name, detail


def record_id_for(source_id: str, key: str) -> str:
    """sha256 of source id and key, 32 hex digits. ``record_ids`` is the column-wise twin."""
    return hashlib.sha256(f"{source_id}\x1f{key}".encode()).hexdigest()[:32]


def record_ids(source_id: str, keys: pl.Series) -> pl.Series:
    prefixed = pl.select(pl.lit(f"{source_id}\x1f") + keys).to_series()
    return sha256_column(prefixed).str.slice(0, 32)


def turns_digest_input() -> pl.Expr:
    """Canonical text of a conversation for hashing: speaker US text, turns joined by RS."""
    return (
        pl.col("turns")
        .list.eval(
            pl.concat_str(
                pl.element().struct.field("speaker"), pl.element().struct.field("text"), separator="\x1f"
            )
        )
        .list.join("\x1e")
    )


class _ChunkBuilder:
    """Maps input rows onto canonical columns and collects rejects, one chunk at a time."""

    def __init__(self, drop: Drop, stats: ReadStats) -> None:
        self.drop, self.stats, self.fields = drop, stats, drop.source.fields
        self.file_name = drop.path.name
        self._seen_keys = np.empty(0, dtype=np.uint64)
        self._arrow_schema = _arrow_schema(drop.source)
        self._reset()

    def _reset(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.blocks: list[pl.DataFrame] = []
        self.rejects: list[dict[str, Any]] = []
        self.pending = 0

    def __len__(self) -> int:
        return self.pending

    # Line by line -----------------------------------------------------------------------
    def add(self, row: Any, line: int, byte: int | None, meta: str | None = None) -> None:
        """Map one input row; ``row`` may be a callable that decodes it (and may reject it).
        ``meta`` is the record as delivered (the JSON line); by default the row as JSON."""
        self.stats.records_in += 1
        self.pending += 1
        try:
            decoded = row() if callable(row) else row
            self.rows.append(self._mapped(decoded, line, byte, meta))
            self.stats.accepted += 1
        except RowRejected as rejected:
            self.reject(rejected.reason, rejected.field_name, rejected.detail, line)

    def reject(self, reason: str, field_name: str | None, detail: str, line: int | None) -> None:
        self.stats.rejected += 1
        self.rejects.append(
            {
                "record_id": record_id_for(self.drop.source.id, f"{self.file_name}:{line}:{reason}"),
                "reason": reason,
                "detail": f"{self.drop.path}: line {line}: {detail}",
                "field": field_name,
                "origin_line": line,
            }
        )

    def reject_oversize(self, line: int, limit: int) -> None:
        self.stats.records_in += 1
        self.pending += 1
        self.reject("record_too_large", None, f"line exceeds {limit} bytes", line)

    def reject_file(self, reason: str, detail: str, line: int | None) -> None:
        """A fault of the file itself (empty, truncated) counts as one input unit."""
        self.stats.records_in += 1
        self.pending += 1
        self.reject(reason, None, detail, line)

    def _mapped(self, row: Any, line: int, byte: int | None, meta: str | None) -> dict[str, Any]:
        if not isinstance(row, dict):
            raise RowRejected("not_an_object", None, f"expected an object, got {type(row).__name__}")
        fields = self.fields
        key = f"{self.file_name}:{line}"
        if fields.id is not None:
            key = str(_scalar(row, fields.id, required=True, types=(str, int)))
        text = turns = None
        if self.drop.source.kind == "text":
            text = _scalar(row, fields.text, required=True, types=(str,))
        else:
            turns = _turns(row.get(fields.turns), fields.turns, fields.speaker, fields.turn_text)
        return {
            "key": key,
            "text": text,
            "turns": turns,
            "lang": _scalar(row, fields.lang, required=False, types=(str,)) if fields.lang else None,
            "origin_line": line,
            "origin_byte": byte,
            "meta": meta
            if meta is not None
            else json.dumps(row, sort_keys=True, ensure_ascii=False, default=str),
        }

    # Column-wise ------------------------------------------------------------------------
    def add_json_block(self, lines: list[bytes], numbers: list[int], offsets: list[int]) -> None:
        """Parse a block of non-blank JSON lines at once; fall back to line by line if needed."""
        frame = self._parse_block(lines, numbers, offsets)
        if frame is None:
            for raw, number, offset in zip(lines, numbers, offsets, strict=True):
                self.add(lambda raw=raw: _decode_json_line(raw), number, offset, _delivered(raw))
            return
        self.blocks.append(frame)
        self.pending += frame.height
        self.stats.records_in += frame.height
        self.stats.accepted += frame.height

    def _parse_block(self, lines: list[bytes], numbers: list[int], offsets: list[int]) -> pl.DataFrame | None:
        payload = b"".join(line if line.endswith(b"\n") else line + b"\n" for line in lines)
        options = pa_json.ParseOptions(explicit_schema=self._arrow_schema, unexpected_field_behavior="infer")
        read = pa_json.ReadOptions(use_threads=True, block_size=max(1 << 20, max(map(len, lines)) + 1))
        try:
            # Arrow does not reject invalid UTF-8 inside strings; the line-by-line path names it.
            payload.decode("utf-8")
            table = pa_json.read_json(io.BytesIO(payload), parse_options=options, read_options=read)
        except (pa.ArrowInvalid, UnicodeDecodeError):
            return None
        if table.num_rows != len(lines) or not _block_is_clean(table, self.drop.source):
            return None
        fields = self.fields
        mapped = [
            name for name in (fields.id, fields.text, fields.turns, fields.lang) if name in table.column_names
        ]
        frame = pl.from_arrow(table.select(mapped))
        assert isinstance(frame, pl.DataFrame)
        key = (
            pl.col(fields.id).cast(pl.String)
            if fields.id is not None
            else pl.format("{}:{}", pl.lit(self.file_name), pl.col("origin_line"))
        )
        meta = pl.Series(lines, dtype=pl.Binary).cast(pl.String).str.strip_chars_end()
        return frame.with_columns(
            origin_line=pl.Series(numbers, dtype=pl.Int64),
            origin_byte=pl.Series(offsets, dtype=pl.Int64),
            meta=meta,
        ).select(
            key=key,
            text=pl.col(fields.text) if self.drop.source.kind == "text" else pl.lit(None, pl.String),
            turns=pl.col(fields.turns).cast(pl.List(TURN))
            if self.drop.source.kind == "conversation"
            else pl.lit(None, pl.List(TURN)),
            lang=pl.col(fields.lang) if fields.lang else pl.lit(None, pl.String),
            origin_line="origin_line",
            origin_byte="origin_byte",
            meta="meta",
        )

    # Output -----------------------------------------------------------------------------
    def flush(self) -> Chunk:
        mapped = pl.concat([pl.DataFrame(self.rows, schema=MAPPED_SCHEMA), *self.blocks]).sort("origin_line")
        records = self._records_frame(mapped)
        rejects = pl.DataFrame(self.rejects, schema=REJECT_SCHEMA)
        records, rejects = self._reject_repeated_keys(records, rejects)
        self._reset()
        return Chunk(records=records, rejects=_quarantine_frame(rejects.sort("origin_line"), self.drop))

    def _records_frame(self, mapped: pl.DataFrame) -> pl.DataFrame:
        drop, source = self.drop, self.drop.source
        default_lang = source.languages[0] if len(source.languages) == 1 else None
        digest_input = mapped.select(pl.coalesce(pl.col("text"), turns_digest_input()))
        return mapped.with_columns(
            record_id=record_ids(source.id, mapped["key"]),
            content_sha256=sha256_column(digest_input.to_series()),
            source_id=pl.lit(source.id),
            batch_id=pl.lit(drop.batch_id),
            kind=pl.lit(source.kind),
            lang=pl.col("lang").fill_null(pl.lit(default_lang, pl.String)),
            licence=pl.lit(source.licence),
            consent=pl.lit(source.consent),
            origin_file=pl.lit(str(drop.path)),
            ingested_at=pl.lit(drop.ingested_at, RAW_SCHEMA["ingested_at"]),
        ).select(list(RAW_SCHEMA))

    def _reject_repeated_keys(
        self, records: pl.DataFrame, rejects: pl.DataFrame
    ) -> tuple[pl.DataFrame, pl.DataFrame]:
        """A key delivered twice in one drop keeps its first row; later ones are quarantined.

        Seen keys are kept as sorted 64-bit prefixes of the record id (8 bytes per record), so
        memory stays flat however large the drop grows.
        """
        if self.fields.id is None or records.height == 0:
            return records, rejects
        prefixes = np.frombuffer(
            bytes.fromhex("".join(records["record_id"].str.slice(0, 16).to_list())), dtype=">u8"
        ).astype(np.uint64)
        _, first = np.unique(prefixes, return_index=True)
        repeated = np.ones(len(prefixes), dtype=bool)
        repeated[first] = False
        if len(self._seen_keys):
            position = np.searchsorted(self._seen_keys, prefixes)
            position[position == len(self._seen_keys)] = 0
            repeated |= self._seen_keys[position] == prefixes
        # Merge the new keys into the sorted array; a stable sort of integers is a radix sort,
        # linear in the keys seen so far.
        self._seen_keys = np.sort(np.concatenate([self._seen_keys, prefixes[~repeated]]), kind="stable")
        if not repeated.any():
            return records, rejects
        mask = pl.Series(repeated)
        dupes = records.filter(mask)
        self.stats.accepted -= dupes.height
        self.stats.rejected += dupes.height
        extra = dupes.select(
            "record_id",
            reason=pl.lit("duplicate_key"),
            detail=pl.format(
                "{}: line {}: key already delivered earlier in this drop",
                pl.lit(str(self.drop.path)),
                pl.col("origin_line"),
            ),
            field=pl.lit(self.fields.id),
            origin_line="origin_line",
        )
        return records.filter(~mask), pl.concat([rejects, extra])


def _arrow_schema(source: Source) -> pa.Schema:
    """Types Arrow must find for the mapped fields; anything else fails the block."""
    fields: FieldMap = source.fields
    columns = []
    if fields.id is not None:
        columns.append((fields.id, None))
    if source.kind == "text":
        columns.append((fields.text, pa.string()))
    else:
        turn = pa.struct([(fields.speaker, pa.string()), (fields.turn_text, pa.string())])
        columns.append((fields.turns, pa.list_(turn)))
    if fields.lang:
        columns.append((fields.lang, pa.string()))
    # The id's type is inferred: both strings and integers are valid keys.
    return pa.schema([(name, kind) for name, kind in columns if kind is not None])


def _block_is_clean(table: pa.Table, source: Source) -> bool:
    """Every test a line-by-line read would apply, as whole-column checks."""
    fields = source.fields
    names = set(table.column_names)
    if fields.id is not None:
        if fields.id not in names or table[fields.id].null_count:
            return False
        if not (pa.types.is_int64(table[fields.id].type) or pa.types.is_string(table[fields.id].type)):
            return False
    if source.kind == "text":
        return fields.text in names and table[fields.text].null_count == 0
    turns = table[fields.turns]
    if turns.null_count or fields.turns not in names:
        return False
    items = pa.chunked_array([chunk.flatten() for chunk in turns.chunks], type=turns.type.value_type)
    if items.null_count:
        return False
    children = [
        pa.chunked_array([c.field(name) for c in items.chunks]) for name in (fields.speaker, fields.turn_text)
    ]
    return list(turns.type.value_type.names) == [fields.speaker, fields.turn_text] and not any(
        child.null_count for child in children
    )


def _quarantine_frame(rejects: pl.DataFrame, drop: Drop) -> pl.DataFrame:
    return rejects.with_columns(
        related_id=pl.lit(None, pl.String),
        tier=pl.lit("raw"),
        batch_id=pl.lit(drop.batch_id),
        source_id=pl.lit(drop.source.id),
        origin_file=pl.lit(str(drop.path)),
    ).select(list(QUARANTINE_SCHEMA))


def _scalar(row: dict[str, Any], name: str, *, required: bool, types: tuple[type, ...]) -> Any:
    value = row.get(name)
    if value is None:
        if required:
            raise RowRejected("missing_field", name, f"required field {name!r} is missing or null")
        return None
    if isinstance(value, bool) or not isinstance(value, types):
        wanted = " or ".join(t.__name__ for t in types)
        raise RowRejected("wrong_type", name, f"field {name!r} must be {wanted}, got {type(value).__name__}")
    if isinstance(value, str) and _has_surrogates(value):
        raise RowRejected("invalid_utf8", name, f"field {name!r} is not valid UTF-8")
    return value


def _turns(value: Any, name: str, speaker_key: str, text_key: str) -> list[dict[str, str]]:
    if value is None:
        raise RowRejected("missing_field", name, f"required field {name!r} is missing or null")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise RowRejected("wrong_type", name, f"field {name!r} holds invalid JSON: {exc}") from exc
    if not isinstance(value, list):
        raise RowRejected("wrong_type", name, f"field {name!r} must be a list of turns")
    turns = []
    for index, turn in enumerate(value):
        where = f"{name}[{index}]"
        if not isinstance(turn, dict):
            raise RowRejected("wrong_type", where, f"{where} must be an object")
        speaker = _scalar(turn, speaker_key, required=True, types=(str,))
        text = _scalar(turn, text_key, required=True, types=(str,))
        turns.append({"speaker": speaker, "text": text})
    return turns


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_drop(drop: Drop, stats: ReadStats, *, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> Iterator[Chunk]:
    """Yield the drop as chunks of at most ``chunk_rows`` input rows; ``stats`` fills as it goes."""
    builder = _ChunkBuilder(drop, stats)
    rows = {
        "jsonl": _json_lines,
        "jsonl.gz": _json_lines,
        "csv": _csv_rows,
        "parquet": _parquet_rows,
    }[drop.source.format](drop, builder, chunk_rows)
    for _ in rows:
        if len(builder) >= chunk_rows:
            yield builder.flush()
    if stats.records_in == 0:
        builder.reject_file("empty_file", "the file holds no records", None)
    if len(builder):
        yield builder.flush()


def _open_binary(drop: Drop) -> BinaryIO:
    handle = drop.path.open("rb")
    if drop.source.format == "jsonl.gz":
        return gzip.GzipFile(fileobj=handle, mode="rb")  # type: ignore[return-value]
    return handle


READ_BYTES = 8 << 20


@dataclass
class _LineCursor:
    """Where the line splitter is in the decompressed stream."""

    line_no: int = 0
    offset: int = 0


def _json_lines(drop: Drop, builder: _ChunkBuilder, chunk_rows: int) -> Iterator[None]:
    """Split the stream into lines a buffer at a time and hand blocks of non-blank lines to the
    column-wise parser. A line longer than ``max_record_bytes`` is skipped as it streams by,
    never held in memory whole."""
    limit = drop.source.max_record_bytes
    block_size = max(1, min(FAST_BLOCK_LINES, chunk_rows))
    cursor = _LineCursor()
    pending: list[tuple[bytes, int, int]] = []
    carry, skipping = b"", False

    def hand_over(everything: bool) -> Iterator[None]:
        while len(pending) >= block_size or (everything and pending):
            block, pending[:] = pending[:block_size], pending[block_size:]
            lines, numbers, offsets = (list(column) for column in zip(*block, strict=True))
            builder.add_json_block(lines, numbers, offsets)
            yield

    with _open_binary(drop) as handle:
        while True:
            try:
                # read1: one decompression step at a time, so a truncated gzip loses nothing
                # that was decompressed before the cut.
                data = handle.read1(READ_BYTES)
            except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
                yield from hand_over(everything=True)
                builder.reject_file(
                    "truncated_file",
                    f"file ends early or is corrupt after {cursor.line_no} lines: {exc}",
                    cursor.line_no + 1,
                )
                yield
                return
            builder.stats.bytes_read += len(data)
            if not data:
                break
            if skipping:
                cut = data.find(b"\n")
                if cut < 0:
                    cursor.offset += len(data)
                    continue
                cursor.offset += cut + 1
                data, skipping = data[cut + 1 :], False
            parts = (carry + data if carry else data).split(b"\n")
            carry = parts.pop()
            _take_lines(parts, cursor, limit, builder, pending)
            if len(carry) > limit:
                cursor.line_no += 1
                builder.reject_oversize(cursor.line_no, limit)
                cursor.offset += len(carry)
                carry, skipping = b"", True
            yield from hand_over(everything=False)
    if carry:
        _take_lines([carry], cursor, limit, builder, pending)
    yield from hand_over(everything=True)


def _take_lines(
    parts: list[bytes],
    cursor: _LineCursor,
    limit: int,
    builder: _ChunkBuilder,
    pending: list[tuple[bytes, int, int]],
) -> None:
    """Number and place complete lines; queue the non-blank ones, reject oversize ones."""
    if not parts:
        return
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    starts = cursor.offset + np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    first = cursor.line_no + 1
    cursor.line_no += len(parts)
    cursor.offset += int(lengths.sum()) + len(parts)
    # Whitespace-only lines are short in practice: only those are looked at one by one.
    blank = lengths == 0
    for index in np.flatnonzero((lengths > 0) & (lengths <= 16)):
        blank[index] = parts[index].isspace()
    builder.stats.blank_lines += int(blank.sum())
    for index in np.flatnonzero(lengths > limit):
        builder.reject_oversize(first + int(index), limit)
    keep = np.flatnonzero(~blank & (lengths <= limit))
    pending.extend(zip([parts[i] for i in keep], (keep + first).tolist(), starts[keep].tolist(), strict=True))


def _delivered(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8").rstrip()
    except UnicodeDecodeError:
        return None


def _decode_json_line(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RowRejected("invalid_utf8", None, f"invalid UTF-8 at byte {exc.start}") from exc
    except json.JSONDecodeError as exc:
        raise RowRejected("invalid_json", None, f"invalid JSON: {exc.msg} (column {exc.colno})") from exc


def _csv_rows(drop: Drop, builder: _ChunkBuilder, chunk_rows: int) -> Iterator[None]:
    csv.field_size_limit(drop.source.max_record_bytes)
    with drop.path.open("rb") as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8", errors="surrogateescape", newline="")
        reader = csv.reader(text)
        header: list[str] | None = None
        while True:
            line = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                builder.stats.records_in += 1
                builder.pending += 1
                builder.reject("malformed_row", None, f"CSV error: {exc}", line)
                yield
                continue
            if header is None:
                header = values
                continue
            if not any(values):
                builder.stats.blank_lines += 1
            elif len(values) != len(header):
                builder.stats.records_in += 1
                builder.pending += 1
                builder.reject(
                    "malformed_row", None, f"{len(values)} columns where the header has {len(header)}", line
                )
            else:
                builder.add(dict(zip(header, values, strict=True)), line, None)
            builder.stats.bytes_read = binary.tell()
            yield


def _parquet_rows(drop: Drop, builder: _ChunkBuilder, chunk_rows: int) -> Iterator[None]:
    try:
        parquet = pq.ParquetFile(drop.path)
    except Exception as exc:  # pyarrow raises several types for unreadable files
        builder.reject_file("corrupt_file", f"not a readable Parquet file: {exc}", None)
        return
    row = 0
    for batch in parquet.iter_batches(batch_size=chunk_rows):
        for item in batch.to_pylist():
            row += 1
            builder.add(item, row, None)
            yield
    builder.stats.bytes_read = drop.path.stat().st_size
