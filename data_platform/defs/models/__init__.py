"""Dagster wiring of the model registry: registered models as external assets downstream of
the release they were trained on."""
