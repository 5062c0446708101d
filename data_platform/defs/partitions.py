"""Partition definitions shared by assets, checks and sensors (defined once, imported)."""

import dagster as dg

# One partition per source drop: "<source_id>:<file name>".
BATCHES = "batches"
batch_partitions = dg.DynamicPartitionsDefinition(name=BATCHES)
# One partition per dataset version: "v1", "v2", ...
RELEASES = "releases"
release_partitions = dg.DynamicPartitionsDefinition(name=RELEASES)
