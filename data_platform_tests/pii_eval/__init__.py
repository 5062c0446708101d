"""Independent evaluation set for the PII detector: locale-specific support messages with planted
PII spans and hard negatives (``generator``), and the recall/precision rules (``score``).

Written against national numbering plans, the IBAN registry and how people write in each
language, not against the detector's code. See README.md in this folder.
"""
