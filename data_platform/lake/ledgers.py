"""Append-only JSON-lines ledgers in the lake (``_governance/<name>.jsonl``).

A line is written whole and flushed to disk before the call returns; nothing is ever rewritten.
A line that cannot be read is reported with the file and line number.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from data_platform.errors import InputFileError
from data_platform.lake.store import Lake


def ledger_path(lake: Lake, name: str) -> Path:
    return lake.root / "_governance" / f"{name}.jsonl"


def append_entry(lake: Lake, name: str, entry: dict[str, Any]) -> None:
    path = ledger_path(lake, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_entries(lake: Lake, name: str) -> list[dict[str, Any]]:
    path = ledger_path(lake, name)
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise InputFileError(str(path), number, "line", f"not JSON ({exc.msg})") from exc
    return entries
