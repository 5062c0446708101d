"""Dagster wiring of the raw tier: raw_records (tiers/raw.py) and its gate."""
