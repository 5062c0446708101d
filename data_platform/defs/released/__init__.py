"""Dagster wiring of the released area."""
