"""Adversarial drop files for the ingestion contract (see README.md)."""
