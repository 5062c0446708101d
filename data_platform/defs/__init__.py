"""Dagster wiring, one package per tier or area; domain logic lives outside ``defs``."""
