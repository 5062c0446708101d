"""Governance: PII, licences, consent and takedown, provenance, models, audit and datasheets."""
