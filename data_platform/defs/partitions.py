"""Partition definitions shared by assets, checks and sensors (defined once, imported)."""

import dagster as dg

# One partition per source drop: "<source_id>:<file name>".
batch_partitions = dg.DynamicPartitionsDefinition(name="batches")
# One partition per dataset version: "v1", "v2", ...
release_partitions = dg.DynamicPartitionsDefinition(name="releases")
