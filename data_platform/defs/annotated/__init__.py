"""Dagster wiring of the annotated area."""
