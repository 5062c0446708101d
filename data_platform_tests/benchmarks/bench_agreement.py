"""Agreement figures on the shared multi-rater sets.

    python -m data_platform_tests.benchmarks.bench_agreement

- ConvAbuse: 12,768 judgements of 4,144 user turns by 8 annotators (with ids). ``is_abuse``
  nominal (5 values) and collapsed to abusive or not (< 0 vs >= 0, ambiguous counted as not);
  Krippendorff's alpha, Fleiss' kappa (items with the usual 3 ratings), mean pairwise Cohen's
  kappa, per split (a batch stand-in) and overall; each annotator against the majority of the
  other annotators on items with at least 3 ratings; drift of the label across splits and
  across annotators (chi-square, 1%).
- EmoBank: 106,173 ratings of 10,548 sentences, valence/arousal/dominance 1-5 per perspective,
  no annotator ids: Krippendorff's alpha at the interval level with each item's ratings numbered.

Writes .bench/agreement/results.json and prints it. Skips where ../shared/data is absent.
"""

from __future__ import annotations

import json
import sys

import polars as pl

from data_platform.annotation.agreement import (
    agreement_by,
    annotator_scores,
    distribution_drift,
    krippendorff_alpha,
    rating_vs_others,
)
from data_platform_tests.conftest import PROJECT_ROOT

SHARED = PROJECT_ROOT.parent / "shared" / "data"
OUT = PROJECT_ROOT / ".bench" / "agreement"


def convabuse() -> dict:
    ratings = pl.read_ndjson(SHARED / "convabuse_raters" / "convabuse_ratings.jsonl.gz").with_columns(
        item=pl.concat_str("conv_id", "agent", "user", separator="\x1f"),
        rater="annotator_id",
        label=pl.col("is_abuse").cast(pl.String),
        abusive=(pl.col("is_abuse") < 0).cast(pl.String),
        split=pl.col("split").fill_null("none"),
    )
    result = {"judgements": ratings.height, "items": ratings["item"].n_unique()}
    for name in ("label", "abusive"):
        overall = agreement_by(ratings, None, value=name)
        per_split = agreement_by(ratings.filter(pl.col("split") != "none"), "split", value=name)
        result[name] = {"overall": overall.to_dicts()[0], "per_split": per_split.to_dicts()}
    result["label_ordinal_alpha"] = krippendorff_alpha(ratings, value="is_abuse", level="ordinal")
    result["annotators_vs_others_majority"] = _leave_one_out_scores(ratings).to_dicts()
    result["drift_across_splits"] = distribution_drift(
        ratings.filter(pl.col("split") != "none"), "split", "abusive"
    )
    result["drift_across_annotators"] = distribution_drift(ratings, "rater", "abusive")
    return result


def _leave_one_out_scores(ratings: pl.DataFrame) -> pl.DataFrame:
    """Each annotator against the majority label of the others on items with >= 3 ratings."""
    rated = ratings.unique(["item", "rater"], keep="last")
    busy = rated.group_by("item").len().filter(pl.col("len") >= 3)["item"]
    rated = rated.filter(pl.col("item").is_in(busy.implode()))
    scores = []
    for rater in sorted(rated["rater"].unique().to_list()):
        others = rated.filter(pl.col("rater") != rater)
        majority = (
            others.group_by("item", "abusive")
            .len()
            .sort(["item", "len", "abusive"], descending=[False, True, False])
            .unique("item", keep="first")
            .select("item", value="abusive")
        )
        mine = rated.filter(pl.col("rater") == rater).select("item", "rater", value="abusive")
        scores.append(annotator_scores(mine, majority))
    return pl.concat(scores)


def emobank() -> dict:
    ratings = pl.read_csv(SHARED / "emobank_vad_raters" / "emobank_ratings.csv.gz").with_columns(
        rater=pl.col("rating_idx").cast(pl.String)
    )
    result = {"ratings": ratings.height, "items": ratings["id"].n_unique()}
    for perspective in ("reader", "writer"):
        subset = ratings.filter(pl.col("perspective") == perspective)
        result[perspective] = {
            dimension: round(krippendorff_alpha(subset, item="id", value=dimension, level="interval"), 4)
            for dimension in ("V", "A", "D")
        }
        result[f"{perspective}_rating_vs_others"] = {
            dimension: rating_vs_others(subset, item="id", value=dimension) for dimension in ("V", "A", "D")
        }
    return result


def main() -> None:
    if not SHARED.exists():
        print(f"skipped: {SHARED} is absent (the multi-rater sets live there)", file=sys.stderr)
        return
    results = {"convabuse": convabuse(), "emobank": emobank()}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
