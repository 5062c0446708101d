"""What a run executed from a terminal (the demo, the CLI) says to a person: quiet while it
runs, one line when it ends."""

import dagster as dg
from dagster._utils.error import SerializableErrorInfo

# Dagster's console logger would print every event at DEBUG; failed gates and their examples
# belong in the UI and in the line ``run_outcome`` writes, not on the terminal.
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def run_outcome(result: dg.ExecuteInProcessResult) -> str:
    """Promoted, stopped by a gate, or failed with the error (a crash is not a gate's verdict)."""
    if result.success:
        return "promoted"
    errors = [
        event.step_failure_data.error
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data.error is not None
    ]
    crashes = [_root_cause(e) for e in errors if e.cls_name != "DagsterAssetCheckFailedError"]
    if crashes:
        return f"FAILED in a step: {crashes[0].cls_name}: {crashes[0].message.strip()}"
    return "stopped by a gate"


def _root_cause(error: SerializableErrorInfo) -> SerializableErrorInfo:
    """The exception the step raised, under Dagster's wrapper ("Error occurred while executing")."""
    while error.cause is not None:
        error = error.cause
    return error
