"""A release's dataset card in the Hugging Face layout: README.md with the hub's YAML metadata
(licences, languages, size, the data files of its default config) before the datasheet, so
``datasets.load_dataset(<release folder>)`` reads the records and the hub shows the card."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

# The hub's size buckets: (upper bound, tag).
_SIZES = [(10**3, "n<1K"), (10**4, "1K<n<10K"), (10**5, "10K<n<100K"), (10**6, "100K<n<1M")]
_SIZES += [(10**7, "1M<n<10M"), (10**8, "10M<n<100M"), (10**9, "100M<n<1B"), (10**10, "1B<n<10B")]


def size_category(records: int) -> str:
    return next((tag for bound, tag in _SIZES if records < bound), "n>1T")


def dataset_card(
    manifest: Mapping[str, Any],
    *,
    pretty_name: str,
    hub_licences: list[str],
    datasheet: str,
    tags: list[str],
) -> str:
    """README.md for the release folder: the hub's metadata block, how to load it, the datasheet."""
    languages = sorted(
        lang for lang in manifest["counts"]["by_lang"] if lang and lang.isalpha() and len(lang) <= 3
    )
    metadata: dict[str, Any] = {
        "pretty_name": pretty_name,
        "license": hub_licences[0] if len(hub_licences) == 1 else hub_licences,
        "language": languages,
        "size_categories": [size_category(manifest["record_count"])],
        "task_categories": ["text-classification"],
        "tags": tags,
        "configs": [
            {"config_name": "default", "data_files": [{"split": "train", "path": "records-*.parquet"}]}
        ],
    }
    header = yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True)
    loading = [
        f"# {pretty_name}",
        "",
        f"{manifest['record_count']:,} records, content sha256 `{manifest['content_sha256']}`. "
        "Croissant metadata: `croissant.json`; the datasheet follows.",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        'records = load_dataset("path/to/this/folder", split="train")',
        "```",
        "",
    ]
    return f"---\n{header}---\n\n" + "\n".join(loading) + _demoted(datasheet)


def _demoted(markdown: str) -> str:
    """The datasheet with every heading one level lower, under the card's own title."""
    return "\n".join(f"#{line}" if line.startswith("#") else line for line in markdown.splitlines()) + "\n"
