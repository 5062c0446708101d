"""Dagster wiring of acquisition: the source registry asset (with its freshness check), the drop
sensor that adds a batch partition per new drop, and the schedule that re-checks freshness."""
