"""Message templates per language family (en, de, fr, es, it, nl).

Each module defines ``PII`` (templates with planted PII slots, possibly with hard-negative slots
too) and ``NEGATIVE`` (templates with hard-negative slots only). Slots are written ``{NAME}`` or
``{NAME:variant}``; see ``generator.py`` for the slot vocabulary.
"""

from __future__ import annotations

from . import de, en, es, fr, it, nl
from .base import Template

BY_LANGUAGE: dict[str, tuple[tuple[Template, ...], tuple[Template, ...]]] = {
    "en": (en.PII, en.NEGATIVE),
    "de": (de.PII, de.NEGATIVE),
    "fr": (fr.PII, fr.NEGATIVE),
    "es": (es.PII, es.NEGATIVE),
    "it": (it.PII, it.NEGATIVE),
    "nl": (nl.PII, nl.NEGATIVE),
}
