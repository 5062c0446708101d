"""The gate of a synthetic batch: well-formed candidate lines, and measures against the real data
of its slice within the policy (tiers/synthetic_gate.py SyntheticPolicy)."""

from __future__ import annotations

from typing import Any

import great_expectations.expectations as gxe
import polars as pl

from data_platform.lake.store import Lake
from data_platform.quality.gx_runner import GateResult, SuiteSpec, run_suites
from data_platform.quality.suites import for_gx
from data_platform.tiers.synthetic import read_batch, read_validation
from data_platform.tiers.synthetic_gate import SyntheticPolicy


def judge_synthetic(lake: Lake, key: str, policy: SyntheticPolicy | None = None) -> GateResult:
    policy = policy or SyntheticPolicy()
    _, rows, rejected = read_batch(lake, key)
    measures = _measures_frame(read_validation(lake, key), rows.height + rejected.height, policy)
    return run_suites(
        [
            SuiteSpec(
                "synthetic_rows",
                [
                    *(gxe.ExpectColumnValuesToNotBeNull(column=c) for c in ("id", "text", "generator")),
                    gxe.ExpectColumnValuesToBeUnique(column="id"),
                    gxe.ExpectColumnValuesToBeBetween(column="parent_count", min_value=1),
                ],
                [for_gx(rows.with_columns(parent_count=pl.col("parents").list.len()).drop("parents"))],
                index_columns=("line",),
            ),
            SuiteSpec(
                "synthetic_against_real",
                [
                    gxe.ExpectColumnValuesToBeBetween(column="lines_rejected", max_value=0),
                    gxe.ExpectColumnValuesToBeBetween(
                        column="real_records", min_value=policy.min_real_records
                    ),
                    gxe.ExpectColumnValuesToBeBetween(column="candidates", min_value=1),
                    # Over the limit: the distance beyond the larger of the policy's limit and what
                    # chance gives a sample of the batch's size (tiers/synthetic_gate.py).
                    gxe.ExpectColumnValuesToBeBetween(column="length_js_over_limit", max_value=0.0),
                    gxe.ExpectColumnValuesToBeBetween(column="vocabulary_js_over_limit", max_value=0.0),
                    gxe.ExpectColumnValuesToBeBetween(column="auc", max_value=policy.max_auc),
                    gxe.ExpectColumnValuesToBeBetween(
                        column="copied_share", max_value=policy.max_copied_share
                    ),
                    gxe.ExpectColumnValuesToBeBetween(
                        column="repeated_share", max_value=policy.max_repeated_share
                    ),
                    # Not significantly worse: the upper end of the change's 95% interval.
                    gxe.ExpectColumnValuesToBeBetween(column="f1_change_high", min_value=0.0),
                    gxe.ExpectColumnValuesToBeBetween(column="label_agreement_margin", min_value=0.0),
                ],
                [for_gx(measures)],
            ),
        ]
    )


def _measures_frame(validation: dict[str, Any], lines: int, policy: SyntheticPolicy) -> pl.DataFrame:
    """One row of measures; a measure that could not be taken is null, which GX leaves unjudged,
    except where too few real records or no candidates make the batch unjudgeable (checked)."""
    utility = validation.get("utility")
    candidates = validation["candidates"]
    margin = None
    if utility is not None:
        margin = utility["label_agreement"] - policy.min_label_agreement_ratio * utility["label_recall_real"]
    row = {
        "lines_rejected": (pl.Int64, lines - candidates),
        "real_records": (pl.Int64, validation["real_records"]),
        "candidates": (pl.Int64, candidates),
        "length_js_over_limit": (pl.Float64, _over(validation, "length_js")),
        "vocabulary_js_over_limit": (pl.Float64, _over(validation, "vocabulary_js")),
        "auc": (pl.Float64, validation["auc"]),
        "copied_share": (pl.Float64, validation["copied_share"]),
        "repeated_share": (pl.Float64, validation["repeated"] / candidates if candidates else 0.0),
        "f1_change_high": (pl.Float64, None if utility is None else utility["f1_change_high"]),
        "label_agreement_margin": (pl.Float64, margin),
    }
    return pl.DataFrame({k: [v] for k, (_, v) in row.items()}, schema={k: t for k, (t, _) in row.items()})


def _over(validation: dict[str, Any], name: str) -> float | None:
    value, limit = validation[name], validation[f"{name}_limit"]
    return None if value is None or limit is None else value - limit
