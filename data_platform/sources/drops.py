"""Drops: files a source delivers into its drop folder, and when a drop counts as complete.

A drop is picked up only once it is complete, by the source's ``completion`` rule:

- ``marker``: the producer writes ``<file>.done`` after the file is fully written;
- ``stable`` (default): the file has not been modified for ``settle_seconds``. A producer that is
  still writing keeps touching the file, so a half-written file is never read. Producers that
  can should write under a hidden or ``.tmp``/``.part`` name and rename, which is always safe.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from data_platform.sources.readers import Drop
from data_platform.sources.registry import Registry, Source

MARKER_SUFFIX = ".done"
IN_PROGRESS_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload")
BATCH_SEPARATOR = ":"


def batch_id_for(source_id: str, path: Path) -> str:
    return f"{source_id}{BATCH_SEPARATOR}{path.name}"


def split_batch_id(batch_id: str) -> tuple[str, str]:
    source_id, separator, file_name = batch_id.partition(BATCH_SEPARATOR)
    if not separator or not file_name:
        raise ValueError(f"batch id {batch_id!r} is not <source_id>{BATCH_SEPARATOR}<file name>")
    return source_id, file_name


def is_data_file(source: Source, path: Path) -> bool:
    name = path.name
    return (
        path.is_file()
        and not name.startswith(".")
        and not name.endswith(IN_PROGRESS_SUFFIXES)
        and name.endswith(f".{source.format}")
        and not (source.format == "jsonl" and name.endswith(".jsonl.gz"))
    )


def is_complete(source: Source, path: Path, now: float) -> bool:
    if source.completion == "marker":
        return path.with_name(path.name + MARKER_SUFFIX).exists()
    return now - path.stat().st_mtime >= source.settle_seconds


def ready_drops(source: Source, now: float) -> list[Path]:
    """Complete data files in the source's drop folder, in name order."""
    if not source.drop_folder.is_dir():
        return []
    return sorted(
        path
        for path in source.drop_folder.iterdir()
        if is_data_file(source, path) and is_complete(source, path, now)
    )


def drop_for_batch(registry: Registry, batch_id: str) -> Drop:
    source_id, file_name = split_batch_id(batch_id)
    source = registry.get(source_id)
    path = source.drop_folder / file_name
    if not path.is_file():
        raise FileNotFoundError(f"batch {batch_id!r}: drop file {path} does not exist")
    landed = datetime.fromtimestamp(int(path.stat().st_mtime), tz=UTC)
    return Drop(source=source, path=path, batch_id=batch_id, ingested_at=landed)
