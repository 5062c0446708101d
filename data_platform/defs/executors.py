"""Where a run's steps execute: in the run's own process (the default), or as tasks on Celery
workers on other machines (DATA_PLATFORM_EXECUTOR=celery, DATA_PLATFORM_CELERY_BROKER=redis://...).

The Celery set-up is one mapping, ``celery_settings``, read by both sides: the executor in each run
worker that submits steps, and the app the workers start (``data_platform.defs.celery_worker``),
so that acknowledging late, for instance, cannot be configured on one side only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dagster as dg

from data_platform import settings

# How long a broker (Redis) may keep a task that a worker took but never acknowledged before giving
# it to another worker: longer than any step, or a slow step would run twice at once.
VISIBILITY_TIMEOUT_SECONDS = 6 * 3600
# How long the executor waits for a worker to answer before it fails the run, rather than queue
# steps that nobody will take.
WORKER_PING_SECONDS = 5.0


def celery_settings() -> dict[str, Any]:
    """The Celery app settings shared by the executor and the workers."""
    return {
        # A task is acknowledged when it ends, not when it starts, and given back to the queue
        # when the process running it dies (SIGKILL, out of memory): another worker then runs
        # the step again from its start. Steps publish their partition last, so a killed
        # attempt leaves nothing half-written behind.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        # One task at a time per worker process: a busy worker never holds steps an idle one
        # could take.
        "worker_prefetch_multiplier": 1,
        "broker_connection_retry_on_startup": True,
        # A broker that is down fails a submission after a few quick tries, not minutes later.
        "broker_transport_options": {
            "visibility_timeout": VISIBILITY_TIMEOUT_SECONDS,
            "max_retries": 3,
            "interval_start": 0,
            "interval_step": 0.5,
            "interval_max": 1,
        },
        "redis_socket_connect_timeout": 5,
        "redis_socket_timeout": 30,
        "result_expires": 24 * 3600,
    }


def step_executor() -> dg.ExecutorDefinition:
    """The executor every job runs its steps with, chosen by DATA_PLATFORM_EXECUTOR."""
    if settings.executor() == "in_process":
        return dg.in_process_executor
    broker = settings.celery_broker()
    return _checked_celery_executor().configured(
        {"broker": broker, "backend": broker, "config_source": celery_settings()}, name="celery"
    )


def _checked_celery_executor() -> dg.ExecutorDefinition:
    """dagster-celery's executor, which first makes sure a worker listens on the broker.

    dagster-celery submits steps and then polls for their results; with the broker down it
    fails only after retries, and with no worker at all it waits for ever. Here the run fails at
    once, naming the broker, and no step is submitted."""
    from dagster._core.execution.retries import RetryMode
    from dagster_celery.executor import CELERY_CONFIG, CeleryExecutor
    from dagster_celery.make_app import make_app

    class CheckedCeleryExecutor(CeleryExecutor):
        def execute(self, plan_context: Any, execution_plan: Any) -> Iterator[dg.DagsterEvent]:
            _require_a_worker(make_app(self.app_args()), self.broker)
            yield from super().execute(plan_context, execution_plan)

    @dg.executor(
        name="celery", config_schema=CELERY_CONFIG, requirements=dg.multiple_process_executor_requirements()
    )
    def checked_celery_executor(init_context: dg.InitExecutorContext) -> CheckedCeleryExecutor:
        config: dict[str, Any] = dict(init_context.executor_config)
        return CheckedCeleryExecutor(
            broker=config.get("broker"),
            backend=config.get("backend"),
            config_source=config.get("config_source"),
            include=config.get("include"),
            retries=RetryMode.from_config(config["retries"]),
        )

    return checked_celery_executor


def _require_a_worker(app: Any, broker: str) -> None:
    from kombu.exceptions import OperationalError

    try:
        answers = app.control.ping(timeout=WORKER_PING_SECONDS)
    except (OperationalError, OSError) as error:
        raise dg.Failure(
            f"the Celery broker {broker} cannot be reached ({error}): start it, or point "
            f"{settings.BROKER_ENV} at it; no step of this run was submitted"
        ) from error
    if not answers:
        raise dg.Failure(
            f"no Celery worker answered on {broker} within {WORKER_PING_SECONDS:.0f} s: start one with "
            "`celery -A data_platform.defs.celery_worker worker`; no step of this run was submitted"
        )
