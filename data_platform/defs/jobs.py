"""Jobs: the per-batch ingest path, the release, and the registry/freshness refresh."""

import dagster as dg

from data_platform.defs.annotated.assets import annotated_records
from data_platform.defs.cleaned.assets import cleaned_records
from data_platform.defs.ingest.assets import source_registry
from data_platform.defs.raw.assets import raw_records
from data_platform.defs.released.assets import released_dataset

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.assets(raw_records, cleaned_records, annotated_records),
    description="raw -> cleaned -> annotated for one batch, each tier gated by its GX check.",
)
release_job = dg.define_asset_job(
    "release_job",
    selection=dg.AssetSelection.assets(released_dataset),
    description="Cut one dataset version from every annotated batch that passed its gate.",
)
registry_job = dg.define_asset_job(
    "registry_job",
    selection=dg.AssetSelection.assets(source_registry),
    description="Re-read the source registry and check every source's freshness.",
)
