"""The evaluation of a release: coverage against the registry's targets, diversity and drift from
its parent, written beside the release.

``releases/vN/evaluation/`` holds ``evaluation.json`` (the summary, with the vocabulary growth
curve) and the figures as PNG, written as one folder; ``releases/vN/EVALUATION.html``, next to
DATASHEET.md, embeds them and is written last. A release's records never change, so evaluating
it again gives the same figures (every sample is seeded).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from data_platform.evaluation.html import report_html
from data_platform.evaluation.plots import coverage_figure, diversity_figure, drift_figure
from data_platform.evaluation.report import Evaluation, evaluate
from data_platform.lake.atomic import staged_folder, write_bytes_atomic, write_json_atomic
from data_platform.lake.releases import EVALUATION_REPORT, read_manifest, release_dir
from data_platform.lake.store import Lake
from data_platform.sources.registry import Registry

EVALUATED_COLUMNS = ["record_id", "source_id", "text", "turns", "lang", "labels", "ingested_at"]
FIGURES = {"Coverage": "coverage.png", "Drift": "drift.png", "Diversity": "diversity.png"}


@dataclass(frozen=True)
class ReleaseEvaluation:
    version: str
    summary: dict[str, Any]
    figures: dict[str, Path]
    report: Path


def evaluate_release(lake: Lake, version: str, registry: Registry) -> ReleaseEvaluation:
    """Measure release ``version`` against its parent (if any) and write what was measured."""
    folder = release_dir(lake, version)
    manifest = read_manifest(lake, version)
    parent_version = manifest["parent_version"]
    records = release_records(lake, version)
    parent = None if parent_version is None else release_records(lake, parent_version)
    cadences = {source.id: source.refresh_cadence_seconds for source in registry.sources.values()}
    cut = datetime.fromisoformat(manifest["created_at"])
    result = evaluate(records, registry.domains, registry.coverage, parent, cadences, cut)
    summary = {"version": version, "parent_version": parent_version, **result.summary()}
    figures = _figures(result, records, summary, stored_summary(lake, parent_version))
    with staged_folder(folder / "evaluation") as staging:
        for name, png in figures.items():
            write_bytes_atomic(staging / FIGURES[name], png)
        write_json_atomic(
            staging / "evaluation.json",
            {**summary, "vocabulary_growth": result.diversity.vocabulary_growth},
        )
    tables = {
        "Coverage targets": result.coverage,
        "Drift from the parent": result.drift,
        "Freshness per source (newest drop at the cut, against the refresh cadence)": result.freshness,
    }
    report = folder / EVALUATION_REPORT
    write_bytes_atomic(report, report_html(version, summary, tables, figures).encode("utf-8"))
    paths = {name: folder / "evaluation" / FIGURES[name] for name in figures}
    return ReleaseEvaluation(version, summary, paths, report)


def release_records(lake: Lake, version: str) -> pl.DataFrame:
    """The columns the evaluation reads; releases cut before ``ingested_at`` was released lack it."""
    files = sorted(release_dir(lake, version).glob("records-*.parquet"))
    if not files:
        return pl.DataFrame()
    present = pl.read_parquet_schema(files[0])
    return pl.read_parquet(files, columns=[c for c in EVALUATED_COLUMNS if c in present])


def stored_summary(lake: Lake, version: str | None) -> dict[str, Any] | None:
    """The evaluation.json of release ``version``, if it was evaluated."""
    if version is None:
        return None
    path = release_dir(lake, version) / "evaluation" / "evaluation.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _figures(
    result: Evaluation,
    records: pl.DataFrame,
    summary: dict[str, Any],
    parent_summary: dict[str, Any] | None,
) -> dict[str, bytes]:
    version, parent_version = summary["version"], summary["parent_version"]
    figures = {"Coverage": coverage_figure(records, result.profile, result.coverage)}
    if parent_version is not None:
        auc = result.text_drift.auc if result.text_drift else None
        figures["Drift"] = drift_figure(result.drift, auc, parent_version)
    parent_diversity = parent_summary and {
        **parent_summary["diversity"],
        "vocabulary_growth": parent_summary.get("vocabulary_growth"),
    }
    figures["Diversity"] = diversity_figure(
        result.diversity.as_dict(), parent_diversity, (version, str(parent_version))
    )
    return figures
