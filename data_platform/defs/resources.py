"""Resources: where the lake is and which source registry to use."""

from pathlib import Path

import dagster as dg
from pydantic import Field

from data_platform import settings
from data_platform.lake.store import Lake
from data_platform.sources.registry import Registry, load_registry


class LakeResource(dg.ConfigurableResource):
    """The lake root: tiers, quarantine, gates, releases and the DuckDB catalog live under it.

    Example::

        defs = dg.Definitions(resources={"lake": LakeResource(root="/data/lake")})
    """

    root: str = Field(description="Absolute path of the lake root folder")

    def lake(self) -> Lake:
        return Lake(self.root)


class RegistryResource(dg.ConfigurableResource):
    """The source registry YAML file (sources, licences, consent, drop folders)."""

    path: str = Field(description="Path of the source registry YAML file")

    def load(self) -> Registry:
        return load_registry(self.path)


def resources_for(lake_root: Path, registry: Path) -> dict[str, dg.ConfigurableResource]:
    return {"lake": LakeResource(root=str(lake_root)), "registry": RegistryResource(path=str(registry))}


def default_resources() -> dict[str, dg.ConfigurableResource]:
    """Resources from DATA_PLATFORM_HOME / DATA_PLATFORM_REGISTRY (see data_platform.settings)."""
    return resources_for(settings.lake_root(), settings.registry_path())
