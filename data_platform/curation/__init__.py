"""Curation: normalisation, filtering and deduplication as functions on Polars frames."""
