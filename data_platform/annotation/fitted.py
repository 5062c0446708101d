"""What a trained labeler needs to label, as plain arrays: no scikit-learn at inference.

A ``TextClassifier`` (labelers.py) is trained and saved with scikit-learn objects in a skops
file. Loading one audits and rebuilds every object, which cost each run that labels a batch
several seconds (importing skops and scikit-learn, then the vocabularies entry by entry). Its
inference form here is the compiled features (tfidf.py), the logistic regressions' weights and
the calibration: the same probabilities, stored as arrays beside the skops file
(lake/artefacts.py ``save_sidecar``) and read back in a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from scipy.special import expit

from data_platform.annotation.tfidf import CompiledFeatures

FORMAT = 1


@dataclass(frozen=True)
class Linear:
    """A fitted logistic regression's inference: ``decision_function`` and ``predict_proba`` as
    scikit-learn's ``LogisticRegression`` computes them (one score for two classes, the
    logistic of it; a softmax over three or more)."""

    coef_: np.ndarray
    intercept_: np.ndarray
    classes_: np.ndarray

    @classmethod
    def of(cls, model: Any) -> Linear:
        return cls(np.asarray(model.coef_), np.asarray(model.intercept_), np.asarray(model.classes_))

    def decision_function(self, matrix: Any) -> np.ndarray:
        scores = np.asarray(matrix @ self.coef_.T) + self.intercept_
        return scores.reshape(-1) if scores.shape[1] == 1 else scores

    def predict_proba(self, matrix: Any) -> np.ndarray:
        scores = self.decision_function(matrix)
        if scores.ndim == 1:
            positive = expit(scores)
            return np.stack([1 - positive, positive], axis=1)
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            f"{prefix}.coef": self.coef_,
            f"{prefix}.intercept": self.intercept_,
            f"{prefix}.classes": self.classes_,
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> Linear:
        return cls(arrays[f"{prefix}.coef"], arrays[f"{prefix}.intercept"], arrays[f"{prefix}.classes"])


@dataclass
class FittedClassifier:
    """A trained ``TextClassifier``'s inference form (a ``Labeler``): the compiled features, one
    multinomial model scaled by its temperature, or per label a binary model and its Platt
    scaler (None where the label was not calibrated)."""

    task: str
    label_set: tuple[str, ...]
    multi_label: bool
    threshold: float
    name: str
    version: str
    features: CompiledFeatures = field(repr=False)
    model: Linear | None = field(default=None, repr=False)
    temperature: float = 1.0
    label_models: list[tuple[Linear, Linear | None]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.label_models:
            # every label's weights as one matrix: one sparse product scores every label
            self._weights = np.vstack([model.coef_ for model, _ in self.label_models]).T
            self._intercepts = np.concatenate([model.intercept_ for model, _ in self.label_models])

    def predict_proba(self, texts: pl.Series, calibrated: bool = True) -> np.ndarray:
        """Probabilities per record and label; ``calibrated=False`` gives the models' own (to
        measure what calibration changed)."""
        matrix = self.features.transform(texts)
        if self.model is not None:
            return self._single_label(matrix, calibrated)
        scores = np.asarray(matrix @ self._weights) + self._intercepts
        columns = []
        for column, (_, platt) in enumerate(self.label_models):
            if calibrated and platt is not None:
                columns.append(platt.predict_proba(scores[:, column : column + 1])[:, 1])
            else:
                columns.append(expit(scores[:, column]))
        return np.column_stack(columns)

    def _single_label(self, matrix: Any, calibrated: bool) -> np.ndarray:
        assert self.model is not None
        scores = self.model.decision_function(matrix)
        # a two-class model gives one score: the second class against the first
        logits = np.column_stack([np.zeros_like(scores), scores]) if scores.ndim == 1 else scores
        logits = logits / (self.temperature if calibrated else 1.0)
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=1, keepdims=True)
        if len(self.model.classes_) == len(self.label_set):  # every label learnt
            return logits
        proba = np.zeros((matrix.shape[0], len(self.label_set)))
        proba[:, self.model.classes_] = logits
        return proba

    def arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """Arrays and settings that rebuild this classifier (``from_arrays``)."""
        arrays, features = self.features.arrays()
        if self.model is not None:
            arrays |= self.model.arrays("model")
        for k, (model, platt) in enumerate(self.label_models):
            arrays |= model.arrays(f"label{k}")
            if platt is not None:
                arrays |= platt.arrays(f"platt{k}")
        meta = {
            "format": FORMAT,
            "task": self.task,
            "label_set": list(self.label_set),
            "multi_label": self.multi_label,
            "threshold": self.threshold,
            "name": self.name,
            "temperature": self.temperature,
            "features": features,
            "single_model": self.model is not None,
            "label_models": len(self.label_models),
        }
        return arrays, meta

    @classmethod
    def from_arrays(
        cls, arrays: dict[str, np.ndarray], meta: dict[str, Any], version: str
    ) -> FittedClassifier:
        if meta.get("format") != FORMAT:
            raise ValueError(f"inference form {meta.get('format')!r}, expected {FORMAT}")
        return cls(
            task=meta["task"],
            label_set=tuple(meta["label_set"]),
            multi_label=bool(meta["multi_label"]),
            threshold=float(meta["threshold"]),
            name=meta["name"],
            version=version,
            features=CompiledFeatures.from_arrays(arrays, meta["features"]),
            model=Linear.from_arrays(arrays, "model") if meta["single_model"] else None,
            temperature=float(meta["temperature"]),
            label_models=[
                (
                    Linear.from_arrays(arrays, f"label{k}"),
                    Linear.from_arrays(arrays, f"platt{k}") if f"platt{k}.coef" in arrays else None,
                )
                for k in range(int(meta["label_models"]))
            ],
        )
