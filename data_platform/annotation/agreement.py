"""How much annotators agree, how good each one is, and whether labels drift.

Ratings come as a long frame, one row per judgement: the item, the rater and the value (any
column names). From it:

- ``krippendorff_alpha``: Krippendorff's alpha (the ``krippendorff`` package) at any level of
  measurement, with missing ratings (raters need not rate every item; where raters carry no id,
  numbering each item's ratings gives the same alpha, which depends only on the values that
  co-occur within an item);
- ``cohen_kappa_pairs``: Cohen's kappa (scikit-learn) for every pair of raters on the items
  both rated;
- ``fleiss_kappa``: Fleiss' kappa (statsmodels) on the items rated by the most common number of
  raters (the statistic needs a fixed number per item);
- ``agreement_by``: the three per group (label set, batch);
- ``annotator_scores``: each rater against gold labels (accuracy and kappa on the gold items);
- ``distribution_drift``: a chi-square test of independence between the label and a grouping
  (batch, annotator), flagged below a significance level.
"""

from __future__ import annotations

from itertools import combinations
from typing import Literal, get_args

import numpy as np
import polars as pl

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = get_args(Level)


def _codes(ratings: pl.DataFrame, value: str, level: Level) -> tuple[pl.Series, np.ndarray | None]:
    """Values as floats for the alpha matrix: nominal labels become category numbers."""
    if level not in LEVELS:
        raise ValueError(f"level of measurement must be one of {', '.join(LEVELS)}, not {level!r}")
    if level == "nominal" and ratings[value].dtype in (pl.String, pl.Categorical, pl.Boolean):
        categories = ratings[value].cast(pl.String).unique().sort()
        index = {v: i for i, v in enumerate(categories.to_list())}
        coded = ratings[value].cast(pl.String).replace_strict(index, return_dtype=pl.Float64)
        return coded, np.arange(len(index), dtype=float)
    return ratings[value].cast(pl.Float64), None


def reliability_matrix(
    ratings: pl.DataFrame, item: str, rater: str, value: str, level: Level = "nominal"
) -> tuple[np.ndarray, np.ndarray | None]:
    """Raters x items, NaN where a rater did not rate an item; with the value domain."""
    coded, domain = _codes(ratings, value, level)
    frame = ratings.select(item, rater).with_columns(_value=coded)
    items = frame[item].unique(maintain_order=True)
    raters = frame[rater].unique(maintain_order=True)
    columns = frame[item].replace_strict(items, pl.int_range(items.len(), eager=True), return_dtype=pl.Int64)
    rows = frame[rater].replace_strict(raters, pl.int_range(raters.len(), eager=True), return_dtype=pl.Int64)
    matrix = np.full((raters.len(), items.len()), np.nan)
    # A rater who judged the same item twice: the later judgement stands (intra-rater repeats are
    # a consistency question of their own, not inter-rater agreement).
    matrix[rows.to_numpy(), columns.to_numpy()] = frame["_value"].to_numpy()
    return matrix, domain


def krippendorff_alpha(
    ratings: pl.DataFrame,
    *,
    item: str = "item",
    rater: str = "rater",
    value: str = "value",
    level: Level = "nominal",
) -> float:
    import krippendorff

    matrix, domain = reliability_matrix(ratings, item, rater, value, level)
    if np.isfinite(matrix).sum(axis=0).max(initial=0) < 2:
        return float("nan")  # no item has two ratings: nothing to agree on
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level, value_domain=domain))


def cohen_kappa_pairs(
    ratings: pl.DataFrame,
    *,
    item: str = "item",
    rater: str = "rater",
    value: str = "value",
    weights: str | None = None,
    min_items: int = 20,
) -> pl.DataFrame:
    """Per pair of raters with at least ``min_items`` items in common: items and kappa
    (``weights``: None, "linear" or "quadratic" for ordinal labels)."""
    from sklearn.metrics import cohen_kappa_score

    last = ratings.select(item, rater, value).unique([item, rater], keep="last", maintain_order=True)
    rows = []
    for a, b in combinations(sorted(last[rater].unique().to_list()), 2):
        both = last.filter(pl.col(rater) == a).join(last.filter(pl.col(rater) == b), on=item, suffix="_b")
        if both.height < min_items:
            continue
        kappa = cohen_kappa_score(both[value].to_list(), both[f"{value}_b"].to_list(), weights=weights)
        rows.append((a, b, both.height, float(kappa)))
    return pl.DataFrame(
        rows,
        schema={"rater_a": pl.String, "rater_b": pl.String, "items": pl.Int64, "kappa": pl.Float64},
        orient="row",
    )


def fleiss_kappa(
    ratings: pl.DataFrame, *, item: str = "item", value: str = "value"
) -> tuple[float, int, int]:
    """(kappa, items used, ratings per item): the items with the most common rating count."""
    from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

    counts = ratings.group_by(item).len()
    if counts.height == 0:
        return float("nan"), 0, 0
    per_item = int(counts["len"].mode().sort()[-1])
    used = counts.filter(pl.col("len") == per_item)[item]
    if per_item < 2 or used.len() == 0:
        return float("nan"), 0, per_item
    table = (
        ratings.filter(pl.col(item).is_in(used.implode()))
        .with_columns(pl.col(value).cast(pl.String))
        .pivot(on=value, index=item, values=value, aggregate_function="len")
        .fill_null(0)
        .drop(item)
    )
    return float(statsmodels_fleiss(table.to_numpy(), method="fleiss")), used.len(), per_item


def agreement_by(
    ratings: pl.DataFrame,
    group: str | None,
    *,
    item: str = "item",
    rater: str = "rater",
    value: str = "value",
    level: Level = "nominal",
) -> pl.DataFrame:
    """Items, ratings, raters, Krippendorff's alpha, Fleiss' kappa and mean pairwise Cohen's
    kappa, per value of ``group`` (or once for everything)."""
    groups = [(None, ratings)] if group is None else ratings.partition_by(group, as_dict=True).items()
    rows = []
    for key, frame in sorted(groups, key=lambda kv: str(kv[0])):
        fleiss, fleiss_items, per_item = fleiss_kappa(frame, item=item, value=value)
        pairs = cohen_kappa_pairs(frame, item=item, rater=rater, value=value)
        rows.append(
            {
                "group": None if key is None else str(key[0] if isinstance(key, tuple) else key),
                "items": frame[item].n_unique(),
                "ratings": frame.height,
                "raters": frame[rater].n_unique(),
                "krippendorff_alpha": krippendorff_alpha(
                    frame, item=item, rater=rater, value=value, level=level
                ),
                "fleiss_kappa": fleiss,
                "fleiss_items": fleiss_items,
                "fleiss_ratings_per_item": per_item,
                "mean_cohen_kappa": _mean(pairs, "kappa"),
                "cohen_pairs": pairs.height,
            }
        )
    return pl.DataFrame(rows)


def annotator_scores(
    ratings: pl.DataFrame,
    gold: pl.DataFrame,
    *,
    item: str = "item",
    rater: str = "rater",
    value: str = "value",
) -> pl.DataFrame:
    """Per rater: gold items rated, accuracy and Cohen's kappa against ``gold`` (item, value)."""
    from sklearn.metrics import cohen_kappa_score

    joined = ratings.select(item, rater, value).join(
        gold.select(item, pl.col(value).alias("_gold")), on=item, how="inner"
    )
    rows = []
    for (name,), frame in sorted(joined.partition_by(rater, as_dict=True).items()):
        answers, truth = frame[value].cast(pl.String).to_list(), frame["_gold"].cast(pl.String).to_list()
        agreeing = sum(a == t for a, t in zip(answers, truth, strict=True))
        kappa = cohen_kappa_score(answers, truth) if len(set(answers) | set(truth)) > 1 else float("nan")
        rows.append((str(name), frame.height, agreeing / frame.height, float(kappa)))
    return pl.DataFrame(
        rows,
        schema={"rater": pl.String, "gold_items": pl.Int64, "accuracy": pl.Float64, "kappa": pl.Float64},
        orient="row",
    )


def distribution_drift(labels: pl.DataFrame, by: str, value: str, significance: float = 0.01) -> dict:
    """Chi-square test that ``value``'s distribution is the same in every group of ``by``; drift is
    not claimed where the table is too sparse for the test (Cochran's rule)."""
    from scipy.stats import chi2_contingency

    table = (
        labels.with_columns(pl.col(value).cast(pl.String))
        .pivot(on=value, index=by, values=value, aggregate_function="len")
        .fill_null(0)
    )
    counts = table.drop(by).to_numpy()
    counts = counts[:, counts.sum(axis=0) > 0]
    if counts.shape[0] < 2 or counts.shape[1] < 2:
        return {"groups": counts.shape[0], "chi2": 0.0, "dof": 0, "p_value": 1.0, "drift": False}
    chi2, p_value, dof, expected = chi2_contingency(counts)
    # Cochran's rule: the chi-square approximation needs most expected counts of 5 or more.
    sparse = float((expected < 5).mean())
    return {
        "groups": counts.shape[0],
        "chi2": round(float(chi2), 3),
        "dof": int(dof),
        "p_value": float(p_value),
        "drift": bool(p_value < significance) and sparse <= 0.2,
        "significance": significance,
        "sparse_cells": round(sparse, 3),
        **(
            {"note": "too few labels per value for the test (over 20% of expected counts < 5)"}
            if sparse > 0.2
            else {}
        ),
    }


def rating_vs_others(ratings: pl.DataFrame, *, item: str = "item", value: str = "value") -> dict[str, float]:
    """For interval ratings: Pearson's r and the mean absolute error between each rating and the
    mean of the other ratings of its item (items with two or more ratings), the way annotation
    studies without rater ids report agreement with the crowd."""
    scored = (
        ratings.select(item, pl.col(value).cast(pl.Float64))
        .drop_nulls()
        .with_columns(total=pl.col(value).sum().over(item), count=pl.len().over(item))
        .filter(pl.col("count") >= 2)
        .with_columns(others=(pl.col("total") - pl.col(value)) / (pl.col("count") - 1))
    )
    return {
        "ratings": scored.height,
        "pearson_r": float(scored.select(pl.corr(value, "others")).item()),
        "mae": float(scored.select((pl.col(value) - pl.col("others")).abs().mean()).item()),
    }


def _mean(frame: pl.DataFrame, column: str) -> float:
    """The column's mean, NaN for no rows."""
    return float(frame.select(pl.col(column).mean()).item()) if frame.height else float("nan")
