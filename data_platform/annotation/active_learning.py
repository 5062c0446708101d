"""Active learning: which records humans should label next, and what that buys.

Strategies pick a batch from the unlabelled pool given the current model's probabilities:

- ``random``: a uniform sample (the baseline);
- ``margin``: smallest gap between the two most probable labels;
- ``entropy``: highest entropy of the predicted distribution;
- ``diversity``: k-center greedy in a 100-dimensional LSA space of the texts (TF-IDF reduced by
  truncated SVD, cosine geometry), seeded with the labelled records: each pick is the pool
  record farthest from everything labelled or picked so far.

``simulate`` runs rounds with an annotator that answers from the gold labels: label a seed set,
train, score macro-F1 on a test set, pick a batch, add its gold labels, retrain, and so on. The
features (TF-IDF word and character n-grams) are fitted once on all texts (no labels involved);
each round fits the labelers' logistic regression on the labelled records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

STRATEGIES = ("random", "margin", "entropy", "diversity")


def margin_order(proba: np.ndarray) -> np.ndarray:
    """Pool positions from the smallest top-two margin up."""
    top = np.sort(proba, axis=1)[:, -2:]
    return np.argsort(top[:, 1] - top[:, 0], kind="stable")


def entropy_order(proba: np.ndarray) -> np.ndarray:
    """Pool positions from the highest predictive entropy down."""
    entropy = -(proba * np.log(np.clip(proba, 1e-12, 1.0))).sum(axis=1)
    return np.argsort(-entropy, kind="stable")


def k_center_greedy(embedding: np.ndarray, labelled: np.ndarray, pool: np.ndarray, size: int) -> np.ndarray:
    """``size`` pool rows, each the farthest (Euclidean on unit vectors) from the labelled rows
    and the rows already picked."""
    candidates = embedding[pool]
    nearest = np.full(len(pool), np.inf)
    for start in range(0, len(labelled), 2048):  # |x - c|^2 = 2 - 2 x.c for unit vectors
        similarity = candidates @ embedding[labelled[start : start + 2048]].T
        nearest = np.minimum(nearest, 2.0 - 2.0 * similarity.max(axis=1))
    picked = []
    for _ in range(min(size, len(pool))):
        choice = int(np.argmax(nearest))
        picked.append(choice)
        nearest = np.minimum(nearest, 2.0 - 2.0 * (candidates @ candidates[choice]))
        nearest[choice] = -np.inf
    return pool[np.array(picked, dtype=np.int64)]


def lsa_embedding(matrix, seed: int = 0) -> np.ndarray:
    """Unit vectors in an LSA space (truncated SVD, up to 100 dimensions) of a TF-IDF matrix."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    dimensions = max(2, min(100, matrix.shape[1] - 1, matrix.shape[0] - 1))
    return normalize(TruncatedSVD(n_components=dimensions, random_state=seed).fit_transform(matrix))


def pick(
    strategy: str,
    size: int,
    pool: np.ndarray,
    labelled: np.ndarray,
    proba: np.ndarray | None,
    embedding: np.ndarray | None,
    rng: np.random.Generator,
) -> np.ndarray:
    """The pool rows to label next under ``strategy`` (``proba``: the model's, per pool row)."""
    if strategy == "random":
        return rng.choice(pool, size=min(size, len(pool)), replace=False)
    if strategy in ("margin", "entropy"):
        if proba is None:
            raise ValueError(f"the {strategy} strategy needs the model's probabilities")
        order = margin_order(proba) if strategy == "margin" else entropy_order(proba)
        return pool[order[:size]]
    if strategy == "diversity":
        if embedding is None:
            raise ValueError("the diversity strategy needs the pool's embedding")
        return k_center_greedy(embedding, labelled, pool, size)
    raise ValueError(f"unknown strategy {strategy!r}; there are {', '.join(STRATEGIES)}")


@dataclass(frozen=True)
class Curve:
    strategy: str
    labels: list[int]
    macro_f1: list[float]

    def as_dict(self) -> dict:
        return {"strategy": self.strategy, "labels": self.labels, "macro_f1": self.macro_f1}


def simulate(
    texts: list[str],
    labels: list[str],
    test_texts: list[str],
    test_labels: list[str],
    *,
    strategies: tuple[str, ...] = STRATEGIES,
    seed_size: int = 300,
    batch_size: int = 300,
    rounds: int = 10,
    seed: int = 0,
    class_weight: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Curve]:
    """Learning curves (labels used, macro-F1 on the test set) per strategy; every strategy
    starts from the same random seed set. ``class_weight="balanced"`` weighs each label's
    examples inversely to its frequency (for macro-F1 on skewed label sets)."""
    from data_platform.annotation.labelers import text_features

    features = text_features().fit(texts + test_texts)
    pool_matrix, test_matrix = features.transform(texts), features.transform(test_texts)
    embedding = lsa_embedding(pool_matrix, seed)
    truth = np.asarray(labels, dtype=object)
    start = np.random.default_rng(seed).choice(len(texts), size=min(seed_size, len(texts)), replace=False)
    curves = []
    for strategy in strategies:
        rng = np.random.default_rng(seed + 1)
        labelled = start.copy()
        counts, scores = [], []
        for round_number in range(rounds + 1):
            model, score = _fit_and_score(
                pool_matrix, truth, labelled, test_matrix, test_labels, class_weight
            )
            counts.append(len(labelled))
            scores.append(round(score, 4))
            progress(f"{strategy}: round {round_number}, {len(labelled)} labels, macro-F1 {score:.3f}")
            pool = np.setdiff1d(np.arange(len(texts)), labelled)
            if round_number == rounds or len(pool) == 0:
                break
            proba = model.predict_proba(pool_matrix[pool]) if strategy in ("margin", "entropy") else None
            labelled = np.concatenate(
                [labelled, pick(strategy, batch_size, pool, labelled, proba, embedding, rng)]
            )
        curves.append(Curve(strategy, counts, scores))
    return curves


def _fit_and_score(pool_matrix, truth, labelled, test_matrix, test_labels, class_weight=None):
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    model = LogisticRegression(C=10.0, max_iter=300, class_weight=class_weight).fit(
        pool_matrix[labelled], truth[labelled]
    )
    predicted = model.predict(test_matrix)
    return model, float(f1_score(test_labels, predicted, average="macro", labels=sorted(set(test_labels))))


def labels_to_reach(curve: Curve, target: float) -> int | None:
    """The fewest labels at which ``curve`` reaches ``target`` macro-F1 (None: never)."""
    return next((n for n, f1 in zip(curve.labels, curve.macro_f1, strict=True) if f1 >= target), None)


def plot_curves(curves: list[Curve], path, title: str):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(6, 4.5))
    for curve in curves:
        axis.plot(curve.labels, curve.macro_f1, marker="o", markersize=3, label=curve.strategy)
    axis.set(xlabel="labels", ylabel="macro-F1 on the test set", title=title)
    axis.grid(alpha=0.3)
    axis.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
