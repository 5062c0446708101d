"""Dagster wiring of the raw area."""
