"""Text drift as a classifier two-sample test: can a model tell the two versions' texts apart?

A logistic regression over word and bigram TF-IDF is trained to say which version a text came
from; its cross-validated ROC AUC is the drift signal (0.5: indistinguishable, 1.0: disjoint)
and its largest coefficients name the terms that tell each version apart. Each side is a seeded
sample, so the cost does not grow with the release.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict

from data_platform.evaluation.profile import non_empty

SAMPLE_PER_SIDE = 10_000
MIN_PER_SIDE = 20  # fewer texts than this on a side give an AUC too noisy to report
FOLDS = 5
TERMS = 15
SEED = 17


@dataclass(frozen=True)
class TextDrift:
    """The AUC of telling ``current`` from ``reference``, the texts each side was judged on, and
    the terms most typical of each side (term, coefficient)."""

    auc: float | None
    reference_texts: int
    current_texts: int
    reference_terms: list[tuple[str, float]]
    current_terms: list[tuple[str, float]]
    reason: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "auc": self.auc,
            "reference_texts": self.reference_texts,
            "current_texts": self.current_texts,
            "reference_terms": [t for t, _ in self.reference_terms],
            "current_terms": [t for t, _ in self.current_terms],
            "reason": self.reason,
        }


def text_drift(
    reference: pl.Series, current: pl.Series, sample: int = SAMPLE_PER_SIDE, shared_terms_only: bool = False
) -> TextDrift:
    """The classifier two-sample test on non-empty texts of each side. With
    ``shared_terms_only`` the classifier sees only terms both sides use: new names and topics
    cannot give a side away, only how the common language is used (what tells generated text
    from real text with new content in it)."""
    ref, cur = _sample(reference, sample), _sample(current, sample)
    if min(len(ref), len(cur)) < MIN_PER_SIDE:
        why = f"fewer than {MIN_PER_SIDE} non-empty texts on a side ({len(ref)} and {len(cur)})"
        return TextDrift(None, len(ref), len(cur), [], [], why)
    texts = ref + cur
    side = np.concatenate([np.zeros(len(ref), np.int8), np.ones(len(cur), np.int8)])
    vocabulary = _shared_terms(ref, cur) if shared_terms_only else None
    if vocabulary is not None and not vocabulary:
        return TextDrift(0.5, len(ref), len(cur), [], [], "no term occurs on both sides")
    vectoriser = TfidfVectorizer(
        ngram_range=(1, 2),
        min_df=1 if vocabulary else 2,
        sublinear_tf=True,
        max_features=200_000,
        vocabulary=vocabulary,
    )
    try:
        features = vectoriser.fit_transform(texts)
    except ValueError:  # no term in two texts: nothing to tell the sides apart by
        return TextDrift(0.5, len(ref), len(cur), [], [], "no term occurs in two texts")
    model = LogisticRegression(C=1.0, max_iter=1000)
    # Copies of one text (a record both versions hold) share a fold: trained on one copy as the
    # parent's, the model would call the other the parent's too and the AUC would fall below 0.5.
    copies = pl.Series(texts).hash(SEED).to_numpy()
    folds = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=SEED)
    scores = cross_val_predict(model, features, side, groups=copies, cv=folds, method="decision_function")
    weights = model.fit(features, side).coef_[0]
    terms = vectoriser.get_feature_names_out()
    order = np.argsort(weights)
    return TextDrift(
        auc=float(roc_auc_score(side, scores)),
        reference_texts=len(ref),
        current_texts=len(cur),
        reference_terms=[(str(terms[k]), float(weights[k])) for k in order[:TERMS] if weights[k] < 0],
        current_terms=[(str(terms[k]), float(weights[k])) for k in order[::-1][:TERMS] if weights[k] > 0],
    )


def _shared_terms(reference: list[str], current: list[str]) -> list[str]:
    """The words and bigrams found in texts of both sides."""
    seen = [set(CountVectorizer(ngram_range=(1, 2)).fit(side).vocabulary_) for side in (reference, current)]
    return sorted(seen[0] & seen[1])


def _sample(texts: pl.Series, size: int) -> list[str]:
    present = non_empty(texts)
    if present.len() > size:
        present = present.sample(size, seed=SEED)
    return present.to_list()
