"""Releases where people use them: each release folder carries Croissant metadata that
mlcroissant validates and reads, and a Hugging Face dataset card with which
``datasets.load_dataset`` loads the records from the folder."""

import json

import polars as pl
import pytest
import yaml

from data_platform.demo.runner import DemoOutcome
from data_platform.lake.releases import read_manifest, release_dir

pytestmark = pytest.mark.slow


def test_croissant_metadata_validates_and_reads_the_records(demo: DemoOutcome) -> None:
    import mlcroissant as mlc

    folder = release_dir(demo.lake, demo.second_release)
    manifest = read_manifest(demo.lake, demo.second_release)
    document = json.loads((folder / "croissant.json").read_text(encoding="utf-8"))
    assert document["conformsTo"].startswith("http://mlcommons.org/croissant/")
    assert document["version"] == "2.0.0"
    assert sorted(document["license"]) == [
        "https://spdx.org/licenses/CC-BY-3.0.html",
        "https://spdx.org/licenses/CC-BY-SA-4.0.html",
    ]
    dataset = mlc.Dataset(jsonld=str(folder / "croissant.json"))
    assert not dataset.metadata.ctx.issues.errors
    rows = list(dataset.records("records"))
    assert len(rows) == manifest["record_count"]
    released = pl.read_parquet(folder / "records-*.parquet")
    first = rows[0]
    assert first["records/record_id"].decode() == released["record_id"][0]
    labels = {label["records/labels/task"].decode() for label in first["records/labels"]}
    assert labels == {label["task"] for label in released["labels"][0]}


def test_the_release_folder_loads_with_hugging_face_datasets(
    demo: DemoOutcome, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from datasets import load_dataset

    folder = release_dir(demo.lake, demo.second_release)
    manifest = read_manifest(demo.lake, demo.second_release)
    card = (folder / "README.md").read_text(encoding="utf-8")
    _, header, body = card.split("---\n", 2)
    metadata = yaml.safe_load(header)
    assert metadata["license"] == ["cc-by-3.0", "cc-by-sa-4.0"]
    assert metadata["size_categories"] == ["1K<n<10K"] and "synthetic" in metadata["tags"]
    assert {"en", "de", "fr"} <= set(metadata["language"])
    assert "## Datasheet for release v2" in body and "**Synthetic records.**" in body
    records = load_dataset(str(folder), split="train", cache_dir=str(tmp_path / "hf"))
    assert records.num_rows == manifest["record_count"]
    assert {"record_id", "text", "turns", "labels", "synthetic", "synthetic_origin"} <= set(
        records.column_names
    )
    assert sum(records["synthetic"]) == manifest["synthetic"]["records"]
