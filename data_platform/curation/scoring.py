"""Model-based scores for texts: the hook behind ``low_quality_score`` and ``irrelevant``.

Anything with a ``name``, a ``version`` and ``score(texts) -> array of [0, 1]`` (higher: better,
or more relevant) plugs in (``TextScorer``). ``HashedNgramClassifier`` is the one we train
ourselves: logistic regression (scikit-learn) on hashed word 1-2-grams and character 3-5-grams,
small enough to train from a few hundred labelled examples in a second, and vectorised over a
whole column when it scores. A saved scorer's version is the hash of its fitted model; it is
saved in skops format (lake/artefacts.py), which cannot run code when a registry points at it.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import polars as pl

from data_platform.errors import InputFileError
from data_platform.lake.artefacts import artefact_bytes, read_artefact
from data_platform.lake.atomic import write_bytes_atomic


class TextScorer(Protocol):
    name: str
    version: str

    def score(self, texts: pl.Series) -> np.ndarray: ...


@dataclass
class HashedNgramClassifier:
    name: str = "hashed-ngram-logreg"
    version: str = ""
    model: Any = field(default=None, repr=False)

    def fit(self, texts: list[str], labels: list[int]) -> HashedNgramClassifier:
        from sklearn.feature_extraction.text import HashingVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        if len(set(labels)) < 2:
            raise ValueError("training needs examples of both classes")
        features = make_union(
            HashingVectorizer(ngram_range=(1, 2), n_features=2**18, alternate_sign=False),
            HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2**18, alternate_sign=False),
        )
        self.model = make_pipeline(features, LogisticRegression(max_iter=1000, C=4.0)).fit(texts, labels)
        self.version = hashlib.sha256(artefact_bytes(self.model)).hexdigest()[:16]
        return self

    def score(self, texts: pl.Series) -> np.ndarray:
        return self.model.predict_proba(texts.fill_null("").to_list())[:, 1]

    def save(self, path: Path) -> Path:
        """Write the scorer to ``path`` (a ``.skops`` file)."""
        write_bytes_atomic(path, artefact_bytes(self))
        return path


@functools.cache
def load_scorer(path: str) -> TextScorer:
    """A scorer saved with ``save``; nothing in the file can run code."""
    scorer = read_artefact(Path(path), ("data_platform.curation.scoring.HashedNgramClassifier",))
    if not isinstance(scorer, HashedNgramClassifier):
        raise InputFileError(path, None, "-", f"holds a {type(scorer).__name__}, not a text scorer")
    return scorer


def read_examples(path: Path, label_field: str) -> tuple[list[str], list[int]]:
    """Labelled examples from JSON lines ``{"text": ..., <label_field>: true/false}``; a bad
    line is reported with its file, line and field."""
    texts, labels = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputFileError(str(path), number, "-", f"not JSON ({exc.msg})") from exc
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputFileError(str(path), number, "text", "each example needs a string here")
        if not isinstance(record.get(label_field), bool):
            raise InputFileError(str(path), number, label_field, "each example needs true or false here")
        texts.append(record["text"])
        labels.append(int(record[label_field]))
    return texts, labels


@functools.cache
def classifier_from_examples(path: str, label_field: str, digest: str) -> HashedNgramClassifier:
    """Train (once per process and file content, ``digest``) from an examples file."""
    texts, labels = read_examples(Path(path), label_field)
    try:
        return HashedNgramClassifier().fit(texts, labels)
    except ValueError as exc:
        raise InputFileError(path, None, label_field, str(exc)) from exc


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
