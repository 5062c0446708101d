"""Dagster wiring of the annotated tier: the labelers asset, annotated_records and its gate,
the annotation round, the human-label import job and sensors (Label Studio inbox, relabel)."""
