"""Registered models in the catalog: one external asset per model name, downstream of the
released dataset, with every registered version and the release it was trained on.

Models are trained outside Dagster; the registry (governance/models.py) is read when the
definitions load, so a model registered with `data-platform models register` appears after the
code location reloads (the UI's "Reload" or a webserver restart).
"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from data_platform.defs.metadata import OWNERS
from data_platform.defs.released.assets import released_dataset
from data_platform.governance.models import models
from data_platform.lake.store import Lake


def model_specs(lake_root: Path) -> list[dg.AssetSpec]:
    registered: dict[str, list[dict]] = {}
    for entry in models(Lake(lake_root)):
        registered.setdefault(entry["name"], []).append(entry)
    return [
        dg.AssetSpec(
            key=dg.AssetKey(["models", name]),
            deps=[released_dataset],
            group_name="models",
            kinds={"model"},
            owners=OWNERS,
            description=f"Model {name}, trained outside the platform on the releases listed in its metadata.",
            metadata={
                "versions": dg.MetadataValue.json(
                    [{k: v for k, v in e.items() if k != "name"} for e in entries]
                ),
                "latest_version": entries[-1]["version"],
                "trained_on_release": entries[-1]["release"],
                "trained_on_releases": json.dumps(sorted({e["release"] for e in entries})),
            },
        )
        for name, entries in sorted(registered.items())
    ]
