from pathlib import Path

import pytest
import yaml

from data_platform.errors import RegistryError
from data_platform.sources.registry import load_registry, normalise_licence


def write_registry(tmp_path: Path, sources: list[dict]) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    return path


def valid_entry(**changes: object) -> dict:
    entry = {
        "id": "news",
        "owner": "team:data",
        "licence": "CC-BY-4.0",
        "consent": "public-dataset",
        "domain": "news",
        "languages": ["en", "de"],
        "kind": "text",
        "format": "jsonl.gz",
        "drop_folder": "drops/news",
        "refresh_cadence": "6h",
        "fields": {"id": "uid", "text": "body"},
    }
    entry.update(changes)
    return entry


def test_valid_source_is_loaded_with_resolved_paths_and_cadence(tmp_path: Path) -> None:
    registry = load_registry(write_registry(tmp_path, [valid_entry()]))
    source = registry.get("news")
    assert registry.errors == ()
    assert source.drop_folder == (tmp_path / "drops/news").resolve()
    assert source.refresh_cadence_seconds == 6 * 3600
    assert source.fields.text == "body" and source.fields.id == "uid"
    assert source.languages == ("en", "de")


def test_unknown_licence_rejects_that_source_only_and_names_file_source_and_field(tmp_path: Path) -> None:
    path = write_registry(tmp_path, [valid_entry(), valid_entry(id="forum", licence="Forum-Terms-1.0")])
    registry = load_registry(path)
    assert list(registry.sources) == ["news"]
    [error] = registry.errors
    assert (error.source_id, error.field) == ("forum", "licence")
    assert str(path) in str(error) and "Forum-Terms-1.0" in str(error)
    with pytest.raises(KeyError, match="rejected"):
        registry.get("forum")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("cc-by-sa-4.0", "CC-BY-SA-4.0"),
        ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
        ("LicenseRef-Internal-Agreement", "LicenseRef-Internal-Agreement"),
    ],
)
def test_spdx_expressions_are_normalised(expression: str, expected: str) -> None:
    assert normalise_licence(expression) == expected


@pytest.mark.parametrize("expression", ["Foo-1.0", "MIT AND (", "", "GPL-2.0 WITH Made-Up-Exception"])
def test_invalid_licence_expressions_raise(expression: str) -> None:
    with pytest.raises(ValueError):
        normalise_licence(expression)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "image"}, "kind"),
        ({"format": "xml"}, "format"),
        ({"refresh_cadence": "often"}, "refresh_cadence"),
        ({"languages": ["English"]}, "languages"),
        ({"id": "Bad Id"}, "id"),
        ({"owner": None}, "owner"),
        ({"fields": {"body": "text"}}, "fields"),
        ({"fields": {"opt_out": "user.opt-out"}}, "fields.opt_out"),
        ({"max_quarantine_rate": 2}, "max_quarantine_rate"),
        ({"synthetic": "yes"}, "synthetic"),
        ({"synthetic": True, "kind": "conversation"}, "synthetic"),
    ],
)
def test_each_invalid_field_is_named(tmp_path: Path, changes: dict, field: str) -> None:
    registry = load_registry(write_registry(tmp_path, [valid_entry(**changes)]))
    assert registry.sources == {}
    assert [e.field for e in registry.errors] == [field]


def test_duplicate_source_ids_are_rejected(tmp_path: Path) -> None:
    registry = load_registry(write_registry(tmp_path, [valid_entry(), valid_entry()]))
    assert list(registry.sources) == ["news"]
    assert [e.problem for e in registry.errors] == ["duplicate source id"]


@pytest.mark.parametrize("content", ["sources: [", "just a string", "sources: {}"])
def test_unusable_registry_file_raises_registry_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError, match=str(path)):
        load_registry(path)


def test_missing_registry_file_raises_registry_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="cannot read"):
        load_registry(tmp_path / "absent.yaml")
