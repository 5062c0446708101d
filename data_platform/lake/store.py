"""The lake: one folder per (tier, batch) holding records, quarantine and counters.

Layout under the lake root::

    <tier>/<batch_id>/records-00000.parquet ...   records that stay in the tier
    <tier>/<batch_id>/quarantine-00000.parquet ...  records that left it, with reason codes
    <tier>/<batch_id>/_stats.json                  counters, a digest of the files above, code version
    _gates/<tier>/<batch_id>.json                  verdict of the tier's quality gate
    _state/batches/<batch_id>.json                 the batch's sequence number
    releases/<version>/                            frozen dataset versions
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from data_platform import settings
from data_platform.errors import GateNotPassedError
from data_platform.lake.atomic import (
    TMP_PREFIX,
    canonical_json,
    staged_folder,
    write_json_atomic,
    write_parquet_atomic,
)
from data_platform.lake.paths import inside

TIERS = ("raw", "cleaned", "annotated")
PARQUET_OPTIONS: dict[str, Any] = {"compression": "zstd", "compression_level": 3, "statistics": True}
# The columns of every tier's quarantine: why each record left, and where it came from.
QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    "record_id": pl.String(),
    "tier": pl.String(),
    "reason": pl.String(),
    "detail": pl.String(),
    # The record this one duplicates (the kept copy), where there is one.
    "related_id": pl.String(),
    "field": pl.String(),
    "batch_id": pl.String(),
    "source_id": pl.String(),
    "origin_file": pl.String(),
    "origin_line": pl.Int64(),
}


@dataclass(frozen=True)
class PartitionInfo:
    path: Path
    records: int
    quarantined: int
    digest: str
    stats: dict[str, Any]


class Lake:
    """Paths and atomic reads/writes of the lake rooted at ``root``."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()

    def partition_dir(self, tier: str, batch_id: str) -> Path:
        return inside(self.root / tier, batch_id, what="batch id")

    def has_partition(self, tier: str, batch_id: str) -> bool:
        return (self.partition_dir(tier, batch_id) / "_stats.json").exists()

    def partitions(self, tier: str) -> list[str]:
        folder = self.root / tier
        if not folder.exists():
            return []
        return sorted(
            p.name
            for p in folder.iterdir()
            if not p.name.startswith(TMP_PREFIX) and (p / "_stats.json").exists()
        )

    def write_partition(
        self,
        tier: str,
        batch_id: str,
        chunks: Iterable[tuple[pl.DataFrame, pl.DataFrame]],
        stats: dict[str, Any] | None = None,
    ) -> PartitionInfo:
        """Write every (records, quarantine) chunk, then publish the folder in one rename.

        ``stats`` may be filled while ``chunks`` is consumed; it is read after the last chunk.
        """
        final = self.partition_dir(tier, batch_id)
        records = quarantined = 0
        by_reason: Counter[str] = Counter()
        with staged_folder(final) as staging:
            part = 0
            for part, (kept, rejected) in enumerate(chunks):
                kept.write_parquet(staging / f"records-{part:05d}.parquet", **PARQUET_OPTIONS)
                if rejected.height or part == 0:
                    rejected.write_parquet(staging / f"quarantine-{part:05d}.parquet", **PARQUET_OPTIONS)
                records += kept.height
                quarantined += rejected.height
                by_reason.update(rejected["reason"].to_list())
            digest = _digest_files(sorted(staging.glob("*.parquet")))
            document = {
                **(stats or {}),
                "tier": tier,
                "batch_id": batch_id,
                "records_out": records,
                "quarantined": quarantined,
                "quarantined_by_reason": dict(sorted(by_reason.items())),
                "parts": part + 1,
                "digest": digest,
                "code_version": settings.code_version(),  # which code wrote it (record lineage)
            }
            (staging / "_stats.json").write_text(canonical_json(document), encoding="utf-8")
        return PartitionInfo(final, records, quarantined, digest, document)

    def stats(self, tier: str, batch_id: str) -> dict[str, Any]:
        path = self.partition_dir(tier, batch_id) / "_stats.json"
        if not path.exists():
            raise FileNotFoundError(f"{tier} partition {batch_id!r} has not been written ({path})")
        return json.loads(path.read_text(encoding="utf-8"))

    def record_files(self, tier: str, batch_id: str) -> list[Path]:
        self.stats(tier, batch_id)
        return sorted(self.partition_dir(tier, batch_id).glob("records-*.parquet"))

    def scan_records(self, tier: str, batch_id: str) -> pl.LazyFrame:
        return pl.scan_parquet(self.record_files(tier, batch_id))

    def scan_quarantine(self, tier: str, batch_id: str) -> pl.LazyFrame:
        files = sorted(self.partition_dir(tier, batch_id).glob("quarantine-*.parquet"))
        if not files:
            return pl.LazyFrame(schema=QUARANTINE_SCHEMA)
        return pl.scan_parquet(files)

    # Gates ------------------------------------------------------------------------------
    def gate_path(self, tier: str, batch_id: str) -> Path:
        return inside(self.root / "_gates" / tier, f"{batch_id}.json", what="batch id")

    def record_gate(self, tier: str, batch_id: str, verdict: dict[str, Any]) -> None:
        """Store a gate verdict bound to the digest of the partition it judged."""
        digest = self.stats(tier, batch_id)["digest"]
        write_json_atomic(self.gate_path(tier, batch_id), {**verdict, "digest": digest})

    def gate_verdict(self, tier: str, batch_id: str) -> dict[str, Any] | None:
        path = self.gate_path(tier, batch_id)
        if not path.exists() or not self.has_partition(tier, batch_id):
            return None
        verdict = json.loads(path.read_text(encoding="utf-8"))
        if verdict.get("digest") != self.stats(tier, batch_id)["digest"]:
            return None
        return verdict

    def gate_passed(self, tier: str, batch_id: str) -> bool:
        verdict = self.gate_verdict(tier, batch_id)
        return bool(verdict and verdict.get("passed"))

    def require_gate(self, tier: str, batch_id: str) -> None:
        """Refuse to build on a partition whose gate failed, never ran, or judged older data."""
        verdict = self.gate_verdict(tier, batch_id)
        if verdict is None:
            raise GateNotPassedError(
                f"{tier} partition {batch_id!r} has no gate verdict for its current data; "
                f"run the {tier} quality check before promoting it"
            )
        if not verdict.get("passed"):
            failed = ", ".join(verdict.get("failed_expectations", [])) or "see the check result"
            raise GateNotPassedError(
                f"{tier} partition {batch_id!r} failed its quality gate ({failed}); it is not promoted"
            )

    # State shared across batches ---------------------------------------------------------
    def state_path(self, kind: str, batch_id: str) -> Path:
        return inside(self.root / "_state" / kind, f"{batch_id}.parquet", what="batch id")

    def write_state(
        self, kind: str, batch_id: str, frame: pl.DataFrame, row_group_size: int | None = None
    ) -> None:
        write_parquet_atomic(
            self.state_path(kind, batch_id), frame, **PARQUET_OPTIONS, row_group_size=row_group_size
        )

    # Batch ledger -----------------------------------------------------------------------
    def batch_sequence(self, batch_id: str, source_id: str, file: str) -> int:
        """The batch's sequence number, allocated once (under a file lock) and kept forever.

        Order-dependent steps (cross-batch dedup) look only at batches with a lower number, so
        re-running or back-filling a batch gives the same result.
        """
        entry = self._ledger_entry(batch_id)
        entry.parent.mkdir(parents=True, exist_ok=True)
        with (entry.parent / ".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if entry.exists():
                return int(json.loads(entry.read_text(encoding="utf-8"))["seq"])
            seq = 1 + max((s for _, s in self.batch_sequences().items()), default=0)
            write_json_atomic(entry, {"batch_id": batch_id, "seq": seq, "source_id": source_id, "file": file})
            return seq

    def mark_ingestion(self, batch_id: str, *, failed: bool) -> None:
        """Record in the batch's ledger entry whether its last raw ingestion failed: cleaning a
        later batch waits for an earlier one still being ingested, not for one that failed."""
        entry = self._ledger_entry(batch_id)
        if entry.exists():
            ledger = json.loads(entry.read_text(encoding="utf-8"))
            if ledger.get("raw_failed", False) != failed:
                write_json_atomic(entry, {**ledger, "raw_failed": failed})

    def ingestion_failed(self, batch_id: str) -> bool:
        entry = self._ledger_entry(batch_id)
        return entry.exists() and bool(json.loads(entry.read_text(encoding="utf-8")).get("raw_failed"))

    def _ledger_entry(self, batch_id: str) -> Path:
        return inside(self.root / "_state" / "batches", f"{batch_id}.json", what="batch id")

    def batch_sequences(self) -> dict[str, int]:
        ledger = self.root / "_state" / "batches"
        if not ledger.exists():
            return {}
        return {
            p.stem: int(json.loads(p.read_text(encoding="utf-8"))["seq"])
            for p in ledger.glob("*.json")
            if not p.name.startswith(TMP_PREFIX)
        }


def _digest_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
