"""One record's chain: where it was delivered, what each tier did to it, which releases hold it
and which models were trained on them.

Each tier step carries the code version that wrote the partition and a hash of the settings it
ran with (sha256 of their canonical JSON: the cleaning rules, the labelers and language policy),
so two records cleaned under different rules can be told apart long after.
"""

from __future__ import annotations

import hashlib
from typing import Any

import polars as pl

from data_platform.governance.models import models
from data_platform.lake.atomic import canonical_json
from data_platform.lake.releases import list_releases, read_manifest, release_dir
from data_platform.lake.store import TIERS, Lake

SETTINGS_OF_TIER = {"raw": ("file",), "cleaned": ("rules",), "annotated": ("labelers", "language_policy")}


def parameters_hash(stats: dict[str, Any], tier: str) -> str:
    settings = {key: stats.get(key) for key in SETTINGS_OF_TIER[tier]}
    return hashlib.sha256(canonical_json(settings).encode()).hexdigest()


def record_lineage(lake: Lake, record_id: str) -> dict[str, Any]:
    """The chain of ``record_id``; raises ValueError when the lake never saw it."""
    steps = [step for tier in TIERS for step in _tier_steps(lake, tier, record_id)]
    steps += _quarantine_steps(lake, record_id)
    releases = _release_steps(lake, record_id)
    if not steps and not releases:
        raise ValueError(f"record {record_id!r} is in no tier, quarantine or release of {lake.root}")
    return {"record_id": record_id, "steps": steps, "releases": releases}


def _tier_steps(lake: Lake, tier: str, record_id: str) -> list[dict[str, Any]]:
    steps = []
    for batch_id in lake.partitions(tier):
        found = lake.scan_records(tier, batch_id).filter(pl.col("record_id") == record_id).collect()
        if found.height == 0:
            continue
        row, stats = found.row(0, named=True), lake.stats(tier, batch_id)
        step = {
            "tier": tier,
            "batch_id": batch_id,
            "code_version": stats.get("code_version"),
            "parameters_sha256": parameters_hash(stats, tier),
            "partition_digest": stats["digest"],
        }
        if tier == "raw":
            keys = (
                "source_id",
                "licence",
                "consent",
                "origin_file",
                "origin_line",
                "origin_byte",
                "content_sha256",
            )
            step |= {key: row[key] for key in keys} | {"ingested_at": str(row["ingested_at"])}
        if tier == "cleaned":
            step |= {"norm_sha256": row["norm_sha256"], "mojibake_fixed": row["mojibake_fixed"]}
        if tier == "annotated":
            step["labels"] = row["labels"]
        steps.append(step)
    return steps


def _quarantine_steps(lake: Lake, record_id: str) -> list[dict[str, Any]]:
    steps = []
    for tier in TIERS:
        for batch_id in lake.partitions(tier):
            found = lake.scan_quarantine(tier, batch_id).filter(pl.col("record_id") == record_id).collect()
            steps += [
                {
                    "tier": f"quarantine ({tier})",
                    "batch_id": batch_id,
                    "reason": r["reason"],
                    "detail": r["detail"],
                }
                for r in found.iter_rows(named=True)
            ]
    return steps


def _release_steps(lake: Lake, record_id: str) -> list[dict[str, Any]]:
    steps = []
    for version in list_releases(lake):
        held = pl.scan_parquet(release_dir(lake, version) / "records-*.parquet").filter(
            pl.col("record_id") == record_id
        )
        if held.select(pl.len()).collect().item() == 0:
            continue
        manifest = read_manifest(lake, version)
        steps.append(
            {
                "release": version,
                "created_at": manifest["created_at"],
                "code_version": manifest["code_version"],
                "licence_profile": manifest.get("licence_profile", {}).get("name"),
                "models": [f"{m['name']} {m['version']}" for m in models(lake, release=version)],
            }
        )
    return steps


def describe(lineage: dict[str, Any]) -> str:
    """The chain as lines a person reads from top to bottom."""
    lines = [f"record {lineage['record_id']}"]
    for step in lineage["steps"]:
        lines.append(f"  {step['tier']}  batch {step['batch_id']}")
        for key, value in step.items():
            if key not in ("tier", "batch_id"):
                lines.append(f"      {key}: {value}")
    for release in lineage["releases"]:
        lines.append(f"  release {release['release']}  (profile {release['licence_profile']})")
        for key in ("created_at", "code_version", "models"):
            lines.append(f"      {key}: {release[key]}")
    return "\n".join(lines)
