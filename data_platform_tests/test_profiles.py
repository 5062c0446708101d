"""The instance profiles (issue 16, item 5): the local dagster.yaml, PostgreSQL + Celery, and
Kubernetes. Each is checked against Dagster's instance schema and the config schema of every
class it names (dagster-postgres's storage, dagster-k8s's run launcher), as Dagster would read it
at start-up, with the environment it expects; a broken copy is refused."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from dagster._config import process_config
from dagster._core.instance.config import dagster_instance_config
from dagster_postgres import DagsterPostgresStorage

from data_platform_tests.conftest import PROJECT_ROOT

PROFILES = {
    "local": PROJECT_ROOT / "dagster.yaml",
    "celery": PROJECT_ROOT / "deploy" / "celery" / "dagster.yaml",
    "kubernetes": PROJECT_ROOT / "deploy" / "kubernetes" / "dagster.yaml",
}
ENVIRONMENT = {
    "DAGSTER_PG_HOST": "postgres.internal",
    "DAGSTER_PG_PORT": "5432",
    "DAGSTER_PG_USER": "dagster",
    "DAGSTER_PG_PASSWORD": "secret",
    "DAGSTER_PG_DB": "dagster",
    "DAGSTER_K8S_NAMESPACE": "data-platform",
}


def schema_errors(document: dict[str, Any], folder: Path) -> list[str]:
    """What Dagster would refuse in this instance document: the instance schema, then the config
    of its storage and run launcher against their classes' own schemas."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dagster.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    try:
        dagster_instance_config(str(folder))
    except Exception as error:  # noqa: BLE001 - the refusal is what is being tested
        return [str(error)]
    errors = []
    if "postgres" in document.get("storage", {}):
        errors += _class_errors(DagsterPostgresStorage, document["storage"]["postgres"])
    launcher = document.get("run_launcher")
    if launcher is not None:
        launcher_class = getattr(importlib.import_module(launcher["module"]), launcher["class"])
        errors += _class_errors(launcher_class, launcher.get("config", {}))
    return errors


def _class_errors(configurable: Any, config: dict[str, Any]) -> list[str]:
    result = process_config(configurable.config_type(), config)
    return [] if result.success else [error.message for error in result.errors]


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_each_profile_is_what_dagster_and_its_libraries_accept(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in ENVIRONMENT.items():
        monkeypatch.setenv(key, value)
    document = yaml.safe_load(PROFILES[name].read_text(encoding="utf-8"))
    assert schema_errors(document, tmp_path / name) == []


def test_the_kubernetes_profile_needs_its_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in ENVIRONMENT.items():
        if key != "DAGSTER_K8S_NAMESPACE":
            monkeypatch.setenv(key, value)
    monkeypatch.delenv("DAGSTER_K8S_NAMESPACE", raising=False)
    document = yaml.safe_load(PROFILES["kubernetes"].read_text(encoding="utf-8"))
    assert any("DAGSTER_K8S_NAMESPACE" in error for error in schema_errors(document, tmp_path))


@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("run_launcher.config", {"volume_mount": [{"name": "lake", "mountPath": "/lake"}]}),
        ("run_launcher.config", {"load_incluster_config": "yes"}),
        ("storage.postgres.postgres_db", {"port": "not a port"}),
        ("concurrency.runs", {"max_concurrent_runs": "four"}),
    ],
)
def test_a_broken_kubernetes_profile_is_refused(
    where: str, change: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in ENVIRONMENT.items():
        monkeypatch.setenv(key, value)
    document = yaml.safe_load(PROFILES["kubernetes"].read_text(encoding="utf-8"))
    section = document
    for key in where.split("."):
        section = section[key]
    section.update(change)
    assert schema_errors(document, tmp_path) != []
