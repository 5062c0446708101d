"""Acquisition: the source registry, readers per drop format and the canonical record schema."""
