"""Where the platform keeps its data: one setting, DATA_PLATFORM_HOME, decides it all."""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

from data_platform import __version__
from data_platform.errors import SettingsError

HOME_ENV = "DATA_PLATFORM_HOME"
REGISTRY_ENV = "DATA_PLATFORM_REGISTRY"
DAGSTER_HOME_ENV = "DAGSTER_HOME"
THREADS_ENV = "DATA_PLATFORM_THREADS"
EXECUTOR_ENV = "DATA_PLATFORM_EXECUTOR"
BROKER_ENV = "DATA_PLATFORM_CELERY_BROKER"
EXECUTORS = ("in_process", "celery")
DEFAULT_HOME = ".data_platform"


def platform_home() -> Path:
    """Root of the lake and the default registry; relative defaults resolve against the cwd."""
    return Path(os.environ.get(HOME_ENV, DEFAULT_HOME)).resolve()


def lake_root() -> Path:
    return platform_home() / "lake"


def existing_lake_root() -> Path:
    """The lake a command works on; SettingsError saying where it looked when there is none."""
    root = lake_root()
    if not root.is_dir():
        where = f"{HOME_ENV}={os.environ[HOME_ENV]}" if HOME_ENV in os.environ else f"{HOME_ENV} is not set"
        raise SettingsError(
            f"no lake at {root} ({where}): set {HOME_ENV} to the folder holding lake/ "
            "(after `make demo` that is .demo)"
        )
    return root


def dagster_home() -> Path:
    """The Dagster instance folder from DAGSTER_HOME; SettingsError when it is not set."""
    value = os.environ.get(DAGSTER_HOME_ENV)
    if not value:
        raise SettingsError(
            f"{DAGSTER_HOME_ENV} is not set: point it at the Dagster instance folder holding "
            "dagster.yaml (after `make demo` that is .demo/dagster_home)"
        )
    if not Path(value).is_dir():
        raise SettingsError(f"{DAGSTER_HOME_ENV}={value} is not a folder")
    return Path(value)


def worker_threads() -> int:
    """Threads a step may run its compiled kernels on: DATA_PLATFORM_THREADS, else the cores
    this process may use (a Celery or Kubernetes worker's share, not the whole machine's)."""
    value = os.environ.get(THREADS_ENV)
    if value is None:
        return len(os.sched_getaffinity(0))
    if not value.isdigit() or int(value) < 1:
        raise SettingsError(f"{THREADS_ENV}={value!r}: give a whole number of threads, 1 or more")
    return int(value)


def executor() -> str:
    """How a run executes its steps: ``in_process`` (default: the run's own process) or
    ``celery`` (each step a task on the Celery workers behind DATA_PLATFORM_CELERY_BROKER)."""
    value = os.environ.get(EXECUTOR_ENV, "in_process")
    if value not in EXECUTORS:
        raise SettingsError(f"{EXECUTOR_ENV}={value!r}: choose one of {', '.join(EXECUTORS)}")
    return value


def celery_broker() -> str:
    """The Celery broker URL (a Redis URL such as redis://broker:6379/0); results go there too."""
    value = os.environ.get(BROKER_ENV, "")
    if not value.startswith(("redis://", "rediss://")):
        where = f"{BROKER_ENV}={value!r}" if value else f"{BROKER_ENV} is not set"
        raise SettingsError(f"{where}: the Celery executor needs a Redis URL, e.g. redis://host:6379/0")
    return value


def registry_path() -> Path:
    return Path(os.environ.get(REGISTRY_ENV, platform_home() / "sources.yaml")).resolve()


@functools.cache
def code_version() -> str:
    """Package version plus the git commit of the checkout, when there is one (asked once per
    process: every partition written records it)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return __version__
    return f"{__version__}+g{commit}"
