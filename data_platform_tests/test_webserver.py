"""`dagster dev` really started from workspace.yaml, headless, and asked over GraphQL."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from data_platform.demo.runner import DemoOutcome

pytestmark = [pytest.mark.integration, pytest.mark.slow]
PROJECT_ROOT = Path(__file__).resolve().parents[1]
LINEAGE_QUERY = """
query {
  assetNodes {
    assetKey { path }
    groupName
    dependencyKeys { path }
    assetMaterializations(limit: 1) {
      metadataEntries { label ... on IntMetadataEntry { intValue } }
    }
  }
}
"""
DAEMON_QUERY = "query { instance { daemonHealth { allDaemonStatuses { daemonType healthy } } } }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(demo: DemoOutcome):
    home = demo.lake.root.parent
    port = free_port()
    env = {**os.environ, "DAGSTER_HOME": str(home / "dagster_home"), "DATA_PLATFORM_HOME": str(home)}
    command = [str(Path(sys.executable).parent / "dagster"), "dev", "-w", "workspace.yaml"]
    command += ["-h", "127.0.0.1", "-p", str(port)]
    log = (home / "dagster_dev.log").open("wb")
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert process.poll() is None, (home / "dagster_dev.log").read_text()[-3000:]
            try:
                if requests.get(f"{url}/server_info", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(1)
        else:
            pytest.fail("dagster dev did not answer /server_info within 180 s")
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def graphql(url: str, query: str) -> dict:
    response = requests.post(f"{url}/graphql", json={"query": query}, timeout=60)
    response.raise_for_status()
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def test_graphql_reports_the_tier_lineage_and_row_counts(webserver: str) -> None:
    nodes = {"/".join(n["assetKey"]["path"]): n for n in graphql(webserver, LINEAGE_QUERY)["assetNodes"]}
    parents = {name: {"/".join(d["path"]) for d in n["dependencyKeys"]} for name, n in nodes.items()}
    assert parents["released_dataset"] == {"annotated_records"}
    assert parents["annotated_records"] == {"cleaned_records"}
    assert parents["cleaned_records"] == {"raw_records"}
    assert parents["raw_records"] == set()
    [latest] = nodes["released_dataset"]["assetMaterializations"]
    counts = {e["label"]: e.get("intValue") for e in latest["metadataEntries"]}
    assert counts["dagster/row_count"] > 3000


def test_daemon_is_running_beside_the_webserver(webserver: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        statuses = graphql(webserver, DAEMON_QUERY)["instance"]["daemonHealth"]["allDaemonStatuses"]
        healthy = {s["daemonType"] for s in statuses if s["healthy"]}
        if {"SENSOR", "SCHEDULER", "QUEUED_RUN_COORDINATOR"} <= healthy or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert {"SENSOR", "SCHEDULER", "QUEUED_RUN_COORDINATOR"} <= healthy, statuses
