"""Readers for source drops (jsonl, jsonl.gz, csv, parquet) onto the canonical record schema.

A drop is read in bounded chunks; each chunk yields accepted records and rejected rows. A bad
line never stops the drop: it becomes a quarantine row naming the file, line and field, and the
lines before and after it are kept. Faults that end a file early (truncated gzip) are recorded the
same way, after everything read up to that point.
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
import pyarrow.parquet as pq

from data_platform.sources.registry import Source
from data_platform.sources.schema import QUARANTINE_SCHEMA, RAW_SCHEMA

DEFAULT_CHUNK_ROWS = 50_000


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
    return hashlib.sha256(f"{source_id}\x1f{key}".encode()).hexdigest()[:32]


class _ChunkBuilder:
    """Maps input rows onto canonical columns and collects rejects, one chunk at a time."""

    def __init__(self, drop: Drop, stats: ReadStats) -> None:
        self.drop, self.stats, self.fields = drop, stats, drop.source.fields
        self.file_name = drop.path.name
        self._seen_keys = np.empty(0, dtype=np.uint64)
        self._reset()

    def _reset(self) -> None:
        self.columns: dict[str, list[Any]] = {
            name: [] for name in ("record_id", "text", "turns", "lang", "line", "byte", "sha", "meta")
        }
        self.rejects: list[dict[str, Any]] = []

    def __len__(self) -> int:
        return len(self.columns["record_id"]) + len(self.rejects)

    def add(self, row: Any, line: int, byte: int | None) -> None:
        """Map one input row; ``row`` may be a callable that decodes it (and may reject it)."""
        self.stats.records_in += 1
        try:
            self._add_mapped(row() if callable(row) else row, line, byte)
        except RowRejected as rejected:
            self.reject(rejected.reason, rejected.field_name, rejected.detail, line)

    def reject(self, reason: str, field_name: str | None, detail: str, line: int | None) -> None:
        self.stats.rejected += 1
        key = f"{self.file_name}:{line}:{reason}"
        self.rejects.append(
            {
                "record_id": record_id_for(self.drop.source.id, key),
                "reason": reason,
                "detail": f"{self.drop.path}: line {line}: {detail}",
                "field": field_name,
                "origin_line": line,
            }
        )

    def reject_file(self, reason: str, detail: str, line: int | None) -> None:
        """A fault of the file itself (empty, truncated) counts as one input unit."""
        self.stats.records_in += 1
        self.reject(reason, None, detail, line)

    def _add_mapped(self, row: Any, line: int, byte: int | None) -> None:
        if not isinstance(row, dict):
            raise RowRejected("not_an_object", None, f"expected an object, got {type(row).__name__}")
        fields = self.fields
        key = f"{self.file_name}:{line}"
        if fields.id is not None:
            key = str(_scalar(row, fields.id, required=True, types=(str, int)))
        lang = _scalar(row, fields.lang, required=False, types=(str,)) if fields.lang else None
        used = {fields.id, fields.lang}
        if self.drop.source.kind == "text":
            text = _scalar(row, fields.text, required=True, types=(str,))
            turns, digest_input, used = None, text, used | {fields.text}
        else:
            turns = _turns(row.get(fields.turns), fields.turns, fields.speaker, fields.turn_text)
            text, used = None, used | {fields.turns}
            digest_input = json.dumps(
                [[t["speaker"], t["text"]] for t in turns], ensure_ascii=False, separators=(",", ":")
            )
        meta = {k: v for k, v in row.items() if k not in used}
        columns = self.columns
        columns["record_id"].append(record_id_for(self.drop.source.id, key))
        columns["text"].append(text)
        columns["turns"].append(turns)
        columns["lang"].append(lang)
        columns["line"].append(line)
        columns["byte"].append(byte)
        columns["sha"].append(hashlib.sha256(digest_input.encode("utf-8")).hexdigest())
        columns["meta"].append(
            json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str) if meta else None
        )
        self.stats.accepted += 1

    def flush(self) -> Chunk:
        records = self._records_frame()
        rejects = pl.DataFrame(
            self.rejects,
            schema={
                "record_id": pl.String,
                "reason": pl.String,
                "detail": pl.String,
                "field": pl.String,
                "origin_line": pl.Int64,
            },
        )
        records, rejects = self._reject_repeated_keys(records, rejects)
        self._reset()
        return Chunk(records=records, rejects=_quarantine_frame(rejects, self.drop))

    def _records_frame(self) -> pl.DataFrame:
        c, drop = self.columns, self.drop
        source = drop.source
        default_lang = source.languages[0] if len(source.languages) == 1 else None
        frame = pl.DataFrame(
            {
                "record_id": c["record_id"],
                "text": c["text"],
                "turns": c["turns"],
                "lang": c["lang"],
                "origin_line": c["line"],
                "origin_byte": c["byte"],
                "content_sha256": c["sha"],
                "meta": c["meta"],
            },
            schema={
                k: RAW_SCHEMA[k]
                for k in (
                    "record_id",
                    "text",
                    "turns",
                    "lang",
                    "origin_line",
                    "origin_byte",
                    "content_sha256",
                    "meta",
                )
            },
        )
        return frame.with_columns(
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
        position = np.searchsorted(self._seen_keys, prefixes)
        position[position == len(self._seen_keys)] = 0
        if len(self._seen_keys):
            repeated |= self._seen_keys[position] == prefixes
        self._seen_keys = np.union1d(self._seen_keys, prefixes)
        if not repeated.any():
            return records, rejects
        mask = pl.Series(repeated)
        dupes = records.filter(mask)
        self.stats.accepted -= dupes.height
        self.stats.rejected += dupes.height
        id_field = self.fields.id
        extra = dupes.select(
            "record_id",
            reason=pl.lit("duplicate_key"),
            detail=pl.format(
                "{}: line {}: key already delivered earlier in this drop",
                pl.lit(str(self.drop.path)),
                pl.col("origin_line"),
            ),
            field=pl.lit(id_field),
            origin_line="origin_line",
        )
        return records.filter(~mask), pl.concat([rejects, extra])


def _quarantine_frame(rejects: pl.DataFrame, drop: Drop) -> pl.DataFrame:
    return rejects.with_columns(
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
    }[drop.source.format](drop, builder)
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


def _json_lines(drop: Drop, builder: _ChunkBuilder) -> Iterator[None]:
    limit = drop.source.max_record_bytes
    line_no, offset = 0, 0
    with _open_binary(drop) as handle:
        while True:
            try:
                raw = handle.readline(limit + 1)
                if not raw:
                    return
                line_no += 1
                start, oversize = offset, len(raw) > limit and not raw.endswith(b"\n")
                offset += len(raw)
                while oversize and not raw.endswith(b"\n"):
                    raw = handle.readline(limit + 1)
                    offset += len(raw)
                    if not raw:
                        break
            except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
                builder.reject_file(
                    "truncated_file",
                    f"file ends early or is corrupt after {line_no} lines: {exc}",
                    line_no + 1,
                )
                return
            finally:
                builder.stats.bytes_read = offset
            if oversize:
                builder.stats.records_in += 1
                builder.reject("record_too_large", None, f"line exceeds {limit} bytes", line_no)
            elif raw.strip():
                builder.add(lambda raw=raw: _decode_json_line(raw), line_no, start)
            else:
                builder.stats.blank_lines += 1
            yield


def _decode_json_line(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RowRejected("invalid_utf8", None, f"invalid UTF-8 at byte {exc.start}") from exc
    except json.JSONDecodeError as exc:
        raise RowRejected("invalid_json", None, f"invalid JSON: {exc.msg} (column {exc.colno})") from exc


def _csv_rows(drop: Drop, builder: _ChunkBuilder) -> Iterator[None]:
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
                builder.reject(
                    "malformed_row",
                    None,
                    f"{len(values)} columns where the header has {len(header)}",
                    line,
                )
            else:
                builder.add(dict(zip(header, values, strict=True)), line, None)
            builder.stats.bytes_read = binary.tell()
            yield


def _parquet_rows(drop: Drop, builder: _ChunkBuilder) -> Iterator[None]:
    try:
        parquet = pq.ParquetFile(drop.path)
    except Exception as exc:  # pyarrow raises several types for unreadable files
        builder.reject_file("corrupt_file", f"not a readable Parquet file: {exc}", None)
        return
    row = 0
    for batch in parquet.iter_batches(batch_size=DEFAULT_CHUNK_ROWS):
        for item in batch.to_pylist():
            row += 1
            builder.add(item, row, None)
            yield
    builder.stats.bytes_read = drop.path.stat().st_size
