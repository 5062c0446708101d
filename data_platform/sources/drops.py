"""Drops: files a source delivers into its drop folder, when a drop counts as complete, and the
batch key (partition key) that names it.

A drop is picked up only once it is complete, by the source's ``completion`` rule:

- ``marker``: the producer writes ``<file>.done`` after the file is fully written;
- ``stable`` (default): the file has not been modified for ``settle_seconds``. A producer that is
  still writing keeps touching the file, so a half-written file is never read. Producers that
  can should write under a hidden or ``.tmp``/``.part`` name and rename, which is always safe.

Only regular files are read: a symlink in a drop folder is refused (it could point anywhere and
would be ingested under the source's licence). A batch key is ``<source_id>:<file name>``; a
name that cannot be part of a lake path (too long, control characters) gets a stable short form
``<start of the name>~<sha256[:12]><extension>``, and a name that holds personal data is withheld
as ``drop-<sha256[:16]><extension>``. Both map back to their file by hashing the folder's names.
"""

from __future__ import annotations

import hashlib
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from data_platform.errors import UnsafePathError
from data_platform.lake.paths import name_problem
from data_platform.sources.readers import Drop
from data_platform.sources.registry import SOURCE_ID_PATTERN, FieldMap, Registry, Source, adhoc_source

MARKER_SUFFIX = ".done"
IN_PROGRESS_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload")
BATCH_SEPARATOR = ":"
# A whole batch key stays under this many bytes, so every lake file named after it (gate
# verdicts, state files, their staging names) fits a file system's 255-byte name limit.
MAX_BATCH_ID_BYTES = 180
WITHHELD_PREFIX = "drop-"
EXTENSIONS = (".jsonl.gz", ".jsonl", ".csv", ".parquet")


def batch_id_for(source_id: str, path: Path, *, withhold_name: bool = False) -> str:
    """The batch key of the drop at ``path``: the file name as it is when it can be part of a
    lake path, else its stable short form; ``withhold_name`` hashes the name away entirely."""
    name = path.name
    extension = next((e for e in EXTENSIONS if name.endswith(e)), "")
    digest = _name_digest(name)
    if withhold_name:
        return f"{source_id}{BATCH_SEPARATOR}{WITHHELD_PREFIX}{digest[:16]}{extension}"
    key = f"{source_id}{BATCH_SEPARATOR}{name}"
    if name_problem(key) is None and len(key.encode("utf-8")) <= MAX_BATCH_ID_BYTES:
        return key
    stem = re.sub(r"[\x00-\x1f\x7f/\\]", "_", name[: len(name) - len(extension)]).strip() or "drop"
    budget = MAX_BATCH_ID_BYTES - len(source_id) - len(BATCH_SEPARATOR) - 13 - len(extension)
    stem = stem.encode("utf-8", "replace")[:budget].decode("utf-8", "ignore").lstrip(".")
    return f"{source_id}{BATCH_SEPARATOR}{stem}~{digest[:12]}{extension}"


def _name_digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()


def split_batch_id(batch_id: str) -> tuple[str, str]:
    """Source id and file part of a batch key; UnsafePathError for anything that is not one
    (the UI and the GraphQL API accept any partition key)."""
    source_id, separator, file_name = batch_id.partition(BATCH_SEPARATOR)
    if not separator or not SOURCE_ID_PATTERN.fullmatch(source_id):
        raise UnsafePathError(f"batch id {batch_id!r} is not <source_id>{BATCH_SEPARATOR}<file name>")
    if problem := name_problem(batch_id) or name_problem(file_name):
        raise UnsafePathError(f"batch id {batch_id!r} cannot name a drop: {problem}")
    if len(batch_id.encode("utf-8")) > MAX_BATCH_ID_BYTES:
        raise UnsafePathError(f"batch id {batch_id!r} is longer than {MAX_BATCH_ID_BYTES} bytes")
    return source_id, file_name


def is_data_file(source: Source, path: Path) -> bool:
    name = path.name
    return (
        not path.is_symlink()
        and path.is_file()
        and not name.startswith(".")
        and not name.endswith(IN_PROGRESS_SUFFIXES)
        and name.endswith(f".{source.format}")
        and not (source.format == "jsonl" and name.endswith(".jsonl.gz"))
    )


def symlinks(source: Source) -> list[Path]:
    """Symlinks in the source's drop folder: never read, reported."""
    if not source.drop_folder.is_dir():
        return []
    return sorted(path for path in source.drop_folder.iterdir() if path.is_symlink())


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
    """The drop a batch key names: the file itself, or the one whose short or withheld form the
    key is. Only a regular file directly in the source's drop folder is ever returned."""
    source_id, file_name = split_batch_id(batch_id)
    source = registry.get(source_id)
    folder = source.drop_folder
    path, withheld = folder / file_name, False
    if not (path.is_file() or path.is_symlink()):
        path, withheld = _named_by(folder, source_id, batch_id)
    if path.is_symlink() or not path.is_file():
        raise UnsafePathError(
            f"batch {batch_id!r}: {path} is not a regular file; drops are read only from files"
        )
    if path.resolve().parent != folder.resolve():
        raise UnsafePathError(f"batch {batch_id!r}: {path} is outside the drop folder {folder}")
    landed = datetime.fromtimestamp(int(path.stat().st_mtime), tz=UTC)
    return Drop(source=source, path=path, batch_id=batch_id, ingested_at=landed, name_withheld=withheld)


def _named_by(folder: Path, source_id: str, batch_id: str) -> tuple[Path, bool]:
    """The file of ``folder`` whose short or withheld key is ``batch_id``."""
    if folder.is_dir():
        for path in folder.iterdir():
            for withheld in (False, True):
                if batch_id_for(source_id, path, withhold_name=withheld) == batch_id:
                    return path, withheld
    raise FileNotFoundError(f"batch {batch_id!r}: no drop file in {folder} is named by this key")


def drop_file_facts(drop: Drop) -> dict[str, Any]:
    """What the raw stats keep about the file itself: its size and modification time as read
    (the drop sensor compares them to notice a file that changed after it was ingested), and the
    original name when the key is its short form."""
    status = os.stat(drop.path, follow_symlinks=False)
    facts: dict[str, Any] = {"file_bytes": status.st_size, "file_mtime_ns": status.st_mtime_ns}
    if drop.name_withheld:
        facts["file_name_withheld"] = True
    elif drop.batch_id.partition(BATCH_SEPARATOR)[2] != drop.path.name:
        facts["original_file_name"] = drop.path.name
    return facts


def changed_since_ingested(path: Path, raw_stats: dict[str, Any]) -> bool:
    """Whether the file at ``path`` differs in size or modification time from what was read."""
    status = os.stat(path, follow_symlinks=False)
    recorded = raw_stats.get("file_bytes"), raw_stats.get("file_mtime_ns")
    return recorded != (None, None) and recorded != (status.st_size, status.st_mtime_ns)


def one_file_drop(path: Path, command: str, id_field: str, text_field: str, min_chars: int) -> Drop:
    """A file given on the command line as a drop of an unregistered source (the raw tier's
    readers, so bad lines are reported with file, line and field)."""
    source = adhoc_source(
        command,
        input_format(path),
        path.parent,
        fields=FieldMap(id=id_field, text=text_field),
        min_chars=min_chars,
        max_record_bytes=64 << 20,
    )
    return Drop(source, path, f"{command}:{path.name}", datetime.fromtimestamp(0, UTC))


def input_format(path: Path) -> str:
    if path.name.endswith(".jsonl.gz"):
        return "jsonl.gz"
    if path.suffix in (".jsonl", ".parquet"):
        return path.suffix[1:]
    raise ValueError(f"{path}: expected a .jsonl, .jsonl.gz or .parquet file")
