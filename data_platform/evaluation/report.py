"""Every measure of one release (or batch) at once: coverage, diversity and, given its parent,
drift; what the release step stores beside the manifest and shows in the UI."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import polars as pl

from data_platform.evaluation.coverage import coverage, gaps
from data_platform.evaluation.distances import Shift
from data_platform.evaluation.diversity import Diversity, diversity
from data_platform.evaluation.drift import release_drift, shift_table
from data_platform.evaluation.freshness import FRESHNESS_SCHEMA, freshness
from data_platform.evaluation.profile import label_rows, records_profile
from data_platform.evaluation.text_drift import TextDrift, text_drift
from data_platform.sources.targets import CoverageTarget


@dataclass(frozen=True)
class Evaluation:
    records: int
    profile: pl.DataFrame  # records_profile of the records evaluated
    coverage: pl.DataFrame
    diversity: Diversity
    shifts: list[Shift] = field(default_factory=list)
    text_drift: TextDrift | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    freshness: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=FRESHNESS_SCHEMA))

    @property
    def drift(self) -> pl.DataFrame:
        return shift_table(self.shifts)

    def summary(self) -> dict[str, object]:
        """The figures worth a line each: what a manifest section and Dagster metadata hold."""
        open_gaps = gaps(self.coverage)
        drift = self.drift
        return {
            "records": self.records,
            "coverage_targets": self.coverage.height,
            "coverage_gaps": open_gaps.select("slice", "needed").to_dicts(),
            "diversity": {k: v for k, v in self.diversity.as_dict().items() if k != "vocabulary_growth"},
            "drift": drift.to_dicts(),
            "max_psi": float(drift["psi"].max()) if drift.height else None,  # type: ignore[arg-type]
            "text_drift": None if self.text_drift is None else self.text_drift.as_dict(),
            "freshness": self.freshness.with_columns(pl.col(pl.Datetime).dt.to_string()).to_dicts(),
            "stale_sources": int(self.freshness["stale"].fill_null(False).sum()),
            "seconds": self.seconds,
        }


def evaluate(
    records: pl.DataFrame,
    domains: Mapping[str, str],
    targets: Iterable[CoverageTarget],
    parent: pl.DataFrame | None = None,
    cadences: Mapping[str, int] | None = None,
    as_of: datetime | None = None,
) -> Evaluation:
    """Coverage and diversity of ``records``; drift from ``parent`` when there is one (both
    with the release columns record_id, source_id, text, turns, lang and labels); freshness per
    source at ``as_of`` against ``cadences`` (seconds per source) when the records carry
    ``ingested_at``."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    profile, labels = records_profile(records, domains), label_rows(records)
    table = coverage(profile, labels, targets)
    seconds["coverage"] = _lap(started)
    measured = diversity(profile["text"])
    seconds["diversity"] = _lap(started, seconds)
    shifts: list[Shift] = []
    drift_of_text = None
    if parent is not None:
        parent_profile = records_profile(parent, domains)
        shifts = release_drift(parent_profile, profile, parent, records)
        seconds["drift"] = _lap(started, seconds)
        drift_of_text = text_drift(parent_profile["text"], profile["text"])
        seconds["text_drift"] = _lap(started, seconds)
    fresh = pl.DataFrame(schema=FRESHNESS_SCHEMA)
    if as_of is not None and "ingested_at" in records.columns:
        fresh = freshness(records, cadences or {}, as_of)
    return Evaluation(records.height, profile, table, measured, shifts, drift_of_text, seconds, fresh)


def _lap(started: float, earlier: dict[str, float] | None = None) -> float:
    return round(time.perf_counter() - started - sum((earlier or {}).values()), 3)
