"""The run launcher of a single-machine instance: Dagster's default one, plus a health check.

Dagster's run monitoring marks a run failed when its worker died, and then frees the concurrency
slots the run still held, but only with a launcher that can tell whether a worker is alive, and
the default launcher cannot. Without it, a run worker killed by SIGKILL or the OOM killer stays
STARTED forever and keeps its pool slot (``lake_catalog``), so every later release step on the
instance waits forever. This launcher reads the worker's pid from the run's own event log
("Started process for run (pid: N)") and asks the operating system whether that process still
runs (and, where /proc exists, that it is the same process, not a later one given the same pid).
The Kubernetes and Celery launchers have health checks of their own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self

import dagster as dg
from dagster._core.launcher import CheckRunHealthResult, WorkerStatus
from dagster._serdes import ConfigurableClassData

# How much earlier than its "started" event a process may have begun and still be that worker.
START_SLACK_SECONDS = 120.0


class LocalRunLauncher(dg.DefaultRunLauncher):
    """``DefaultRunLauncher`` whose run workers the run-monitoring daemon can check."""

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData, config_value: Mapping[str, Any]) -> Self:
        return cls(inst_data=inst_data)

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: dg.DagsterRun) -> CheckRunHealthResult:
        started = self._worker_start(run)
        if started is None:
            return CheckRunHealthResult(WorkerStatus.RUNNING, "no worker process recorded yet")
        pid, timestamp = started
        if not _alive(pid, timestamp):
            return CheckRunHealthResult(WorkerStatus.FAILED, f"run worker process {pid} is gone")
        return CheckRunHealthResult(WorkerStatus.RUNNING, f"run worker process {pid} is alive")

    def _worker_start(self, run: dg.DagsterRun) -> tuple[int, float] | None:
        """The pid and time of the run's first engine event that names its process."""
        for record in self._instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
            event = record.dagster_event
            data = event.engine_event_data if event is not None else None
            pid = data.metadata.get("pid") if data is not None else None
            if pid is not None and isinstance(pid.value, int):
                return pid.value, record.timestamp
        return None


def _alive(pid: int, since: float) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process holds the pid now: the worker is gone
        return False
    started = _process_start(pid)
    return started is None or started >= since - START_SLACK_SECONDS


def _process_start(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch), from /proc; None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime")
        )
    except (OSError, StopIteration, IndexError, ValueError):
        return None
    if fields[0] == "Z":  # a zombie has finished; its parent has not collected it yet
        return 0.0
    return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
