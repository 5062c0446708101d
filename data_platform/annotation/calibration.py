"""How far to trust a labeler's confidence: reliability tables, expected calibration error and
the reliability figure.

For a single-label task each record gives one point: the confidence of the predicted label and
whether it was right. For a multi-label task each (record, label) pair gives one: the
probability of the label and whether the label is true. Points are binned by confidence into
equal-width bins; a calibrated labeler's bins sit on the diagonal (accuracy = confidence).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

BINS = 10


def points(probabilities: np.ndarray, truth: np.ndarray, multi_label: bool) -> tuple[np.ndarray, np.ndarray]:
    """(confidence, correct) per point; ``truth`` is a class index per record, or a 0/1 matrix."""
    if multi_label:
        return probabilities.ravel(), truth.ravel().astype(bool)
    predicted = probabilities.argmax(axis=1)
    return probabilities.max(axis=1), predicted == truth


def reliability_table(confidence: np.ndarray, correct: np.ndarray, bins: int = BINS) -> pl.DataFrame:
    """Per non-empty bin: its range, points, mean confidence and observed accuracy."""
    index = np.minimum((confidence * bins).astype(np.int64), bins - 1)
    frame = pl.DataFrame({"bin": index, "confidence": confidence, "correct": correct.astype(np.float64)})
    return (
        frame.group_by("bin")
        .agg(points=pl.len(), mean_confidence=pl.col("confidence").mean(), accuracy=pl.col("correct").mean())
        .sort("bin")
        .with_columns(low=pl.col("bin") / bins, high=(pl.col("bin") + 1) / bins)
    )


def expected_calibration_error(table: pl.DataFrame) -> float:
    """Mean |accuracy - confidence| over bins, weighted by their share of the points."""
    weighted_gap = (pl.col("accuracy") - pl.col("mean_confidence")).abs() * pl.col("points")
    total, gap = table.select(pl.col("points").sum(), weighted_gap.sum()).row(0)
    return float(gap / total) if total else 0.0


def plot_reliability(curves: dict[str, pl.DataFrame], path: Path, title: str) -> Path:
    """One reliability line per curve (label: name and ECE) against the diagonal, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(5.5, 5))
    axis.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="calibrated")
    for name, table in curves.items():
        ece = expected_calibration_error(table)
        axis.plot(table["mean_confidence"], table["accuracy"], marker="o", label=f"{name} (ECE {ece:.3f})")
    axis.set(xlabel="confidence", ylabel="observed accuracy", xlim=(0, 1), ylim=(0, 1), title=title)
    axis.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
