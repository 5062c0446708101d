"""The Dagster entry point: collects the definitions of every area and binds the resources."""

from pathlib import Path

import dagster as dg

from data_platform.defs.annotated.assets import annotated_gate, annotated_records, labelers
from data_platform.defs.annotated.human import annotation_round, human_labels
from data_platform.defs.annotated.sensors import label_studio_inbox_sensor, relabel_sensor
from data_platform.defs.cleaned.assets import cleaned_gate, cleaned_records, dedup_state
from data_platform.defs.feedback.assets import collection_requests, feedback_gate, model_feedback
from data_platform.defs.feedback.sensors import feedback_sensor
from data_platform.defs.ingest.assets import source_registry
from data_platform.defs.ingest.sensors import drop_sensor, freshness_schedule, ingest_failure_sensor
from data_platform.defs.jobs import (
    annotate_job,
    annotation_round_job,
    feedback_job,
    human_labels_job,
    ingest_job,
    registry_job,
    release_job,
    requests_job,
    synthetic_job,
)
from data_platform.defs.lineage.sensors import openlineage_sensor
from data_platform.defs.models.assets import model_specs
from data_platform.defs.raw.assets import raw_gate, raw_records
from data_platform.defs.released.assets import release_gate, released_dataset
from data_platform.defs.released.evaluation import release_evaluation
from data_platform.defs.released.sensors import release_sensor
from data_platform.defs.resources import LakeResource, default_resources
from data_platform.defs.synthetic.assets import synthetic_candidates, synthetic_gate, synthetic_promotion
from data_platform.defs.synthetic.sensors import synthetic_sensor


def build_definitions(resources: dict[str, dg.ConfigurableResource] | None = None) -> dg.Definitions:
    """All definitions, bound to ``resources`` (default: the lake and registry from the env);
    registered models appear as assets downstream of the released dataset."""
    resources = resources or default_resources()
    lake = resources["lake"]
    if not isinstance(lake, LakeResource):
        raise TypeError(f"the 'lake' resource must be a LakeResource, not {type(lake).__name__}")
    models = model_specs(Path(lake.root))
    return dg.Definitions(
        assets=[
            source_registry,
            raw_records,
            dedup_state,
            cleaned_records,
            labelers,
            annotated_records,
            annotation_round,
            human_labels,
            released_dataset,
            release_evaluation,
            model_feedback,
            collection_requests,
            synthetic_candidates,
            synthetic_promotion,
            *models,
        ],
        asset_checks=[raw_gate, cleaned_gate, annotated_gate, release_gate, feedback_gate, synthetic_gate],
        jobs=[
            ingest_job,
            annotate_job,
            annotation_round_job,
            human_labels_job,
            release_job,
            registry_job,
            feedback_job,
            requests_job,
            synthetic_job,
        ],
        sensors=[
            drop_sensor,
            ingest_failure_sensor,
            label_studio_inbox_sensor,
            relabel_sensor,
            release_sensor,
            feedback_sensor,
            synthetic_sensor,
            openlineage_sensor,
        ],
        schedules=[freshness_schedule],
        resources=resources,
    )


defs = build_definitions()
