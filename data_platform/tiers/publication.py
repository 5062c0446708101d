"""What a release folder carries for the tools people load data with: Croissant metadata
(``croissant.json``, validated by mlcroissant) and a Hugging Face dataset card (``README.md``,
so ``datasets.load_dataset(<folder>)`` reads the records)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from data_platform.governance import licences
from data_platform.governance.datasheet import ReleaseCard
from data_platform.interchange.croissant import croissant_metadata
from data_platform.interchange.hf_card import dataset_card
from data_platform.tiers.schema import RELEASE_COLUMN_DESCRIPTIONS, RELEASE_SCHEMA

CROISSANT_FILE = "croissant.json"
CARD_FILE = "README.md"


def write_publication_files(
    staging: Path, final: Path, manifest: Mapping[str, Any], datasheet: str, card: ReleaseCard
) -> None:
    """croissant.json and README.md for the release in ``staging`` (published at ``final``)."""
    version = manifest["version"]
    ids = licences.licence_ids(list(manifest["licences"]))
    name = f"data_platform release {version}"
    description = card.purpose.strip() or f"Dataset version {version} cut by data_platform"
    metadata = croissant_metadata(
        manifest,
        RELEASE_SCHEMA,
        RELEASE_COLUMN_DESCRIPTIONS,
        name=name,
        description=description,
        url=final.resolve().as_uri(),
        licence_urls=[licences.licence_url(key) for key in ids] or ["https://spdx.org/licenses/"],
        cite_as=f"{name}, content sha256 {manifest['content_sha256']}",
    )
    (staging / CROISSANT_FILE).write_text(
        json.dumps(metadata, indent=1, default=str) + "\n", encoding="utf-8"
    )
    tags = ["data-platform", *(["synthetic"] if manifest.get("synthetic", {}).get("records") else [])]
    readme = dataset_card(
        manifest,
        pretty_name=name,
        hub_licences=sorted({licences.hub_licence(key) for key in ids}) or ["unknown"],
        datasheet=datasheet,
        tags=tags,
    )
    (staging / CARD_FILE).write_text(readme, encoding="utf-8")
