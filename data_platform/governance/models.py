"""Which release trained which model: an append-only model registry in the lake."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from data_platform.lake.ledgers import append_entry, read_entries
from data_platform.lake.releases import list_releases
from data_platform.lake.store import Lake

LEDGER = "models"


def register_model(lake: Lake, name: str, version: str, release: str, notes: str = "") -> dict[str, Any]:
    """Record that model ``name`` ``version`` was trained on ``release`` (which must exist)."""
    if release not in list_releases(lake):
        raise ValueError(
            f"release {release!r} does not exist; releases: {', '.join(list_releases(lake)) or 'none'}"
        )
    if any(m["name"] == name and m["version"] == version for m in models(lake)):
        raise ValueError(f"model {name} {version} is registered already")
    entry = {
        "name": name,
        "version": version,
        "release": release,
        "registered_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "notes": notes,
    }
    append_entry(lake, LEDGER, entry)
    return entry


def models(lake: Lake, release: str | None = None, name: str | None = None) -> list[dict[str, Any]]:
    """Registered models, optionally only those trained on ``release`` or called ``name``."""
    return [
        m
        for m in read_entries(lake, LEDGER)
        if (release is None or m["release"] == release) and (name is None or m["name"] == name)
    ]
