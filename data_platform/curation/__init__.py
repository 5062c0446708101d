"""Curation: cleaning rules, quality heuristics, exact and near deduplication and spot checks, as
functions on Polars frames. A domain: imports text/, lake/, sources/ and interchange/, never
governance or annotation."""
