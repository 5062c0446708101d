"""Dagster wiring of the ingest area."""
