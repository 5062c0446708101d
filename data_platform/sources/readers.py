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

import codecs
import csv
import gzip
import hashlib
import io
import json
import os
import re
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from data_platform.errors import describe_error
from data_platform.lake.store import QUARANTINE_SCHEMA
from data_platform.sources.limits import FIELD_TOO_LARGE, REASONS, JsonLimits, measure_lines, violation
from data_platform.sources.registry import FieldMap, Source
from data_platform.sources.schema import RAW_SCHEMA, TURN
from data_platform.text.hashing import sha256_column

# Why the raw tier quarantines a line, row, row group or file; the JSON limits add theirs
# (sources/limits.py REASONS). tiers/schema.py collects every tier's codes.
UNREADABLE_ROW = "unreadable_row"
UNREADABLE_ROW_GROUP = "unreadable_row_group"
UNREADABLE_FILE = "unreadable_file"
NOT_AN_OBJECT = "not_an_object"
MISSING_FIELD = "missing_field"
DUPLICATE_KEY = "duplicate_key"
WRONG_TYPE = "wrong_type"
INVALID_UTF8 = "invalid_utf8"
EMPTY_FILE = "empty_file"
TRUNCATED_FILE = "truncated_file"
RECORD_TOO_LARGE = "record_too_large"
INVALID_JSON = "invalid_json"
MALFORMED_ROW = "malformed_row"
MALFORMED_HEADER = "malformed_header"
CORRUPT_FILE = "corrupt_file"
READER_REASONS = (
    UNREADABLE_ROW,
    UNREADABLE_ROW_GROUP,
    UNREADABLE_FILE,
    NOT_AN_OBJECT,
    MISSING_FIELD,
    DUPLICATE_KEY,
    WRONG_TYPE,
    INVALID_UTF8,
    EMPTY_FILE,
    TRUNCATED_FILE,
    RECORD_TOO_LARGE,
    INVALID_JSON,
    MALFORMED_ROW,
    MALFORMED_HEADER,
    CORRUPT_FILE,
)
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
    # A file name holding personal data is not repeated anywhere: the batch key's hashed name
    # stands for it in provenance (origin_file), quarantine details and stats.
    name_withheld: bool = False

    @property
    def shown_path(self) -> Path:
        """The file as the lake names it: its path, or its folder and hashed name if withheld."""
        return self.path.parent / self.batch_id.partition(":")[2] if self.name_withheld else self.path


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
        self._id_types: deque[pa.DataType | None] = deque(
            [pa.string(), pa.int64()] if self.fields.id is not None else [None]
        )
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
        except Exception as exc:  # whatever else breaks one unit must not take its neighbours along
            self.reject(UNREADABLE_ROW, None, describe_error(exc), line)

    def reject(self, reason: str, field_name: str | None, detail: str, line: int | None) -> None:
        self.stats.rejected += 1
        self.rejects.append(
            {
                "record_id": record_id_for(self.drop.source.id, f"{self.file_name}:{line}:{reason}"),
                "reason": reason,
                "detail": f"{self.drop.shown_path}: line {line}: {detail}",
                "field": field_name,
                "origin_line": line,
            }
        )

    def reject_unit(self, reason: str, detail: str, line: int | None, field_name: str | None = None) -> None:
        """One input unit that never reached the mapping (over a limit, unparseable), or a fault
        of the file itself (empty, truncated), counted in and quarantined."""
        self.stats.records_in += 1
        self.pending += 1
        self.reject(reason, field_name, detail, line)

    def _mapped(self, row: Any, line: int, byte: int | None, meta: str | None) -> dict[str, Any]:
        if not isinstance(row, dict):
            raise RowRejected(NOT_AN_OBJECT, None, f"expected an object, got {type(row).__name__}")
        fields = self.fields
        key = f"{self.file_name}:{line}"
        if fields.id is not None:
            key = str(_scalar(row, fields.id, required=True, types=(str, int)))
            if not key.strip():
                raise RowRejected(MISSING_FIELD, fields.id, f"required field {fields.id!r} is empty")
        text = turns = None
        if self.drop.source.kind == "text":
            text = _scalar(row, fields.text, required=True, types=(str,))
        else:
            turns = _turns(row.get(fields.turns), fields, self.drop.source.json_limits)
        return {
            "key": key,
            "text": text,
            "turns": turns,
            "lang": _scalar(row, fields.lang, required=False, types=(str,)) if fields.lang else None,
            "origin_line": line,
            "origin_byte": byte,
            "meta": meta if meta is not None else _row_as_json(row),
        }

    # Column-wise ------------------------------------------------------------------------
    def add_json_block(self, lines: list[bytes], numbers: list[int], offsets: list[int]) -> None:
        """Parse a block of non-blank JSON lines at once; fall back to line by line if needed.
        Lines over the source's limits are quarantined first: no parser ever sees them."""
        payload, lines, numbers, offsets = self._within_limits(lines, numbers, offsets)
        if not lines:
            return
        try:
            frame = self._parse_block(payload, lines, numbers, offsets)
        except Exception:  # noqa: BLE001 - the line-by-line path names whatever is wrong
            frame = None
        if frame is None:
            for raw, number, offset in zip(lines, numbers, offsets, strict=True):
                self.add(lambda raw=raw: _decode_json_line(raw), number, offset, _delivered(raw))
            return
        self.blocks.append(frame)
        self.pending += frame.height
        self.stats.records_in += frame.height
        self.stats.accepted += frame.height

    def _within_limits(
        self, lines: list[bytes], numbers: list[int], offsets: list[int]
    ) -> tuple[bytes, list[bytes], list[int], list[int]]:
        """The block as one newline-separated payload, without the lines over a limit."""
        limits = self.drop.source.json_limits
        payload = b"\n".join(lines) + b"\n"
        lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
        ends = np.cumsum(lengths + 1) - 1
        codes, measured = measure_lines(payload, ends - lengths, ends, limits)
        broken = np.flatnonzero(codes)
        if not len(broken):
            return payload, lines, numbers, offsets
        for index in broken:
            code = int(codes[index])
            self.reject_unit(REASONS[code], limits.describe(code, int(measured[index])), numbers[index])
        keep = np.flatnonzero(codes == 0)
        lines = [lines[i] for i in keep]
        return b"\n".join(lines) + b"\n", lines, [numbers[i] for i in keep], [offsets[i] for i in keep]

    def _parse_block(
        self, payload: bytes, lines: list[bytes], numbers: list[int], offsets: list[int]
    ) -> pl.DataFrame | None:
        try:
            # Arrow does not reject invalid UTF-8 inside strings; the line-by-line path names it.
            payload.decode("utf-8")
        except UnicodeDecodeError:
            return None
        read = pa_json.ReadOptions(use_threads=True, block_size=max(1 << 20, max(map(len, lines)) + 1))
        # Ids may be strings or integers: the type that parsed the last block is tried first.
        table = None
        for _ in range(len(self._id_types)):
            options = pa_json.ParseOptions(
                explicit_schema=_arrow_schema(self.drop.source, self._id_types[0]),
                unexpected_field_behavior="ignore",
            )
            try:
                table = pa_json.read_json(io.BytesIO(payload), parse_options=options, read_options=read)
                break
            except Exception:  # noqa: BLE001 - any refusal sends the block down the line-by-line path
                self._id_types.rotate(-1)
        if table is None:
            return None
        if table.num_rows != len(lines) or not _block_is_clean(table, self.drop.source):
            return None
        return self._mapped_block(table, lines, numbers, offsets)

    def _mapped_block(
        self, table: pa.Table, lines: list[bytes], numbers: list[int], offsets: list[int]
    ) -> pl.DataFrame:
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
        records, rejects = self._reject_untraced_synthetic(records, rejects)
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
            origin_file=pl.lit(str(drop.shown_path)),
            ingested_at=pl.lit(drop.ingested_at, RAW_SCHEMA["ingested_at"]),
            synthetic=pl.lit(source.synthetic),
            synthetic_origin=pl.col("meta").str.json_path_match("$.synthetic")
            if source.synthetic
            else pl.lit(None, pl.String),
        ).select(list(RAW_SCHEMA))

    def _reject_untraced_synthetic(
        self, records: pl.DataFrame, rejects: pl.DataFrame
    ) -> tuple[pl.DataFrame, pl.DataFrame]:
        """A synthetic source's record must say what made it: ``synthetic`` an object naming the
        generator and its parent records (a list), or the record is quarantined."""
        if not self.drop.source.synthetic or records.height == 0:
            return records, rejects
        origin = pl.col("synthetic_origin")
        untraced = records.select(
            (
                origin.str.json_path_match("$.generator").is_null()
                | ~origin.str.json_path_match("$.parents").str.starts_with("[").fill_null(False)
            ).alias("untraced")
        )["untraced"]
        if not untraced.any():
            return records, rejects
        why = "a synthetic record needs 'synthetic' naming its 'generator' and 'parents'"
        return self._move_to_rejects(records, rejects, untraced, MISSING_FIELD, why, "synthetic")

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
        why = "key already delivered earlier in this drop"
        return self._move_to_rejects(
            records, rejects, pl.Series(repeated), DUPLICATE_KEY, why, self.fields.id
        )

    def _move_to_rejects(
        self, records: pl.DataFrame, rejects: pl.DataFrame, mask: pl.Series, reason: str, why: str, field: str
    ) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Records where ``mask`` is true leave the accepted ones for the rejects, with the file,
        their line and ``why``; the read's counts follow."""
        moved = records.filter(mask)
        self.stats.accepted -= moved.height
        self.stats.rejected += moved.height
        extra = moved.select(
            "record_id",
            reason=pl.lit(reason),
            detail=pl.format(
                "{}: line {}: {}", pl.lit(str(self.drop.shown_path)), pl.col("origin_line"), pl.lit(why)
            ),
            field=pl.lit(field),
            origin_line="origin_line",
        )
        return records.filter(~mask), pl.concat([rejects, extra])


def _arrow_schema(source: Source, id_type: pa.DataType | None) -> pa.Schema:
    """Types Arrow must find for the mapped fields; anything else fails the block. Unmapped
    fields are skipped by the parser: they are kept as delivered in ``meta``."""
    fields: FieldMap = source.fields
    columns: list[tuple[str, pa.DataType]] = []
    if fields.id is not None and id_type is not None:
        columns.append((fields.id, id_type))
    if source.kind == "text":
        columns.append((fields.text, pa.string()))
    else:
        turn = pa.struct([(fields.speaker, pa.string()), (fields.turn_text, pa.string())])
        columns.append((fields.turns, pa.list_(turn)))
    if fields.lang:
        columns.append((fields.lang, pa.string()))
    return pa.schema(columns)


def _block_is_clean(table: pa.Table, source: Source) -> bool:
    """Every test a line-by-line read would apply, as whole-column checks."""
    fields = source.fields
    names = set(table.column_names)
    if fields.id is not None:
        if fields.id not in names or table[fields.id].null_count:
            return False
        if pa.types.is_string(table[fields.id].type):
            if pc.any(pc.equal(pc.utf8_trim_whitespace(table[fields.id]), "")).as_py():
                return False
        elif not pa.types.is_int64(table[fields.id].type):
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
        origin_file=pl.lit(str(drop.shown_path)),
    ).select(list(QUARANTINE_SCHEMA))


def _scalar(row: dict[str, Any], name: str, *, required: bool, types: tuple[type, ...]) -> Any:
    value = row.get(name)
    if value is None:
        if required:
            raise RowRejected(MISSING_FIELD, name, f"required field {name!r} is missing or null")
        return None
    if isinstance(value, bool) or not isinstance(value, types):
        wanted = " or ".join(t.__name__ for t in types)
        raise RowRejected(WRONG_TYPE, name, f"field {name!r} must be {wanted}, got {type(value).__name__}")
    if isinstance(value, str) and _has_surrogates(value):
        raise RowRejected(INVALID_UTF8, name, f"field {name!r} is not valid UTF-8")
    return value


def _turns(value: Any, fields: FieldMap, limits: JsonLimits) -> list[dict[str, str]]:
    name, speaker_key, text_key = fields.turns, fields.speaker, fields.turn_text
    if value is None:
        raise RowRejected(MISSING_FIELD, name, f"required field {name!r} is missing or null")
    if isinstance(value, str):
        # Turns delivered as a JSON string (a csv column): the limits apply before parsing.
        if broken := violation(value.encode("utf-8", "surrogateescape"), limits):
            raise RowRejected(broken[0], name, f"field {name!r}: {broken[1]}")
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise RowRejected(WRONG_TYPE, name, f"field {name!r} holds invalid JSON: {exc}") from exc
    if not isinstance(value, list):
        raise RowRejected(WRONG_TYPE, name, f"field {name!r} must be a list of turns")
    turns = []
    for index, turn in enumerate(value):
        where = f"{name}[{index}]"
        if not isinstance(turn, dict):
            raise RowRejected(WRONG_TYPE, where, f"{where} must be an object")
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


def _row_as_json(row: dict[Any, Any]) -> str:
    """A csv or Parquet row as delivered, as JSON; a value that cannot be stored as UTF-8 (an
    undecodable byte in any column or in the header) rejects the row, naming the column."""
    meta = json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)
    if _has_surrogates(meta):
        bad = next(
            (
                str(name)
                for name, value in row.items()
                if _has_surrogates(str(name)) or _has_surrogates(str(value))
            ),
            None,
        )
        raise RowRejected(INVALID_UTF8, _printable(bad), f"column {_printable(bad)!r} is not valid UTF-8")
    return meta


def _printable(name: str | None) -> str | None:
    return None if name is None else name.encode("utf-8", "backslashreplace").decode("utf-8")


def read_drop(drop: Drop, stats: ReadStats, *, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> Iterator[Chunk]:
    """Yield the drop as chunks of at most ``chunk_rows`` input rows; ``stats`` fills as it goes.

    Whatever a reader meets, the drop never fails as a whole: a failure the format's reader did
    not foresee ends the read with one ``unreadable_file`` quarantine entry after everything read
    before it, and a file that cannot be opened at all is one such entry.
    """
    builder = _ChunkBuilder(drop, stats)
    readers = {"jsonl": _json_lines, "jsonl.gz": _json_lines, "csv": _csv_rows, "parquet": _parquet_rows}
    rows = readers[drop.source.format](drop, builder, chunk_rows)
    while True:
        try:
            next(rows)
        except StopIteration:
            break
        except Exception as exc:  # noqa: BLE001 - the file's fault, recorded; the accepted rows stay
            units = stats.records_in
            builder.reject_unit(
                UNREADABLE_FILE, f"reading stopped after {units} units: {describe_error(exc)}", None
            )
            break
        if len(builder) >= chunk_rows:
            yield builder.flush()
    if stats.records_in == 0:
        builder.reject_unit(EMPTY_FILE, "the file holds no records", None)
    if len(builder):
        yield builder.flush()


def open_drop_file(path: Path) -> io.BufferedReader:
    """Open a drop without following a symlink put in its place after it was listed: a drop
    folder may only deliver its own files."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    return os.fdopen(descriptor, "rb")


def _open_binary(drop: Drop) -> io.BufferedIOBase:
    """The drop's bytes, decompressed for jsonl.gz; both kinds of handle have ``read1``."""
    handle = open_drop_file(drop.path)
    if drop.source.format == "jsonl.gz":
        return gzip.GzipFile(fileobj=handle, mode="rb")
    return handle


# Byte-order marks: UTF-8's is dropped; UTF-16 and UTF-32 files (Excel's "Unicode text", some
# Windows tools) are transcoded to UTF-8 as they stream. UTF-32 first: its LE mark starts with
# UTF-16's.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def sniff_encoding(head: bytes) -> str:
    """The codec a file's first bytes ask for (by its byte-order mark); UTF-8 without one."""
    return next((codec for mark, codec in BYTE_ORDER_MARKS if head.startswith(mark)), "utf-8")


class _Utf8Stream:
    """The stream's bytes as UTF-8: a UTF-8 byte-order mark skipped (``skipped`` bytes), a
    UTF-16/32 file transcoded (its offsets then count UTF-8 bytes)."""

    def __init__(self) -> None:
        self.skipped = 0
        self._decoder: codecs.IncrementalDecoder | None = None
        self._first = True

    def __call__(self, data: bytes, final: bool = False) -> bytes:
        if self._first and data:
            self._first = False
            codec = sniff_encoding(data)
            if codec == "utf-8-sig":
                self.skipped = len(codecs.BOM_UTF8)
                return data[self.skipped :]
            if codec != "utf-8":
                self._decoder = codecs.getincrementaldecoder(codec)()
        if self._decoder is None:
            return data
        return self._decoder.decode(data, final).encode("utf-8", "surrogateescape")


READ_BYTES = 8 << 20
# A carriage return not followed by a line feed ends a line too (classic Mac OS line ends): valid
# JSON never holds a raw CR inside a string, so this cannot split a record.
LONE_CR = re.compile(rb"\r(?!\n)")


@dataclass
class _LineCursor:
    """Where the line splitter is in the decompressed stream."""

    line_no: int = 0
    offset: int = 0


def _json_lines(drop: Drop, builder: _ChunkBuilder, chunk_rows: int) -> Iterator[None]:
    """Split the stream into lines a buffer at a time and hand blocks of non-blank lines to the
    column-wise parser. A line longer than ``max_record_bytes`` is skipped as it streams by,
    never held in memory whole (unless it is only whitespace, which is a blank line)."""
    limit = drop.source.max_record_bytes
    block_size = max(1, min(FAST_BLOCK_LINES, chunk_rows))
    cursor = _LineCursor()
    pending = _PendingLines()
    carry, skipping, skipped_blank = b"", False, True
    as_utf8 = _Utf8Stream()

    def hand_over(everything: bool) -> Iterator[None]:
        start = 0
        while len(pending.lines) - start >= block_size or (everything and start < len(pending.lines)):
            end = start + block_size
            builder.add_json_block(
                pending.lines[start:end], pending.numbers[start:end], pending.offsets[start:end]
            )
            start = min(end, len(pending.lines))
            yield
        pending.drop_first(start)

    with _open_binary(drop) as handle:
        while True:
            try:
                # read1: one decompression step at a time, so a truncated gzip loses nothing
                # that was decompressed before the cut.
                raw = handle.read1(READ_BYTES)
                data = as_utf8(raw, final=not raw)
            except (EOFError, gzip.BadGzipFile, zlib.error, OSError, UnicodeDecodeError) as exc:
                yield from hand_over(everything=True)
                builder.reject_unit(
                    TRUNCATED_FILE,
                    f"file ends early or is corrupt after {cursor.line_no} lines: {describe_error(exc)}",
                    cursor.line_no + 1,
                )
                yield
                return
            builder.stats.bytes_read += len(raw)
            if not cursor.offset and not cursor.line_no:
                cursor.offset = as_utf8.skipped  # a UTF-8 byte-order mark is not part of line 1
            if not raw:
                break
            if skipping:
                cut = _line_end(data)
                if cut < 0:
                    skipped_blank = skipped_blank and data.isspace()
                    cursor.offset += len(data)
                    continue
                skipped_blank = skipped_blank and (cut == 0 or data[:cut].isspace())
                _end_oversize_line(builder, cursor, limit, skipped_blank)
                cursor.offset += cut + 1
                data, skipping = data[cut + 1 :], False
            joined = _lone_cr_as_newline(carry + data if carry else data)
            parts = joined.split(b"\n")
            carry = parts.pop()
            _take_lines(joined, parts, cursor, limit, builder, pending)
            if len(carry) > limit:
                cursor.offset += len(carry)
                carry, skipping, skipped_blank = b"", True, carry.isspace()
            yield from hand_over(everything=False)
    if skipping:
        _end_oversize_line(builder, cursor, limit, skipped_blank)
    if carry:
        _take_lines(carry, [carry], cursor, limit, builder, pending)
    yield from hand_over(everything=True)


def _line_end(data: bytes) -> int:
    """Where the first line of ``data`` ends (LF, or a CR not followed by LF), or -1."""
    newline = data.find(b"\n")
    match = LONE_CR.search(data, 0, len(data) - 1 if data.endswith(b"\r") else len(data))
    ends = [end for end in (newline, match.start() if match else -1) if end >= 0]
    return min(ends) if ends else -1


def _end_oversize_line(builder: _ChunkBuilder, cursor: _LineCursor, limit: int, blank: bool) -> None:
    cursor.line_no += 1
    if blank:
        builder.stats.blank_lines += 1
    else:
        builder.reject_unit(RECORD_TOO_LARGE, f"line exceeds {limit} bytes", cursor.line_no)


def _lone_cr_as_newline(data: bytes) -> bytes:
    """Lone CRs become LFs (same length: offsets hold); a CR ending the buffer waits for the next
    one, which may start with the LF that completes it."""
    if b"\r" not in data:
        return data
    body, tail = (data[:-1], b"\r") if data.endswith(b"\r") else (data, b"")
    return LONE_CR.sub(b"\n", body) + tail


@dataclass
class _PendingLines:
    """Complete non-blank lines waiting for the block parser, with their numbers and offsets."""

    lines: list[bytes] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)

    def drop_first(self, count: int) -> None:
        del self.lines[:count], self.numbers[:count], self.offsets[:count]


# Bytes that may start a whitespace-only line: space, tab, CR, vertical tab, form feed.
_SPACE_BYTES = np.array([32, 9, 13, 11, 12], dtype=np.uint8)


def _take_lines(
    joined: bytes,
    parts: list[bytes],
    cursor: _LineCursor,
    limit: int,
    builder: _ChunkBuilder,
    pending: _PendingLines,
) -> None:
    """Number and place the complete lines ``parts`` (split from ``joined`` at LFs); queue the
    non-blank ones, reject oversize ones. A whitespace-only line of any length is blank."""
    if not parts:
        return
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    local = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    first = cursor.line_no + 1
    starts = cursor.offset + local
    cursor.line_no += len(parts)
    cursor.offset += int(lengths.sum()) + len(parts)
    # Only a line whose first byte is whitespace can be blank: those few are looked at whole.
    blank = lengths == 0
    first_bytes = np.frombuffer(joined, dtype=np.uint8)[local[~blank]]
    for index in np.flatnonzero(~blank)[np.isin(first_bytes, _SPACE_BYTES)]:
        blank[index] = parts[index].isspace()
    builder.stats.blank_lines += int(blank.sum())
    for index in np.flatnonzero(~blank & (lengths > limit)):
        builder.reject_unit(RECORD_TOO_LARGE, f"line exceeds {limit} bytes", first + int(index))
    keep = np.flatnonzero(~blank & (lengths <= limit))
    pending.lines.extend([parts[i] for i in keep])
    pending.numbers.extend((keep + first).tolist())
    pending.offsets.extend(starts[keep].tolist())


def _delivered(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8").rstrip()
    except UnicodeDecodeError:
        return None


def _decode_json_line(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RowRejected(INVALID_UTF8, None, f"invalid UTF-8 at byte {exc.start}") from exc
    except json.JSONDecodeError as exc:
        raise RowRejected(INVALID_JSON, None, f"invalid JSON: {exc.msg} (column {exc.colno})") from exc


class _PhysicalLines:
    """A csv file's physical lines, numbered, with push-back: a row that swallowed the lines after
    it through an unterminated quote gives them back, to be read again as rows of their own."""

    def __init__(self, text: TextIO) -> None:
        self.text = text
        self.returned: deque[tuple[int, str]] = deque()
        self.taken: list[tuple[int, str]] = []
        self.number = 0
        # Where the line after a row's first line starts, to read again from there.
        self.after_first: tuple[int, int] | None = None

    def __iter__(self) -> _PhysicalLines:
        return self

    def __next__(self) -> str:
        if self.returned:
            numbered = self.returned.popleft()
        else:
            line = self.text.readline()
            if not line:
                raise StopIteration
            self.number += 1
            numbered = (self.number, line)
            if not self.taken:
                self.after_first = (self.number, self.text.tell())
        self.taken.append(numbered)
        return numbered[1]

    def start_row(self) -> None:
        self.taken = []
        self.after_first = None

    def give_back_all_but_first(self) -> None:
        self.returned.extendleft(reversed(self.taken[1:]))

    def skip_open_quote(self) -> int | None:
        """After a field outgrew the size limit inside quotes: read on to the line where its
        quote closes and return that line's number. If the file ends first, the quote was never
        closed: go back to the line after the row's first and return None."""
        quotes = sum(line.count('"') for _, line in self.taken)
        last = self.taken[-1][0]
        while quotes % 2:
            line = self.returned.popleft()[1] if self.returned else self.text.readline()
            if not line:
                if self.after_first is not None:
                    self.number, position = self.after_first
                    self.text.seek(position)
                self.returned.clear()
                return None
            last += 1
            quotes += line.count('"')
        if not self.returned:
            self.number = last
        return last


def _csv_rows(drop: Drop, builder: _ChunkBuilder, chunk_rows: int) -> Iterator[None]:
    """Rows of a csv file (RFC 4180 quoting, quoted newlines kept, a byte-order mark honoured).

    The parser is strict about quotes, so a row whose quote never closes where it should fails
    instead of silently merging the rows after it; such a row spanning several lines is
    quarantined by its first line and the lines after it are read again. A one-line row that
    only strict parsing refuses (``a,"b"c``) is read leniently, as spreadsheets do. A field over
    the size limit makes its whole row, up to where its quote closes, one ``field_too_large``
    unit; rows of only whitespace are blank.
    """
    limit = drop.source.json_limits.max_field_bytes
    csv.field_size_limit(limit)
    with open_drop_file(drop.path) as binary:
        codec = sniff_encoding(binary.peek(4)[:4])  # type: ignore[attr-defined]
        text = io.TextIOWrapper(binary, encoding=codec, errors="surrogateescape", newline="")
        lines = _PhysicalLines(text)
        reader = csv.reader(lines, strict=True)
        header: list[str] | None = None
        while True:
            lines.start_row()
            try:
                values: list[str] | None = next(reader)
                problem = None
            except StopIteration:
                return
            except csv.Error as exc:
                values, problem = None, f"CSV error: {exc}"
            except UnicodeDecodeError as exc:
                values, problem = None, f"not valid {codec}: {describe_error(exc)}"
            if not lines.taken:
                return
            line = lines.taken[0][0]
            if problem and "field limit" in problem:
                last = lines.skip_open_quote()
                if last is None:
                    builder.reject_unit(MALFORMED_ROW, "a quote opened here never closes", line)
                else:
                    span = f"lines {line}-{last}" if last > line else f"line {line}"
                    detail = f"a field exceeds {limit} bytes ({span})"
                    builder.reject_unit(REASONS[FIELD_TOO_LARGE], detail, line)
                yield
                continue
            if header is None:
                if values is not None and any(v.strip() for v in values):
                    header = _unique_names(values)
                elif values is None:
                    builder.reject_unit(MALFORMED_HEADER, problem or "", line)
                    return
                continue
            blank = values is not None and not any(v.strip() for v in values)
            if not blank and values is not None and len(values) != len(header):
                problem = f"{len(values)} columns where the header has {len(header)}"
                values = None
            if values is None and len(lines.taken) == 1:
                values = _lenient_row(lines.taken[0][1], len(header))
            if blank:
                builder.stats.blank_lines += 1
            elif values is None:
                lines.give_back_all_but_first()
                builder.reject_unit(MALFORMED_ROW, problem or "unreadable row", line)
            else:
                builder.add(dict(zip(header, values, strict=True)), line, None)
            builder.stats.bytes_read = binary.tell()
            yield


def _lenient_row(line: str, columns: int) -> list[str] | None:
    """The row as a lenient parser reads one line, if that gives the header's column count."""
    try:
        values = next(csv.reader([line], strict=False))
    except (csv.Error, StopIteration):
        return None
    return values if len(values) == columns else None


def _unique_names(header: list[str]) -> list[str]:
    """Header names made unique (a repeated name becomes ``name#2``...): no column is lost."""
    seen: dict[str, int] = {}
    names = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return names


def _parquet_rows(drop: Drop, builder: _ChunkBuilder, chunk_rows: int) -> Iterator[None]:
    """Rows of a Parquet file, a row group at a time: a row group that cannot be decoded (a
    corrupt page) quarantines its rows, named by row number, and the other groups are read."""
    with open_drop_file(drop.path) as handle:
        try:
            parquet = pq.ParquetFile(handle)
            groups = [parquet.metadata.row_group(g).num_rows for g in range(parquet.num_row_groups)]
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for unreadable files
            builder.reject_unit(CORRUPT_FILE, f"not a readable Parquet file: {describe_error(exc)}", None)
            return
        row = 0
        for group, size in enumerate(groups):
            try:
                batches = parquet.read_row_group(group).to_batches(max_chunksize=chunk_rows)
                items = [item for batch in batches for item in batch.to_pylist()]
            except Exception as exc:  # noqa: BLE001 - a corrupt page or an undecodable value
                rows = f"rows {row + 1}-{row + size}"
                detail = f"row group {group} ({rows}) cannot be decoded: {describe_error(exc)}"
                for offset in range(size):
                    builder.reject_unit(UNREADABLE_ROW_GROUP, detail, row + offset + 1)
                row += size
                yield
                continue
            for item in items:
                row += 1
                builder.add(item, row, None)
                yield
        builder.stats.bytes_read = drop.path.stat().st_size
