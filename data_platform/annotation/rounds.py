"""Active-learning rounds on the annotated tier: which records people label next.

``export_round`` picks up to ``size`` records from the gated annotated partitions for Label
Studio: first the records waiting for review (flags.py: annotators disagreed, contradictory
labels, likely label errors), then the ones the chosen strategy (active_learning.py) ranks
first for one label task among those no one has labelled yet; the current labeler computes the
probabilities (multi-label tasks: the label nearest its threshold decides how unsure it is).
Annotators are asked every label task of ``ask``, starting from the machine's labels.

A round lives in ``<lake>/_annotation/rounds/<round_id>/``: ``tasks.json`` (Label Studio import
JSON with the predictions; each task's data carries its record id, round and why it was
picked), ``config.xml`` (the labeling config generated from the label sets) and ``round.json``
(strategy, task, labeler versions, the records and reasons). The export people complete comes
back through human_labels.import_export.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

from data_platform.annotation.active_learning import lsa_embedding, pick
from data_platform.annotation.flags import read_flags
from data_platform.annotation.human_labels import read_votes
from data_platform.annotation.labelers import Labeler, text_features
from data_platform.annotation.labels import gated_records
from data_platform.interchange.label_studio import labeling_config, tasks_with_predictions, write_json
from data_platform.lake.atomic import write_json_atomic
from data_platform.lake.store import Lake

FOLDER = "_annotation/rounds"


@dataclass(frozen=True)
class RoundInfo:
    round_id: str
    folder: Path
    records: int
    reasons: dict[str, int]


def rounds_dir(lake: Lake) -> Path:
    return lake.root / FOLDER


def round_ids(lake: Lake) -> list[str]:
    return sorted(p.name for p in rounds_dir(lake).glob("round-*") if (p / "round.json").exists())


def read_round(lake: Lake, round_id: str) -> dict:
    return json.loads((rounds_dir(lake) / round_id / "round.json").read_text(encoding="utf-8"))


def export_round(
    lake: Lake,
    labelers: Mapping[str, Labeler],
    *,
    task: str,
    ask: tuple[str, ...],
    strategy: str = "margin",
    size: int = 100,
    seed: int = 0,
    within: pl.Series | None = None,
    request_id: str | None = None,
) -> RoundInfo:
    """Write the next round's Label Studio files (``labelers``: every task of ``ask``). With
    ``within`` (record ids: the slice of a collection request, ``request_id``) the round picks
    only among those records."""
    records = gated_records(lake).filter(
        pl.col("duplicate_of").is_null()  # an alternate copy would be labelled twice
        & pl.col("labels").list.eval(pl.element().struct.field("task") == task).list.any()
    )
    if within is not None:
        records = records.filter(pl.col("record_id").is_in(within.implode()))
    queued = _review_queue(lake, records, ask, size)
    done = read_votes(lake).filter(pl.col("task") == task)["record_id"]
    candidates = records.filter(~pl.col("record_id").is_in(pl.concat([done, queued["record_id"]]).implode()))
    picked = _pick(records, candidates, labelers[task], strategy, size - queued.height, seed)
    chosen = pl.concat([queued, picked.with_columns(reason=pl.lit(strategy))])
    round_id = f"round-{len(round_ids(lake)) + 1:04d}"
    folder = rounds_dir(lake) / round_id
    chosen = chosen.with_columns(round=pl.lit(round_id))
    model_version = ",".join(f"{t}:{labelers[t].version}" for t in ask)
    write_json(folder / "tasks.json", tasks_with_predictions(chosen, ask, model_version, ("round", "reason")))
    label_sets = {t: (labelers[t].label_set, labelers[t].multi_label) for t in ask}
    (folder / "config.xml").write_text(labeling_config(label_sets), encoding="utf-8")
    reasons = dict(chosen.group_by("reason").len().sort("reason").iter_rows())
    write_json_atomic(
        folder / "round.json",
        {
            "round": round_id,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "task": task,
            "strategy": strategy,
            "collection_request": request_id,
            "ask": list(ask),
            "labelers": {t: f"{labelers[t].name} {labelers[t].version}" for t in ask},
            "reasons": reasons,
            "records": chosen.select("record_id", "batch_id", "reason").to_dicts(),
        },
    )
    return RoundInfo(round_id, folder, chosen.height, reasons)


def _review_queue(lake: Lake, records: pl.DataFrame, ask: tuple[str, ...], size: int) -> pl.DataFrame:
    """Records with an open flag on a task of ``ask`` (in the tier's order), up to ``size``."""
    flags = read_flags(lake).filter(pl.col("task").is_in(list(ask)))
    first = flags.group_by("record_id", maintain_order=True).agg(
        reason=pl.format("review:{}", pl.col("reason").first())
    )
    return records.join(first, on="record_id").head(size)


def _pick(
    records: pl.DataFrame, candidates: pl.DataFrame, labeler: Labeler, strategy: str, size: int, seed: int
) -> pl.DataFrame:
    if size <= 0 or candidates.is_empty():
        return candidates.clear()
    position = {rid: i for i, rid in enumerate(records["record_id"].to_list())}
    pool = np.array([position[rid] for rid in candidates["record_id"].to_list()], dtype=np.int64)
    labelled = np.setdiff1d(np.arange(records.height), pool)
    proba = embedding = None
    if strategy in ("margin", "entropy"):
        proba = _uncertainty_proba(labeler, candidates["text"])
    if strategy == "diversity":
        embedding = lsa_embedding(
            text_features().fit_transform(records["text"].fill_null("").to_list()), seed
        )
    rows = pick(strategy, size, pool, labelled, proba, embedding, np.random.default_rng(seed))
    return records[rows.tolist()]


def _uncertainty_proba(labeler: Labeler, texts: pl.Series) -> np.ndarray:
    """The labeler's probabilities; for a multi-label task, per record the two-way split of the
    label whose probability is nearest the threshold."""
    proba = labeler.predict_proba(texts)
    if not labeler.multi_label:
        return proba
    nearest = proba[np.arange(len(proba)), np.abs(proba - labeler.threshold).argmin(axis=1)]
    return np.column_stack([nearest, 1.0 - nearest])
