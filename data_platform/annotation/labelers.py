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
multi-label one. A saved classifier's version is the sha256 of its file, checked on load; the
file is a skops artefact (lake/artefacts.py): loading it cannot run code. Labelling reads its
inference form (fitted.py), kept beside it as arrays, without scikit-learn.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol, cast

import numpy as np
import polars as pl

from data_platform.annotation.fitted import FittedClassifier, Linear
from data_platform.annotation.tfidf import CompiledFeatures
from data_platform.errors import InputFileError
from data_platform.lake.artefacts import (
    artefact_bytes,
    artefact_version,
    load_artefact,
    load_sidecar,
    save_artefact,
    save_sidecar,
)

CALIBRATION_SHARE = 0.2
MIN_LABEL_EXAMPLES = 10
LABEL = pl.Struct(
    {
        "task": pl.String,
        "value": pl.String,
        "confidence": pl.Float64,
        "labeler": pl.String,
        "labeler_version": pl.String,
        "human_confirmed": pl.Boolean,
    }
)


class Labeler(Protocol):
    name: str
    task: str
    label_set: tuple[str, ...]
    multi_label: bool
    threshold: float

    @property
    def version(self) -> str: ...

    def predict_proba(self, texts: pl.Series) -> np.ndarray: ...


class ReadsEmotion(Protocol):
    """A labeler that combines the emotion labeler's probabilities (tone, annotation/tone.py)."""

    def predict_proba(self, texts: pl.Series, emotion_proba: np.ndarray | None = None) -> np.ndarray: ...


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


def task_entries(texts: pl.Series, labelers: Mapping[str, Labeler]) -> list[pl.Series]:
    """Each labeler's ``labels`` entries for ``texts``, in task order. Each distinct text is
    labelled once; the emotion labeler's probabilities are computed once and handed to the
    tone labeler that reads them."""
    texts = texts.fill_null("").rename("text")
    distinct = texts.unique(maintain_order=True)
    entries = _distinct_entries(distinct, labelers)
    if len(distinct) == len(texts) or not entries:
        return entries
    table = pl.DataFrame([distinct, *(series.rename(f"task{k}") for k, series in enumerate(entries))])
    spread = texts.to_frame().join(table, on="text", how="left", maintain_order="left")
    return [spread[f"task{k}"].rechunk() for k in range(len(entries))]


def _distinct_entries(texts: pl.Series, labelers: Mapping[str, Labeler]) -> list[pl.Series]:
    emotion = labelers.get("emotion") or getattr(labelers.get("tone"), "emotion", None)
    emotion_proba = emotion.predict_proba(texts) if emotion is not None else None
    entries = []
    for task in sorted(labelers):
        labeler = labelers[task]
        if task == "emotion":
            entries.append(label_entries(labeler, texts, emotion_proba))
        elif task == "tone":
            tone = cast(ReadsEmotion, labeler)  # the tone task's labeler is always a ToneLabeler
            entries.append(label_entries(labeler, texts, tone.predict_proba(texts, emotion_proba)))
        else:
            entries.append(label_entries(labeler, texts))
    return entries


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
    temperature: float = 1.0
    # Labels of the examples with too few of them to learn (multi-label tasks).
    unlearnt: tuple[str, ...] = ()
    # Per label (multi-label): the binary model and its Platt scaler (None: not calibrated).
    label_models: list[tuple[Any, Any]] = field(default_factory=list, repr=False)

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

        rows = [item if isinstance(item, list) else [item] for item in labels]
        counts = Counter(value for row in rows for value in row)
        # A multi-label task learns one model per label: too few positives cannot make one.
        floor = MIN_LABEL_EXAMPLES if multi_label else 1
        label_set = tuple(sorted(label for label, n in counts.items() if n >= floor))
        if len(label_set) < 2:
            raise ValueError(f"{task}: training needs at least two labels, found {list(label_set)}")
        classifier = cls(task, label_set, multi_label)
        classifier.unlearnt = tuple(sorted(set(counts) - set(label_set)))
        target = classifier._target(labels)
        stratify = None if multi_label or min(np.bincount(target)) < 2 else target
        fit_rows, calibration_rows = train_test_split(
            np.arange(len(texts)), test_size=CALIBRATION_SHARE, random_state=seed, stratify=stratify
        )
        classifier.features = text_features().fit([texts[i] for i in fit_rows])
        matrix = classifier.features.transform(texts)
        if multi_label:
            classifier._fit_per_label(matrix, target, fit_rows, calibration_rows, regularisation)
        else:
            classifier._fit_all_classes(matrix, target, fit_rows, calibration_rows, regularisation)
        classifier.version = hashlib.sha256(classifier._payload()).hexdigest()[:12]
        return classifier

    def _payload(self) -> bytes:
        """The saved form: the classifier without its version (the version is this hash)."""
        for _, vectorizer in self.features.transformer_list:
            # The memory address of the stop-word list, a cache key sklearn sets on every
            # transform and reads with getattr: saved, it would change the hash every run.
            vectorizer.__dict__.pop("_stop_words_id", None)
        return artefact_bytes(replace(self, version=""))

    def _target(self, labels: list[str] | list[list[str]]) -> np.ndarray:
        index = {label: i for i, label in enumerate(self.label_set)}
        if not self.multi_label:
            return np.array([index[_single(label)] for label in labels])
        target = np.zeros((len(labels), len(self.label_set)), dtype=np.int8)
        for row, values in enumerate(labels):
            target[row, [index[v] for v in values if v in index]] = 1
        return target

    def _fit_all_classes(self, matrix, target, fit_rows, calibration_rows, regularisation: float) -> None:
        """One multinomial model, then the temperature that minimises the negative log-likelihood
        of the held-out rows (the ranking of labels is unchanged)."""
        from scipy.optimize import minimize_scalar
        from sklearn.linear_model import LogisticRegression

        self.model = LogisticRegression(C=regularisation, max_iter=300).fit(
            matrix[fit_rows], target[fit_rows]
        )
        known = np.isin(target[calibration_rows], self.model.classes_)
        rows = calibration_rows[known]
        logits = self._logits(matrix[rows])
        truth = np.searchsorted(self.model.classes_, target[rows])

        def nll(log_t: float) -> float:
            scaled = logits / np.exp(log_t)
            scaled -= scaled.max(axis=1, keepdims=True)
            return float(np.mean(np.log(np.exp(scaled).sum(axis=1)) - scaled[np.arange(len(rows)), truth]))

        self.temperature = float(np.exp(minimize_scalar(nll, bounds=(-3, 3), method="bounded").x))

    def _fit_per_label(self, matrix, target, fit_rows, calibration_rows, regularisation: float) -> None:
        """One binary model per label, each Platt-scaled (a logistic regression on its decision
        value) on the held-out rows; a label absent from them keeps its model's probabilities."""
        from sklearn.linear_model import LogisticRegression

        for column in range(target.shape[1]):
            model = LogisticRegression(C=regularisation, max_iter=300).fit(
                matrix[fit_rows], target[fit_rows, column]
            )
            held_out = target[calibration_rows, column]
            platt = None
            if 0 < held_out.sum() < len(held_out):
                scores = model.decision_function(matrix[calibration_rows]).reshape(-1, 1)
                platt = LogisticRegression(C=1e4).fit(scores, held_out)
            self.label_models.append((model, platt))

    def _logits(self, matrix) -> np.ndarray:
        """One score per class; a two-class model gives one, the second class against the first."""
        scores = self.model.decision_function(matrix)
        return np.column_stack([np.zeros_like(scores), scores]) if scores.ndim == 1 else scores

    @cached_property
    def fitted(self) -> FittedClassifier:
        """The classifier's inference form (fitted.py): the features as one compiled pass, the
        models as weight arrays; what the annotated tier loads."""
        return FittedClassifier(
            task=self.task,
            label_set=self.label_set,
            multi_label=self.multi_label,
            threshold=self.threshold,
            name=self.name,
            version=self.version,
            features=CompiledFeatures.from_union(self.features),
            model=Linear.of(self.model) if self.model is not None else None,
            temperature=self.temperature,
            label_models=[
                (Linear.of(model), Linear.of(platt) if platt is not None else None)
                for model, platt in self.label_models
            ],
        )

    def predict_proba(self, texts: pl.Series, calibrated: bool = True) -> np.ndarray:
        """Probabilities per record and label; ``calibrated=False`` gives the models' own (to
        measure what calibration changed)."""
        return self.fitted.predict_proba(texts, calibrated)

    def save(self, folder: Path) -> Path:
        """Write ``<task>-<version>.skops`` into ``folder`` (its sha256 starts with the version)
        and its inference form beside it."""
        self._payload()
        path = save_artefact(folder, self.task, replace(self, version=""))
        save_sidecar(path, *self.fitted.arrays())
        return path


# The only classes of ours an artefact may hold; skops refuses any other type outside its own
# safe set (scikit-learn estimators, NumPy and SciPy containers).
TRUSTED_TYPES = ("data_platform.annotation.labelers.TextClassifier",)


def load_labeler(folder: Path, name: str) -> FittedClassifier:
    """The labeler saved as ``name`` in ``folder``, in its inference form: from the sidecar
    when there is one for this version, else from the skops file (audited), writing the
    sidecar for the runs after this one."""
    stored = load_sidecar(folder, name)
    if stored is not None:
        return FittedClassifier.from_arrays(*stored, artefact_version(Path(name)))
    labeler = load_artefact(folder, name, TRUSTED_TYPES)
    if not isinstance(labeler, TextClassifier):
        raise InputFileError(
            str(folder / name), None, "-", f"holds a {type(labeler).__name__}, not a labeler"
        )
    labeler.version = artefact_version(Path(name))
    save_sidecar(folder / name, *labeler.fitted.arrays())
    return labeler.fitted


def text_features() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    return make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), min_df=3, sublinear_tf=True, max_features=30_000
        ),
    )


def _single(label: str | list[str]) -> str:
    if isinstance(label, list):
        raise ValueError(f"a single-label task was given several labels: {label}")
    return label
