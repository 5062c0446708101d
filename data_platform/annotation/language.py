"""Language identification with py3langid (a maintained fork of langid.py, model bundled).

Chosen by measurement on the 29,977 UD sentences in 17 languages (docs/benchmarks.md): 97.0%
accuracy against lingua's 97.3% in high-accuracy mode, at 6.5x its speed on one core and with
~1.4 GB less memory; lingua's low-accuracy mode falls to 93.8%.
"""

from __future__ import annotations

from functools import cached_property
from importlib.metadata import version

import polars as pl
from py3langid.langid import MODEL_FILE
from py3langid.langid import LanguageIdentifier as _Identifier

LABELER = "py3langid"
UNDETERMINED = "und"
MIN_CHARS = 3


class LanguageIdentifier:
    """Predicts an ISO 639-1 code and a normalised probability per text.

    Texts shorter than ``MIN_CHARS`` characters get ``und`` with confidence 0: no model can
    tell the language of "ok". Each distinct text is classified once.
    """

    name = LABELER

    def __init__(self, languages: list[str] | None = None) -> None:
        self.languages = sorted(languages) if languages else None

    @cached_property
    def _model(self) -> _Identifier:
        model = _Identifier.from_model_file(MODEL_FILE, norm_probs=True)
        if self.languages:
            model.set_languages(self.languages)
        return model

    @property
    def version(self) -> str:
        scope = ",".join(self.languages) if self.languages else "all"
        return f"{version('py3langid')}+{scope}"

    def identify(self, texts: list[str | None]) -> pl.DataFrame:
        """Return columns ``lang`` and ``lang_confidence`` aligned with ``texts``."""
        distinct = pl.Series("text", texts, dtype=pl.String).unique(maintain_order=True)
        langs, confidences = [], []
        classify = self._model.classify
        for text in distinct.to_list():
            if text is None or len(text.strip()) < MIN_CHARS:
                langs.append(UNDETERMINED)
                confidences.append(0.0)
            else:
                lang, probability = classify(text)
                langs.append(lang)
                confidences.append(float(probability))
        table = pl.DataFrame(
            {"text": distinct, "lang": langs, "lang_confidence": confidences},
            schema={"text": pl.String, "lang": pl.String, "lang_confidence": pl.Float64},
        )
        return (
            pl.DataFrame({"text": texts}, schema={"text": pl.String})
            .join(table, on="text", how="left", maintain_order="left", nulls_equal=True)
            .select("lang", "lang_confidence")
        )
