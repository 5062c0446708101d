"""Labels not to trust: likely label errors and contradictory labels.

- ``out_of_fold_probabilities``: each record's label probabilities from a model that did not
  see it (k-fold cross-validation of the TF-IDF logistic regression the labelers use);
- ``likely_label_errors``: confident learning (cleanlab's ``find_label_issues``, pruning by the
  estimated noise rate) on those probabilities: the records whose given label the data most
  plausibly contradicts, with cleanlab's label quality score (lower: more suspect);
- ``contradictions``: records whose text is the same (normalised exact key) or nearly the same
  (MinHash estimated Jaccard >= 0.8, the cleaned tier's settings) as another record's, under a
  different label.

Flagged records are for review, not for silent release.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from data_platform.text.minhash import MinHashParams, near_pairs, text_signatures
from data_platform.text.normalize import normalised_sha256

NEAR = 0.8


def out_of_fold_probabilities(
    texts: list[str], labels: list[str], *, folds: int = 5, seed: int = 0
) -> tuple[np.ndarray, tuple[str, ...]]:
    """(probabilities per record and label, the label order)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    from data_platform.annotation.labelers import text_features

    label_set = tuple(sorted(set(labels)))
    target = np.searchsorted(np.array(label_set), np.array(labels))
    smallest = int(np.bincount(target).min())
    splitter = StratifiedKFold(n_splits=max(2, min(folds, smallest)), shuffle=True, random_state=seed)
    model = make_pipeline(text_features(), LogisticRegression(C=10.0, max_iter=300))
    proba = cross_val_predict(model, texts, target, cv=splitter, method="predict_proba")
    return proba, label_set


def likely_label_errors(
    labels: list[str], probabilities: np.ndarray, label_set: tuple[str, ...]
) -> pl.DataFrame:
    """Per record: ``flagged`` by confident learning, the label ``quality`` score, and the label
    the model believes (``suggested``)."""
    from cleanlab.filter import find_label_issues
    from cleanlab.rank import get_label_quality_scores

    target = np.searchsorted(np.array(label_set), np.array(labels))
    # n_jobs=1: cleanlab would otherwise fork a worker pool inside the run's process; the pool's
    # workers printed ForkPoolWorker tracebacks when the process ended, in runs that succeeded.
    flagged = find_label_issues(target, probabilities, filter_by="prune_by_noise_rate", n_jobs=1)
    return pl.DataFrame(
        {
            "row": np.arange(len(labels)),
            "label": labels,
            "flagged": flagged,
            "quality": get_label_quality_scores(target, probabilities),
            "suggested": np.asarray(label_set, dtype=object)[probabilities.argmax(axis=1)],
        },
        schema_overrides={"suggested": pl.String},
    )


def contradictions(texts: pl.Series, labels: pl.Series, params: MinHashParams | None = None) -> pl.DataFrame:
    """Pairs of records (rows ``a`` < ``b``) with the same or nearly the same text and different
    labels, with how they match (``exact`` or ``near``) and the similarity."""
    params = params or MinHashParams()
    frame = pl.DataFrame({"text": texts, "label": labels.cast(pl.String)}).with_row_index("row")
    keys = normalised_sha256(frame["text"])
    exact = (
        frame.with_columns(key=keys)
        .join(frame.with_columns(key=keys), on="key", suffix="_b")
        .filter((pl.col("row") < pl.col("row_b")) & (pl.col("label") != pl.col("label_b")))
        .select(a="row", b="row_b", match=pl.lit("exact"), similarity=pl.lit(1.0))
    )
    rows, others, similarity = near_pairs(text_signatures(frame["text"], params), None, params, NEAR)
    near = (
        pl.DataFrame({"a": others.astype(np.int64), "b": rows.astype(np.int64), "similarity": similarity})
        .unique(["a", "b"])
        .join(frame.select(a="row", label_a="label").with_columns(pl.col("a").cast(pl.Int64)), on="a")
        .join(frame.select(b="row", label_b="label").with_columns(pl.col("b").cast(pl.Int64)), on="b")
        .filter(pl.col("label_a") != pl.col("label_b"))
        .select("a", "b", match=pl.lit("near"), similarity="similarity")
    )
    found = pl.concat([exact.with_columns(pl.col("a", "b").cast(pl.Int64)), near])
    return found.unique(["a", "b"], keep="first", maintain_order=True).sort("a", "b")
