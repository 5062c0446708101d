"""Distances between two distributions of the same variable: PSI and Jensen-Shannon.

Both read shares over the same categories. A category one side lacks gets a small floor share
before PSI takes logarithms (PSI is infinite otherwise); Jensen-Shannon needs no floor. Numeric
variables are first cut into bins at the reference's quantiles, so each bin holds about the same
share of the reference and a shift anywhere in the range shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

# The share given to a category one side lacks, before PSI's logarithm (a common choice in
# credit-risk monitoring, where PSI comes from: 1e-4 keeps one missing category from dominating).
PSI_FLOOR = 1e-4
LENGTH_BINS = 10


@dataclass(frozen=True)
class Shift:
    """How one variable's distribution moved from ``reference`` to ``current``."""

    variable: str
    psi: float
    jensen_shannon: float
    categories: pl.DataFrame  # category, reference_share, current_share

    def as_row(self) -> dict[str, object]:
        return {"variable": self.variable, "psi": self.psi, "jensen_shannon": self.jensen_shannon}


def psi(reference: np.ndarray, current: np.ndarray, floor: float = PSI_FLOOR) -> float:
    """Population stability index: sum of (current - reference) * ln(current / reference)."""
    ref, cur = _floored(reference, floor), _floored(current, floor)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def jensen_shannon(reference: np.ndarray, current: np.ndarray) -> float:
    """Jensen-Shannon divergence in bits: 0 for equal shares, 1 for disjoint ones."""
    p, q = _normalised(reference), _normalised(current)
    m = (p + q) / 2
    return float(max(0.0, (_kl_bits(p, m) + _kl_bits(q, m)) / 2))


def shares(values: pl.Series) -> pl.DataFrame:
    """category, count and share of each distinct value (null counted as the category None)."""
    counts = values.rename("category").value_counts(name="count")
    return counts.with_columns(share=pl.col("count") / max(1, values.len()))


def categorical_shift(variable: str, reference: pl.Series, current: pl.Series) -> Shift:
    """PSI and Jensen-Shannon of a categorical variable's mix (language, label, source...)."""
    ref, cur = shares(reference.cast(pl.String)), shares(current.cast(pl.String))
    table = (
        ref.select("category", reference_share="share")
        .join(cur.select("category", current_share="share"), on="category", how="full", coalesce=True)
        .fill_null(0.0)
        .sort("category", nulls_last=True)
    )
    return _shift(variable, table)


def numeric_shift(variable: str, reference: pl.Series, current: pl.Series, bins: int = LENGTH_BINS) -> Shift:
    """PSI and Jensen-Shannon of a numeric variable cut at the reference's quantiles."""
    ref = reference.drop_nulls().cast(pl.Float64).to_numpy()
    cur = current.drop_nulls().cast(pl.Float64).to_numpy()
    edges = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1])) if len(ref) else np.zeros(0)
    labels = [_bin_label(edges, k) for k in range(len(edges) + 1)]
    table = pl.DataFrame(
        {
            "category": labels,
            "reference_share": _bin_shares(ref, edges),
            "current_share": _bin_shares(cur, edges),
        }
    )
    return _shift(variable, table)


def _shift(variable: str, table: pl.DataFrame) -> Shift:
    ref, cur = table["reference_share"].to_numpy(), table["current_share"].to_numpy()
    return Shift(variable, psi(ref, cur), jensen_shannon(ref, cur), table)


def _bin_shares(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Share of ``values`` in each bin; bin k holds edges[k-1] < v <= edges[k]."""
    counts = np.bincount(np.searchsorted(edges, values, side="left"), minlength=len(edges) + 1)
    return counts / max(1, len(values))


def _bin_label(edges: np.ndarray, k: int) -> str:
    low = "-inf" if k == 0 else f"{edges[k - 1]:g}"
    high = "inf" if k == len(edges) else f"{edges[k]:g}"
    return f"({low}, {high}]"


def _normalised(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    total = values.sum()
    return values / total if total > 0 else values


def _floored(values: np.ndarray, floor: float) -> np.ndarray:
    return _normalised(np.maximum(_normalised(values), floor))


def _kl_bits(p: np.ndarray, q: np.ndarray) -> float:
    present = p > 0
    return float(np.sum(p[present] * np.log2(p[present] / q[present])))
