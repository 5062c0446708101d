"""Dagster wiring of feedback in: the inbox sensor, report partitions with their gate, and the
collection requests the slices models fail on become (tiers/feedback.py)."""
