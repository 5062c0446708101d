"""Dagster wiring of the released tier: released_dataset (tiers/released.py), its gate
(quality/release.py), its evaluation (tiers/evaluated.py) and the release sensor."""
