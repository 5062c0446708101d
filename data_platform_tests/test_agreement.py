"""Agreement measures on cases with known answers."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from data_platform.annotation.agreement import (
    agreement_by,
    annotator_scores,
    cohen_kappa_pairs,
    distribution_drift,
    fleiss_kappa,
    krippendorff_alpha,
    rating_vs_others,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example with four
# observers, twelve units and missing values: alpha 0.743 nominal, 0.815 ordinal, 0.849 interval.
KRIPPENDORFF_EXAMPLE = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def long_ratings(matrix: dict[str, list]) -> pl.DataFrame:
    rows = [
        (f"u{unit}", rater, value)
        for rater, values in matrix.items()
        for unit, value in enumerate(values)
        if value is not None
    ]
    return pl.DataFrame(rows, schema={"item": pl.String, "rater": pl.String, "value": pl.Int64}, orient="row")


@pytest.mark.parametrize(("level", "expected"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)])
def test_krippendorff_alpha_reproduces_the_published_example(level: str, expected: float) -> None:
    ratings = long_ratings(KRIPPENDORFF_EXAMPLE)
    assert krippendorff_alpha(ratings, level=level) == pytest.approx(expected, abs=0.0005)
    # String labels are categories too.
    as_text = ratings.with_columns(pl.col("value").cast(pl.String))
    if level == "nominal":
        assert krippendorff_alpha(as_text) == pytest.approx(expected, abs=0.0005)


def test_cohen_and_fleiss_on_hand_computed_cases() -> None:
    # Two raters, 20 items, agreeing on 16: p_o = 0.8; a says yes 10 times, b 14:
    # p_e = 0.5*0.7 + 0.5*0.3 = 0.5
    a = ["y"] * 10 + ["n"] * 6 + ["y"] * 0 + ["n"] * 4
    b = ["y"] * 10 + ["n"] * 6 + ["y"] * 4 + ["n"] * 0
    ratings = pl.DataFrame(
        {"item": [f"i{k}" for k in range(20)] * 2, "rater": ["a"] * 20 + ["b"] * 20, "value": a + b}
    )
    [row] = cohen_kappa_pairs(ratings).to_dicts()
    assert row["items"] == 20
    assert row["kappa"] == pytest.approx((0.8 - 0.5) / (1 - 0.5))
    perfect = pl.DataFrame(
        {
            "item": [f"i{k}" for k in range(30)] * 3,
            "rater": ["a"] * 30 + ["b"] * 30 + ["c"] * 30,
            "value": ["x", "y", "z"] * 30,
        }
    )
    kappa, items, per_item = fleiss_kappa(perfect)
    assert (kappa, items, per_item) == (pytest.approx(1.0), 30, 3)
    report = agreement_by(perfect.with_columns(batch=pl.col("item").str.slice(1).cast(pl.Int64) % 2), "batch")
    assert report["krippendorff_alpha"].to_list() == pytest.approx([1.0, 1.0])
    assert report["items"].to_list() == [15, 15]


def test_annotators_are_scored_on_gold_items() -> None:
    gold = pl.DataFrame({"item": ["a", "b", "c", "d"], "value": ["x", "y", "x", "y"]})
    ratings = pl.DataFrame(
        {
            "item": ["a", "b", "c", "d", "a", "b", "e"],
            "rater": ["good"] * 4 + ["sloppy"] * 3,
            "value": ["x", "y", "x", "y", "y", "y", "x"],
        }
    )
    scores = {r["rater"]: r for r in annotator_scores(ratings, gold).to_dicts()}
    assert scores["good"]["accuracy"] == 1.0 and scores["good"]["kappa"] == pytest.approx(1.0)
    assert scores["sloppy"]["gold_items"] == 2 and scores["sloppy"]["accuracy"] == 0.5


def test_label_drift_is_flagged_only_when_the_distribution_moves() -> None:
    rng = np.random.default_rng(0)
    steady = pl.DataFrame(
        {
            "batch": np.repeat(["b1", "b2", "b3"], 2000),
            "label": rng.choice(["x", "y", "z"], 6000, p=[0.5, 0.3, 0.2]),
        }
    )
    assert not distribution_drift(steady, "batch", "label")["drift"]
    moved = pl.concat(
        [
            steady.filter(pl.col("batch") != "b3"),
            pl.DataFrame(
                {"batch": ["b3"] * 2000, "label": rng.choice(["x", "y", "z"], 2000, p=[0.3, 0.3, 0.4])}
            ),
        ]
    )
    report = distribution_drift(moved, "batch", "label")
    assert report["drift"] and report["p_value"] < 1e-6 and report["dof"] == 4


def test_rating_vs_others_compares_each_rating_with_the_rest_of_its_item() -> None:
    ratings = pl.DataFrame({"item": [1, 1, 1, 2, 2, 3], "value": [1.0, 2.0, 3.0, 4.0, 4.0, 5.0]})
    result = rating_vs_others(ratings)
    # item 1: others' means 2.5, 2.0, 1.5; item 2: 4, 4; item 3 has one rating and is left out
    assert result["ratings"] == 5
    assert result["mae"] == pytest.approx((1.5 + 0 + 1.5 + 0 + 0) / 5)
    x, others = [1, 2, 3, 4, 4], [2.5, 2.0, 1.5, 4, 4]
    assert result["pearson_r"] == pytest.approx(float(np.corrcoef(x, others)[0, 1]))
