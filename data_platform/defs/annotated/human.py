"""People in the loop: a round of records for Label Studio, and the labels that come back."""

import dagster as dg
from pydantic import Field

from data_platform.annotation.active_learning import STRATEGIES
from data_platform.annotation.flags import refresh_flags
from data_platform.annotation.human_labels import (
    VOTE_DESCRIPTIONS,
    VOTE_SCHEMA,
    agreement_report,
    annotator_report,
    drift_report,
    import_inbox,
    inbox_dir,
    read_votes,
)
from data_platform.annotation.rounds import export_round
from data_platform.annotation.training import label_sets, labelers_for, registry_tasks
from data_platform.defs.annotated.assets import annotated_records
from data_platform.defs.metadata import OWNERS, markdown_table, table_schema
from data_platform.defs.resources import LakeResource, RegistryResource
from data_platform.tiers.feedback import request_slice

NO_AGREEMENT = "nothing yet: no record has two annotators"


class RoundConfig(dg.Config):
    task: str = Field(default="intent", description="The label task whose uncertainty picks the records")
    ask: list[str] = Field(default=["intent", "tone"], description="The label tasks annotators answer")
    strategy: str = Field(default="margin", description=f"One of {', '.join(STRATEGIES)}")
    size: int = Field(default=100, description="Records in the round (flagged ones for review first)")
    request: str = Field(default="", description="A collection request id: pick only records of its slice")


@dg.asset(
    deps=[annotated_records],
    group_name="annotated",
    kinds={"json"},
    owners=OWNERS,
    code_version="round-1",
)
def annotation_round(config: RoundConfig, lake: LakeResource) -> dg.MaterializeResult:
    """The next active-learning round for people: records waiting for review first, then those
    the strategy ranks first for the task, written as Label Studio import JSON (machine labels as
    pre-annotations) with the labeling config generated from the label sets. Import both into a
    Label Studio project; drop its JSON export into the lake's ``_annotation/inbox/``."""
    store = lake.lake()
    ask = tuple(config.ask)
    labelers = labelers_for(store, tuple(dict.fromkeys((config.task, *ask))))
    within = request_slice(store, config.request, config.task) if config.request else None
    info = export_round(
        store,
        labelers,
        task=config.task,
        ask=ask,
        strategy=config.strategy,
        size=config.size,
        within=within,
        request_id=config.request or None,
    )
    return dg.MaterializeResult(
        metadata={
            "round": info.round_id,
            "records": info.records,
            "reasons": dg.MetadataValue.json(info.reasons),
            "tasks_json": dg.MetadataValue.path(str(info.folder / "tasks.json")),
            "labeling_config": dg.MetadataValue.md(
                "```xml\n" + (info.folder / "config.xml").read_text(encoding="utf-8") + "```"
            ),
            "drop_export_into": dg.MetadataValue.path(str(inbox_dir(store))),
        }
    )


@dg.asset(
    group_name="annotated",
    kinds={"parquet", "polars"},
    owners=OWNERS,
    code_version="human-labels-1",
    metadata={"dagster/column_schema": table_schema(VOTE_SCHEMA, VOTE_DESCRIPTIONS)},
)
def human_labels(context: dg.AssetExecutionContext, lake: LakeResource, registry: RegistryResource):
    """Label Studio exports dropped into ``_annotation/inbox/``, imported as human labels (one vote
    per record, task and annotator; an export that fails its checks is moved to
    ``_annotation/rejected/`` with the error), then: agreement per task and per batch
    (Krippendorff's alpha, Fleiss' and Cohen's kappa), each annotator against the others'
    majority, drift of the chosen labels across batches and annotators, and the labels flagged
    for review (annotators disagree, contradictory labels, likely label errors)."""
    store = lake.lake()
    sources = registry.load()
    imported, rejected = import_inbox(store, label_sets(store, registry_tasks(sources)))
    for name, error in rejected.items():
        context.log.error(f"rejected {name}: {error}")
    votes = read_votes(store)
    flags = refresh_flags(store, sources.labelers) if votes.height else None
    return dg.MaterializeResult(
        metadata={
            "imported": dg.MetadataValue.json([vars(r) | {"path": str(r.path)} for r in imported]),
            "rejected": dg.MetadataValue.json(rejected),
            "votes": votes.height,
            "records": votes["record_id"].n_unique(),
            "annotators": votes["annotator"].n_unique(),
            "agreement": dg.MetadataValue.md(markdown_table(agreement_report(votes), NO_AGREEMENT)),
            "agreement_per_batch": dg.MetadataValue.md(
                markdown_table(agreement_report(votes, "batch_id"), NO_AGREEMENT)
            ),
            "annotator_scores": dg.MetadataValue.md(markdown_table(annotator_report(votes))),
            "drift": dg.MetadataValue.json(drift_report(votes)),
            "flags": dg.MetadataValue.json(
                {} if flags is None else dict(flags.group_by("reason").len().sort("reason").iter_rows())
            ),
        }
    )
