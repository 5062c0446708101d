"""Dagster wiring of the cleaned area."""
