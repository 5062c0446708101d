"""Release folders in the lake: versions (v1, v2, ...), their paths, the cross-process lock
under which a release is cut, manifests and the content hash anyone can recompute from the
files. What goes into a release is decided in tiers/released.py.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

from data_platform.errors import UnsafePathError
from data_platform.lake.paths import inside
from data_platform.lake.store import Lake

# fullmatch, ASCII digits: "v4\n" or "v٤" must not pass as a version.
VERSION_PATTERN = re.compile(r"v([1-9][0-9]{0,8})", re.ASCII)

# The release's evaluation report, next to DATASHEET.md (tiers/evaluated.py writes it).
EVALUATION_REPORT = "EVALUATION.html"
# Every record of the included batches a release left out, with reason and detail (tiers/released.py).
LEFT_OUT_FILE = "left_out.parquet"


def release_root(lake: Lake) -> Path:
    return lake.root / "releases"


@contextlib.contextmanager
def release_lock(
    lake: Lake, name: str = "cut", *, waiting: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the lake's release lock ``name`` (a file lock, across processes); ``waiting`` is
    called once when another process holds it and this one has to wait."""
    folder = release_root(lake)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f".{name}.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def list_releases(lake: Lake) -> list[str]:
    root = release_root(lake)
    if not root.exists():
        return []
    found = [
        p.name for p in root.iterdir() if VERSION_PATTERN.fullmatch(p.name) and (p / "manifest.json").exists()
    ]
    return sorted(found, key=lambda v: int(VERSION_PATTERN.fullmatch(v).group(1)))  # type: ignore[union-attr]


def next_version(lake: Lake) -> str:
    released = list_releases(lake)
    last = int(VERSION_PATTERN.fullmatch(released[-1]).group(1)) if released else 0  # type: ignore[union-attr]
    return f"v{last + 1}"


def check_version(version: str) -> str:
    """``version`` if it is a release version (v1, v2, ...); UnsafePathError otherwise."""
    if not isinstance(version, str) or not VERSION_PATTERN.fullmatch(version):
        raise UnsafePathError(f"release version {version!r} must look like v1, v2, ... (v and a number)")
    return version


def release_dir(lake: Lake, version: str) -> Path:
    return inside(release_root(lake), check_version(version), what="release version")


def read_manifest(lake: Lake, version: str) -> dict[str, Any]:
    return json.loads((release_dir(lake, version) / "manifest.json").read_text(encoding="utf-8"))


def release_summary(manifest: dict[str, Any], folder: Path) -> str:
    """What a release holds and what it left out, in a few lines."""
    policy = manifest["label_policy"]
    left_out = {
        "refused by licence": sum(manifest["refused_by_licence"].values()),
        "taken down": sum(manifest["taken_down"].values()),
        "held back by the label policy": sum(policy["held_back"].values()),
        "under review": sum(policy["under_review"].values()),
        "duplicate alternates": manifest["duplicate_alternates"]["left_out"],
        "superseded by a later delivery": manifest["superseded_records"],
        # releases cut before the scan existed have no entry
        "held back by the release scan": sum(manifest.get("release_scan", {}).get("held_back", {}).values()),
    }
    version = manifest["version"]
    profile, redaction = manifest["licence_profile"]["name"], manifest["redaction"]["policy"]
    lines = [
        f"release {version}: {manifest['record_count']:,} records from {len(manifest['batches'])} batches "
        f"(licence profile {profile}, {redaction} redaction)",
        "  left out: " + (", ".join(f"{n:,} {why}" for why, n in left_out.items() if n) or "nothing"),
    ]
    for batch, why in sorted(manifest["excluded_batches"].items()):
        lines.append(f"  batch not included: {batch}: {why}")
    lines.append(f"  content sha256 {manifest['content_sha256']}")
    lines.append(f"  datasheet {folder / 'DATASHEET.md'}")
    if (folder / EVALUATION_REPORT).is_file():  # written by the release's evaluation, after the cut
        lines.append(f"  evaluation {folder / EVALUATION_REPORT}")
    return "\n".join(lines)


def content_hash(sorted_record_hashes: pl.Series) -> str:
    digest = hashlib.sha256()
    for value in sorted_record_hashes.to_list():
        digest.update(value.encode("ascii"))
        digest.update(b"\n")
    return digest.hexdigest()


def version_number(version: str) -> int:
    return int(VERSION_PATTERN.fullmatch(version).group(1))  # type: ignore[union-attr]
