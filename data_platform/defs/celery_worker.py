"""The Celery app a worker machine runs:
``celery -A data_platform.defs.celery_worker worker -Q dagster``, with the same
DATA_PLATFORM_HOME (the lake, on a path every worker sees) and DATA_PLATFORM_CELERY_BROKER as the
Dagster instance. Each task executes one step of a run; the instance (Postgres) is named in the
task itself."""

from dagster_celery.executor import CeleryExecutor
from dagster_celery.make_app import make_app
from dagster_celery.tasks import create_task

from data_platform import settings
from data_platform.defs.executors import celery_settings

_broker = settings.celery_broker()
app = make_app(
    CeleryExecutor.for_cli(broker=_broker, backend=_broker, config_source=celery_settings()).app_args()
)
execute_plan = create_task(app)
