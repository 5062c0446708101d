"""Dagster wiring of the cleaned tier: cleaned_records (tiers/cleaned.py) and its gate."""
