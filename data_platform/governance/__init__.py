"""Governance: PII, licences, consent and takedown, provenance, models, audit and datasheets. A
domain: imports text/, lake/ and sources/, never curation or annotation."""
