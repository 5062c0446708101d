"""`dagster dev` really started from workspace.yaml, headless, and asked over GraphQL."""

import contextlib
import shutil
import time

import pytest
import requests

from data_platform.demo.runner import DemoOutcome
from data_platform_tests.conftest import dagster_dev

pytestmark = [pytest.mark.integration, pytest.mark.slow]
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
LOOP_QUERY = """
query {
  assetNodes(assetKeys: [{path: ["human_labels"]}, {path: ["labelers"]}]) {
    assetKey { path }
    assetMaterializations(limit: 5) {
      metadataEntries {
        label
        ... on MarkdownMetadataEntry { mdStr }
        ... on TextMetadataEntry { text }
        ... on IntMetadataEntry { intValue }
      }
    }
  }
}
"""
DAEMON_QUERY = "query { instance { daemonHealth { allDaemonStatuses { daemonType healthy } } } }"


@pytest.fixture(scope="module")
def webserver(demo: DemoOutcome):
    with dagster_dev(demo.lake.root.parent) as url:
        yield url


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
    assert parents["annotated_records"] == {"cleaned_records", "labelers"}
    assert parents["cleaned_records"] == {"raw_records", "dedup_state"}
    assert parents["dedup_state"] == {"raw_records"}
    assert parents["raw_records"] == set()
    [latest] = nodes["released_dataset"]["assetMaterializations"]
    counts = {e["label"]: e.get("intValue") for e in latest["metadataEntries"]}
    assert counts["dagster/row_count"] > 3000


def test_the_ui_shows_agreement_and_the_labelers_retrained_on_human_labels(webserver: str) -> None:
    nodes = {"/".join(n["assetKey"]["path"]): n for n in graphql(webserver, LOOP_QUERY)["assetNodes"]}

    def entries(materialization: dict) -> dict:
        return {
            e["label"]: e.get("mdStr") or e.get("text") or e.get("intValue")
            for e in materialization["metadataEntries"]
        }

    [imported] = [entries(m) for m in nodes["human_labels"]["assetMaterializations"]]
    assert imported["annotators"] == 3 and "| intent |" in imported["agreement"]
    assert "label-studio:2" in imported["annotator_scores"]
    # Newest first: retrained on the round's labels, then the first training from examples only.
    retrained, first = (entries(m) for m in nodes["labelers"]["assetMaterializations"])
    assert retrained["intent_version"] != first["intent_version"]
    assert retrained["intent_human_labels"] > 0 and first["intent_human_labels"] == 0


def test_daemon_is_running_beside_the_webserver(webserver: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        statuses = graphql(webserver, DAEMON_QUERY)["instance"]["daemonHealth"]["allDaemonStatuses"]
        healthy = {s["daemonType"] for s in statuses if s["healthy"]}
        if {"SENSOR", "SCHEDULER", "QUEUED_RUN_COORDINATOR"} <= healthy or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert {"SENSOR", "SCHEDULER", "QUEUED_RUN_COORDINATOR"} <= healthy, statuses


CHROMIUM = shutil.which("chromium")
BROWSER_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_ui_says_which_expectation_stopped_the_batch(webserver: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1200})
            page.goto(f"{webserver}/assets/raw_records?view=checks")
            page.get_by_text("raw_gate").first.wait_for(timeout=60_000)
            # A fresh browser profile gets Dagster's "join the community" dialog; it may open a
            # moment after the page renders.
            skip = page.get_by_role("button", name="Skip")
            with contextlib.suppress(PlaywrightTimeout):
                skip.wait_for(timeout=15_000)
                skip.click()
            page.get_by_text("Execution history").first.click()
            failure = page.get_by_text(
                "batch clinc_intents:clinc-2026-01-08.jsonl: failed raw_conservation."
                "expect_column_values_to_be_between(quarantine_rate): 1 of 1 unexpected"
            )
            failure.first.wait_for(timeout=60_000)
            assert '"quarantine_rate": 0.8' in failure.first.inner_text()
        finally:
            browser.close()
