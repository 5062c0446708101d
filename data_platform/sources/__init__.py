"""Acquisition: the source registry (what each source declares), drops, readers per format and
the canonical record schema. Imports text/ and lake/ only."""
