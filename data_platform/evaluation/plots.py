"""The evaluation's figures as PNG bytes: the release's mixes against its coverage targets, its
drift from the parent, and its diversity beside the parent's."""

from __future__ import annotations

import io
from typing import Any

import polars as pl

from data_platform.evaluation.distances import shares
from data_platform.evaluation.drift import PSI_MAJOR, PSI_MODERATE
from data_platform.evaluation.profile import label_rows

TOP_CATEGORIES = 12
TOP_SHIFTS = 20
BAND_COLOURS = {"stable": "#4c9a2a", "moderate": "#e0a030", "major": "#c0392b"}


def coverage_figure(records: pl.DataFrame, profile: pl.DataFrame, table: pl.DataFrame) -> bytes:
    """One panel per mix (source, domain, language, each label task): the largest shares as
    bars, each target's minimum share as a mark (a minimum count as its share of the whole)."""
    panels = [
        (title, key, _shown(mix, _targets_in(table, key))) for title, key, mix in _mixes(records, profile)
    ]
    plt = _pyplot()
    figure, axes = plt.subplots(len(panels), 1, figsize=(7, 1.2 + 0.3 * sum(s.height for _, _, s in panels)))
    for axis, (title, key, shown) in zip(_as_list(axes), panels, strict=True):
        met_colour = _target_colours(table, key, shown["category"].to_list())
        axis.barh(shown["category"], shown["share"], color=met_colour)
        for row in _targets_in(table, key).to_dicts():
            if row["value"] in shown["category"].to_list():
                wanted = row["min_share"] or (row["min_count"] / row["of"] if row["of"] else 1.0)
                axis.plot([wanted], [row["value"]], marker="|", markersize=14, color="black")
        axis.set_title(title, fontsize=9, loc="left")
        axis.tick_params(labelsize=7)
        axis.set_xlim(0, 1)
    axes_list = _as_list(axes)
    axes_list[-1].set_xlabel("share of records (| : a target's minimum; red: a target not met)")
    return _png(figure)


def drift_figure(drift: pl.DataFrame, text_auc: float | None, parent: str) -> bytes:
    """PSI of the variables that moved most, coloured by band, with the band limits drawn."""
    shown = drift.sort("psi", descending=True).head(TOP_SHIFTS).reverse()
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(7, 1.5 + 0.3 * max(1, shown.height)))
    axis.barh(shown["variable"], shown["psi"], color=[BAND_COLOURS[b] for b in shown["band"]])
    for limit in (PSI_MODERATE, PSI_MAJOR):
        axis.axvline(limit, color="grey", linestyle="--", linewidth=0.8)
    auc = "not measured" if text_auc is None else f"{text_auc:.3f}"
    axis.set_title(f"Drift from {parent}: PSI per variable (text classifier AUC {auc})", fontsize=9)
    axis.set_xlabel("PSI (0.1 moderate, 0.25 major)")
    axis.tick_params(labelsize=7)
    return _png(figure)


def diversity_figure(current: dict[str, Any], parent: dict[str, Any] | None, names: tuple[str, str]) -> bytes:
    """Vocabulary growth (log-log) and the bounded measures, this version beside its parent."""
    plt = _pyplot()
    figure, (growth, bars) = plt.subplots(1, 2, figsize=(10, 4))
    sides = [(names[0], current)] + ([(names[1], parent)] if parent else [])
    measures = ["distinct_1", "distinct_2", "near_duplicate_rate", "cluster_entropy"]
    width = 0.8 / len(sides)
    for k, (name, measured) in enumerate(sides):
        curve = measured.get("vocabulary_growth") or []
        growth.loglog([p[0] for p in curve], [p[1] for p in curve], marker="o", markersize=3, label=name)
        bars.bar(
            [m + k * width for m in range(len(measures))], [measured[m] for m in measures], width, label=name
        )
    growth.set(xlabel="words read", ylabel="distinct words", title="Vocabulary growth")
    growth.grid(alpha=0.3, which="both")
    growth.legend(fontsize=8)
    bars.set_xticks([m + width * (len(sides) - 1) / 2 for m in range(len(measures))], measures, fontsize=7)
    bars.set(ylim=(0, 1), title="Distinct n-grams, near-duplicates, cluster spread")
    bars.legend(fontsize=8)
    return _png(figure)


def _mixes(records: pl.DataFrame, profile: pl.DataFrame) -> list[tuple[str, str, pl.DataFrame]]:
    """(title, target key, category/share by share) for each mix a panel shows."""
    panels = [
        ("Sources", "source", _shares(profile["source_id"])),
        ("Domains", "domain", _shares(profile["domain"])),
        ("Languages", "language", _shares(profile["lang"])),
    ]
    labels = label_rows(records)
    for task in sorted(labels["task"].unique()):
        panels.append(
            (f"Labels: {task}", f"label:{task}", _shares(labels.filter(pl.col("task") == task)["value"]))
        )
    return panels


def _shares(values: pl.Series) -> pl.DataFrame:
    return shares(values.cast(pl.String).fill_null("(none)")).sort(
        "share", "category", descending=[True, False]
    )


def _shown(mix: pl.DataFrame, targets: pl.DataFrame) -> pl.DataFrame:
    """The largest shares and every value a target names (share 0 when absent), largest last
    (barh draws bottom up)."""
    wanted = pl.DataFrame({"category": targets["value"].unique()}, schema={"category": pl.String})
    missing = wanted.join(mix, on="category", how="anti").with_columns(
        count=pl.lit(0, pl.UInt32), share=pl.lit(0.0)
    )
    top = mix.head(TOP_CATEGORIES)
    named = mix.join(wanted, on="category", how="semi").join(top, on="category", how="anti")
    return pl.concat([top, named, missing.select(mix.columns)]).reverse()


def _targets_in(table: pl.DataFrame, key: str) -> pl.DataFrame:
    dimension, _, task = key.partition(":")
    inside = pl.col("dimension") == dimension
    return table.filter(inside & (pl.col("task") == task) if task else inside)


def _target_colours(table: pl.DataFrame, key: str, categories: list[str]) -> list[str]:
    unmet = set(_targets_in(table, key).filter(~pl.col("met"))["value"])
    return ["#c0392b" if c in unmet else "#4a7ab0" for c in categories]


def _as_list(axes: Any) -> list[Any]:
    return list(axes) if hasattr(axes, "__len__") else [axes]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=100)
    _pyplot().close(figure)
    return buffer.getvalue()
