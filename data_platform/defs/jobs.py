"""Jobs: the per-batch ingest path, relabelling, human labels, the release, and the
registry/freshness refresh."""

import dagster as dg

from data_platform.defs.annotated.assets import annotated_records, labelers
from data_platform.defs.cleaned.assets import cleaned_records, dedup_state
from data_platform.defs.executors import step_executor
from data_platform.defs.feedback.assets import collection_requests, model_feedback
from data_platform.defs.ingest.assets import source_registry
from data_platform.defs.raw.assets import raw_records
from data_platform.defs.released.assets import released_dataset
from data_platform.defs.synthetic.assets import synthetic_candidates, synthetic_promotion

# The steps of one batch run strictly one after another (each tier waits for the gate before
# it), so a process per step would only add start-up time: by default a run is one process, and
# batches run side by side as separate runs (the run queue, or a pod per run with the Kubernetes
# launcher). With DATA_PLATFORM_EXECUTOR=celery every step is a task on the Celery workers.
STEPS = step_executor()
ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.assets(raw_records, dedup_state, cleaned_records, annotated_records),
    description="raw -> cleaned -> annotated for one batch, each tier gated by its GX check.",
    executor_def=STEPS,
)
release_job = dg.define_asset_job(
    "release_job",
    selection=dg.AssetSelection.assets(released_dataset, "release_evaluation"),
    description="Cut one dataset version from every annotated batch that passed its gate, and "
    "evaluate it (coverage, diversity, drift from the parent).",
    executor_def=STEPS,
)
annotate_job = dg.define_asset_job(
    "annotate_job",
    selection=dg.AssetSelection.assets(annotated_records),
    description="Relabel one annotated batch (new labeler versions or human labels), gated again.",
    executor_def=STEPS,
)
human_labels_job = dg.define_asset_job(
    "human_labels_job",
    selection=dg.AssetSelection.assets("human_labels", labelers),
    description="Import completed Label Studio exports, measure agreement, flag labels for review "
    "and retrain the labelers on the confirmed labels.",
    executor_def=STEPS,
)
annotation_round_job = dg.define_asset_job(
    "annotation_round_job",
    selection=dg.AssetSelection.assets("annotation_round"),
    description="Export the next active-learning round as Label Studio tasks (set strategy and size "
    "in the launchpad).",
    executor_def=STEPS,
)
registry_job = dg.define_asset_job(
    "registry_job",
    selection=dg.AssetSelection.assets(source_registry, labelers),
    description="Re-read the source registry, check every source's freshness, and train the "
    "labelers whose examples changed.",
    executor_def=STEPS,
)
feedback_job = dg.define_asset_job(
    "feedback_job",
    selection=dg.AssetSelection.assets(model_feedback),
    description="Read one file of model error reports or user feedback from the inbox, gated.",
    executor_def=STEPS,
)
requests_job = dg.define_asset_job(
    "requests_job",
    selection=dg.AssetSelection.assets(collection_requests),
    description="Find the slices models fail on in the gated feedback and open collection requests.",
    executor_def=STEPS,
)
synthetic_job = dg.define_asset_job(
    "synthetic_job",
    selection=dg.AssetSelection.assets(synthetic_candidates, synthetic_promotion),
    description="Judge one candidate batch of synthetic records against real data; promote it to "
    "the synthetic source's drop folder only if its gate passed.",
    executor_def=STEPS,
)
