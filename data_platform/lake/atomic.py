"""Atomic file and folder writes: write under a temporary name, fsync, rename.

A reader sees a partition wholly or not at all; a writer killed mid-way leaves only a
``.tmp-*`` folder that readers ignore and the next write of the same partition sweeps away.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

TMP_PREFIX = ".tmp-"


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f"{TMP_PREFIX}{path.name}-{uuid.uuid4().hex}"
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_path(path.parent)


def write_parquet_atomic(path: Path, frame: pl.DataFrame, **options: Any) -> None:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, **options)
    write_bytes_atomic(path, buffer.getvalue())


def write_json_atomic(path: Path, document: Any) -> None:
    write_bytes_atomic(path, canonical_json(document).encode("utf-8"))


def canonical_json(document: Any) -> str:
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False, default=str) + "\n"


@contextlib.contextmanager
def staged_folder(final: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``final`` in one rename.

    Earlier staging folders of the same target (from killed writers) are removed first.
    """
    parent = final.parent
    parent.mkdir(parents=True, exist_ok=True)
    for stale in parent.glob(f"{TMP_PREFIX}{final.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = parent / f"{TMP_PREFIX}{final.name}-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        yield staging
        for item in staging.iterdir():
            fsync_path(item)
        fsync_path(staging)
        if final.exists():
            retired = parent / f"{TMP_PREFIX}{final.name}-retired-{uuid.uuid4().hex}"
            os.replace(final, retired)
            os.replace(staging, final)
            shutil.rmtree(retired)
        else:
            os.replace(staging, final)
        fsync_path(parent)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
