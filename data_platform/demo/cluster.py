"""A distributed Dagster set-up on one machine, as `make demo-distributed` and the tests start it.

PostgreSQL holds the instance (runs, events, partitions), Redis is the Celery broker, Celery
workers stand in for worker machines (one process each), and `dagster dev` runs the webserver,
the daemon and the run queue with the profile in deploy/celery/dagster.yaml. Every part is a
real server from the machine's packages (Debian's postgresql and redis-server), started in its
own process group and stopped with the cluster. The lake lives under ``home``, a path every
worker sees, as a shared file system would give real machines.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from data_platform import settings
from data_platform.errors import DataPlatformError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CELERY_PROFILE = PROJECT_ROOT / "deploy" / "celery" / "dagster.yaml"
PG_USER = "dagster"
PG_DB = "dagster"
# Debian installs the server programs here, off the PATH.
POSTGRES_BIN_GLOB = "/usr/lib/postgresql/*/bin"


class ClusterError(DataPlatformError):
    """A server of the local cluster is missing or did not start; the message says which."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _program(name: str, extra_dirs: tuple[str, ...] = ()) -> str:
    found = shutil.which(name) or next(
        (
            str(p / name)
            for pattern in extra_dirs
            for p in sorted(Path("/").glob(pattern.lstrip("/")))
            if (p / name).exists()
        ),
        None,
    )
    if found is None:
        raise ClusterError(f"{name} is not installed: install Debian's postgresql and redis-server packages")
    return found


def missing_programs() -> list[str]:
    """The servers' programs this machine lacks (none, once Debian's packages are installed)."""
    missing = []
    for name, extra in (
        ("initdb", (POSTGRES_BIN_GLOB,)),
        ("pg_ctl", (POSTGRES_BIN_GLOB,)),
        ("redis-server", ()),
    ):
        try:
            _program(name, extra)
        except ClusterError:
            missing.append(name)
    return missing


def _wait(
    ready: Callable[[], bool], seconds: float, what: str, process: subprocess.Popen | None, log: Path
) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if process is not None and process.poll() is not None:
            raise ClusterError(f"{what} exited with {process.returncode}; its log {log} ends:\n{_tail(log)}")
        if time.monotonic() > deadline:
            raise ClusterError(
                f"{what} was not ready within {seconds:.0f} s; its log {log} ends:\n{_tail(log)}"
            )
        time.sleep(0.5)


def _tail(log: Path, chars: int = 3000) -> str:
    return log.read_text(errors="replace")[-chars:] if log.exists() else "(no log)"


def _stop_group(process: subprocess.Popen, grace: float = 30) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@dataclass
class Postgres:
    """A PostgreSQL server of its own: initdb in a temporary folder, a local port, trust auth.
    The server refuses to run as root, so under root it runs as the ``postgres`` user."""

    port: int = field(default_factory=free_port)
    data: Path = field(init=False)

    def __post_init__(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="data-platform-postgres-"))
        self.data = folder / "data"
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", PG_USER, "-E", "UTF8", "--no-sync")

    @property
    def log(self) -> Path:
        return self.data.parent / "postgres.log"

    def start(self) -> None:
        self._run("pg_ctl", *self._server_options(), "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        """Stop (fast: open connections are cut) and start again on the same port."""
        self._run("pg_ctl", *self._server_options(), "-m", "fast", "restart")

    def _server_options(self) -> list[str]:
        # The log file matters beyond logging: without it the server inherits pg_ctl's output,
        # and whoever reads that output waits for the server to exit.
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1 -c fsync=off"
        return ["-D", str(self.data), "-o", options, "-l", str(self.log), "-w"]

    def create_database(self) -> None:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user=PG_USER, dbname="postgres")
        connection.autocommit = True  # CREATE DATABASE cannot run inside a transaction
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {PG_DB}")
        finally:
            connection.close()

    def remove(self) -> None:
        with contextlib.suppress(ClusterError):
            self.stop()
        shutil.rmtree(self.data.parent, ignore_errors=True)

    def env(self) -> dict[str, str]:
        """What deploy/celery/dagster.yaml reads to find the instance database."""
        return {
            "DAGSTER_PG_HOST": "127.0.0.1",
            "DAGSTER_PG_PORT": str(self.port),
            "DAGSTER_PG_USER": PG_USER,
            "DAGSTER_PG_PASSWORD": "unused-with-trust-auth",
            "DAGSTER_PG_DB": PG_DB,
        }

    def _run(self, program: str, *args: str) -> None:
        command = [_program(program, (POSTGRES_BIN_GLOB,)), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd="/", check=False)
        if done.returncode != 0:
            raise ClusterError(
                f"{program} {' '.join(args)} failed: {done.stderr.strip() or done.stdout.strip()}"
            )


@dataclass
class Redis:
    """A Redis server on a local port, nothing persisted: the Celery broker and result store."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def log(self) -> Path:
        return self.folder / "redis.log"

    def start(self) -> None:
        command = [_program("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
        _wait(self.answers, 30, "redis-server", self.process, self.log)

    def stop(self) -> None:
        if self.process is not None:
            _stop_group(self.process)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@dataclass
class LocalCluster:
    """PostgreSQL, Redis, ``workers`` Celery workers and `dagster dev`, under ``home``:
    ``home/lake`` (the lake), ``home/dagster_home`` (the instance folder), ``home/cluster``
    (the servers' logs). ``start_dagster=False`` leaves the webserver and daemon to the caller."""

    home: Path
    workers: int = 2
    ui_port: int = field(default_factory=free_port)
    threads_per_worker: int = 1
    postgres: Postgres = field(init=False)
    redis: Redis = field(init=False)
    worker_processes: list[subprocess.Popen] = field(default_factory=list)
    dagster: subprocess.Popen | None = None

    @property
    def logs(self) -> Path:
        return self.home / "cluster"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ui_port}"

    def env(self) -> dict[str, str]:
        """The environment every process of the cluster shares: instance, lake and broker."""
        return {
            **os.environ,
            **self.postgres.env(),
            "DAGSTER_HOME": str(self.home / "dagster_home"),
            settings.HOME_ENV: str(self.home),
            settings.EXECUTOR_ENV: "celery",
            settings.BROKER_ENV: self.redis.url,
            "DAGSTER_DISABLE_TELEMETRY": "1",
        }

    def __enter__(self) -> LocalCluster:
        self.logs.mkdir(parents=True, exist_ok=True)
        (self.home / "dagster_home").mkdir(parents=True, exist_ok=True)
        shutil.copy(CELERY_PROFILE, self.home / "dagster_home" / "dagster.yaml")
        self.postgres = Postgres()
        self.redis = Redis(self.logs)
        try:
            self.postgres.start()
            self.postgres.create_database()
            self.redis.start()
            for number in range(1, self.workers + 1):
                self.start_worker(number)
            self.start_dagster()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *_: object) -> None:
        if self.dagster is not None:
            _stop_group(self.dagster)
        for worker in self.worker_processes:
            _stop_group(worker)
        if hasattr(self, "redis"):
            self.redis.stop()
        if hasattr(self, "postgres"):
            self.postgres.remove()

    def start_worker(self, number: int) -> subprocess.Popen:
        """One Celery worker process with one child that executes steps: one machine's worth."""
        log = self.logs / f"worker-{number}.log"
        command = [str(Path(sys.executable).parent / "celery"), "-A", "data_platform.defs.celery_worker"]
        command += ["worker", "-Q", "dagster", "-c", "1", "-n", f"worker{number}@%h", "--loglevel", "INFO"]
        env = {**self.env(), settings.THREADS_ENV: str(self.threads_per_worker)}
        with log.open("ab") as out:
            worker = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=out, start_new_session=True
            )
        self.worker_processes.append(worker)
        _wait(lambda: b"ready." in log.read_bytes(), 120, f"celery worker {number}", worker, log)
        return worker

    def start_dagster(self) -> None:
        log = self.logs / "dagster_dev.log"
        command = [
            str(Path(sys.executable).parent / "dagster"),
            "dev",
            "-w",
            str(PROJECT_ROOT / "workspace.yaml"),
        ]
        command += ["-h", "127.0.0.1", "-p", str(self.ui_port)]
        with log.open("ab") as out:
            self.dagster = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=self.env(), stdout=out, stderr=out, start_new_session=True
            )
        _wait(lambda: _answers(f"{self.url}/server_info"), 180, "dagster dev", self.dagster, log)

    def step_processes(self) -> list[int]:
        """The pids of the worker children that execute steps (the Celery pool processes)."""
        children: list[int] = []
        for worker in self.worker_processes:
            path = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
            if worker.poll() is None and path.exists():
                children += [int(pid) for pid in path.read_text().split()]
        return children


def _answers(url: str) -> bool:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False
