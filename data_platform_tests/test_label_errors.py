"""Likely label errors (confident learning) and contradictory labels."""

from __future__ import annotations

import numpy as np
import polars as pl

from data_platform.annotation.label_errors import (
    contradictions,
    likely_label_errors,
    out_of_fold_probabilities,
)

TOPICS = {
    "billing": ["invoice", "charge", "refund", "payment", "bill"],
    "travel": ["flight", "hotel", "train", "booking", "trip"],
    "cooking": ["recipe", "oven", "bake", "flour", "sauce"],
}


def test_confident_learning_finds_flipped_labels() -> None:
    rng = np.random.default_rng(3)
    texts, labels = [], []
    for i in range(450):
        topic = list(TOPICS)[i % 3]
        words = rng.choice(TOPICS[topic], size=3)
        texts.append(f"question {i} about the {words[0]} and {words[1]} or {words[2]}")
        labels.append(topic)
    flipped = rng.choice(len(labels), size=20, replace=False)
    noisy = list(labels)
    for row in flipped:
        noisy[row] = next(t for t in TOPICS if t != labels[row])
    proba, label_set = out_of_fold_probabilities(texts, noisy)
    found = likely_label_errors(noisy, proba, label_set)
    flagged = set(found.filter(pl.col("flagged"))["row"].to_list())
    caught = flagged & set(flipped.tolist())
    assert len(caught) >= 18 and len(flagged - caught) <= 2
    suggested = found["suggested"].to_list()
    assert all(suggested[row] == labels[row] for row in caught)
    assert (
        found.filter(pl.col("flagged"))["quality"].max()
        < found.filter(~pl.col("flagged"))["quality"].median()
    )


def test_same_or_nearly_same_text_under_different_labels_is_a_contradiction() -> None:
    base = "I would like to book a table for two people tonight at eight in the small room by the window"
    texts = pl.Series(
        [
            "How do I reset my password?",
            "How do I  reset my password?",  # the same after whitespace normalisation
            base,
            base + " please",  # a near copy
            base,  # same text, same label: no contradiction
            "something else entirely",
        ]
    )
    labels = pl.Series(["reset", "account", "booking", "cancel", "booking", "other"])
    found = contradictions(texts, labels)
    pairs = {(a, b): match for a, b, match in found.select("a", "b", "match").iter_rows()}
    assert pairs == {(0, 1): "exact", (2, 3): "near", (3, 4): "near"}
