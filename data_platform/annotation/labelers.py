"""Labelers behind one small interface, and the calibrated text classifier we train.

A labeler has a ``name``, a ``version``, the ``task`` it labels, its ``label_set`` and whether
a record may carry several labels (``multi_label``); ``predict_proba(texts)`` gives one
calibrated probability per label and record. ``label_entries`` turns those into entries of the
annotated tier's ``labels`` column (task, value, confidence, labeler, version, human_confirmed):
the most probable label, or for multi-label tasks every label at or above the labeler's
threshold (at least the most probable one).

``TextClassifier`` is the one we train (scikit-learn): TF-IDF word 1-2-grams and character
2-4-grams, logistic regression (one model over all classes, or one per label for multi-label
tasks), fitted on 80% of the examples; the other 20% calibrate it: temperature scaling for a
single-label task (one temperature, the ranking unchanged), Platt scaling per label for a
multi-label one. A saved classifier's version is the sha256 of its file, checked on load.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import polars as pl

from data_platform.annotation.labels import LABEL
from data_platform.errors import InputFileError

CALIBRATION_SHARE = 0.2


class Labeler(Protocol):
    name: str
    version: str
    task: str
    label_set: tuple[str, ...]
    multi_label: bool
    threshold: float

    def predict_proba(self, texts: pl.Series) -> np.ndarray: ...


def label_entries(labeler: Labeler, texts: pl.Series, probabilities: np.ndarray | None = None) -> pl.Series:
    """Per record, the ``labels`` entries ``labeler`` gives (a list of LABEL structs)."""
    proba = labeler.predict_proba(texts) if probabilities is None else probabilities
    chosen = proba >= labeler.threshold if labeler.multi_label else np.zeros(proba.shape, dtype=bool)
    chosen[np.arange(len(proba)), proba.argmax(axis=1)] = True
    rows, columns = np.nonzero(chosen)
    entries = pl.DataFrame(
        {
            "row": rows,
            "task": labeler.task,
            "value": np.asarray(labeler.label_set, dtype=object)[columns],
            "confidence": proba[rows, columns].astype(np.float64),
            "labeler": labeler.name,
            "labeler_version": labeler.version,
            "human_confirmed": False,
        },
        schema_overrides={"value": pl.String},
    )
    grouped = entries.group_by("row").agg(labels=pl.struct(*LABEL.to_schema()))
    every = pl.DataFrame({"row": np.arange(len(proba), dtype=rows.dtype)})
    return every.join(grouped, on="row", how="left", maintain_order="left")["labels"].cast(pl.List(LABEL))


@dataclass
class TextClassifier:
    task: str
    label_set: tuple[str, ...]
    multi_label: bool = False
    threshold: float = 0.5
    name: str = "tfidf-logreg"
    version: str = ""
    features: Any = field(default=None, repr=False)
    model: Any = field(default=None, repr=False)
    # Per label (multi-label): the Platt-scaled binary models.
    label_models: list[Any] = field(default_factory=list, repr=False)

    @classmethod
    def train(
        cls,
        task: str,
        texts: list[str],
        labels: list[str] | list[list[str]],
        *,
        multi_label: bool = False,
        seed: int = 0,
        regularisation: float = 10.0,
    ) -> TextClassifier:
        """Fit on 80% of the examples and calibrate on the rest (stratified where every class
        has two examples)."""
        from sklearn.model_selection import train_test_split

        label_set = tuple(sorted({v for item in labels for v in (item if multi_label else [item])}))
        if len(label_set) < 2:
            raise ValueError(f"{task}: training needs at least two labels, found {list(label_set)}")
        classifier = cls(task, label_set, multi_label)
        target = classifier._target(labels)
        stratify = None if multi_label or min(np.bincount(target)) < 2 else target
        fit_rows, calibration_rows = train_test_split(
            np.arange(len(texts)), test_size=CALIBRATION_SHARE, random_state=seed, stratify=stratify
        )
        classifier.features = _features().fit([texts[i] for i in fit_rows])
        matrix = classifier.features.transform(texts)
        if multi_label:
            classifier._fit_per_label(matrix, target, fit_rows, calibration_rows, regularisation)
        else:
            classifier._fit_all_classes(matrix, target, fit_rows, calibration_rows, regularisation)
        classifier.version = hashlib.sha256(classifier._payload()).hexdigest()[:12]
        return classifier

    def _payload(self) -> bytes:
        """The saved form: the classifier without its version (the version is this hash)."""
        return pickle.dumps(replace(self, version=""))

    def _target(self, labels: list[str] | list[list[str]]) -> np.ndarray:
        index = {label: i for i, label in enumerate(self.label_set)}
        if not self.multi_label:
            return np.array([index[label] for label in labels])
        target = np.zeros((len(labels), len(self.label_set)), dtype=np.int8)
        for row, values in enumerate(labels):
            target[row, [index[v] for v in values]] = 1
        return target

    def _fit_all_classes(self, matrix, target, fit_rows, calibration_rows, regularisation: float) -> None:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.frozen import FrozenEstimator
        from sklearn.linear_model import LogisticRegression

        fitted = LogisticRegression(C=regularisation, max_iter=300).fit(matrix[fit_rows], target[fit_rows])
        calibrated = CalibratedClassifierCV(FrozenEstimator(fitted), method="temperature")
        self.model = calibrated.fit(matrix[calibration_rows], target[calibration_rows])

    def _fit_per_label(self, matrix, target, fit_rows, calibration_rows, regularisation: float) -> None:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.frozen import FrozenEstimator
        from sklearn.linear_model import LogisticRegression

        for column in range(target.shape[1]):
            fitted = LogisticRegression(C=regularisation, max_iter=300).fit(
                matrix[fit_rows], target[fit_rows, column]
            )
            calibrated = CalibratedClassifierCV(FrozenEstimator(fitted), method="sigmoid")
            self.label_models.append(
                calibrated.fit(matrix[calibration_rows], target[calibration_rows, column])
            )

    def predict_proba(self, texts: pl.Series) -> np.ndarray:
        matrix = self.features.transform(texts.fill_null("").to_list())
        if not self.multi_label:
            proba = np.zeros((matrix.shape[0], len(self.label_set)))
            proba[:, self.model.classes_] = self.model.predict_proba(matrix)
            return proba
        return np.column_stack([model.predict_proba(matrix)[:, 1] for model in self.label_models])

    def save(self, folder: Path) -> Path:
        """Write ``<task>-<version>.pkl`` into ``folder``; its sha256 starts with the version."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.task}-{self.version}.pkl"
        path.write_bytes(self._payload())
        return path


def load_labeler(path: Path) -> TextClassifier:
    """A classifier saved with ``save`` (pickle: load only files the platform wrote); its file
    hash must match the name, so a changed artefact is never used under an old version."""
    payload = path.read_bytes()
    expected = path.stem.rsplit("-", 1)[-1]
    if hashlib.sha256(payload).hexdigest()[:12] != expected:
        raise InputFileError(str(path), None, "-", "content does not match the hash in its name")
    labeler = pickle.loads(payload)
    labeler.version = expected
    return labeler


def _features() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    return make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), min_df=3, sublinear_tf=True, max_features=30_000
        ),
    )
