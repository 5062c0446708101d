"""The demo release's evaluation: files beside the release, numbers in Dagster, plots in a browser."""

import json
import shutil

import dagster as dg
import polars as pl
import pytest

from data_platform.demo.runner import DemoOutcome
from data_platform.lake.releases import EVALUATION_REPORT, read_manifest
from data_platform.sources.registry import load_registry
from data_platform.tiers.evaluated import evaluate_release, release_records

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="module")
def instance(demo: DemoOutcome):
    with dg.DagsterInstance.from_config(str(demo.lake.root.parent / "dagster_home")) as instance:
        yield instance


def test_the_release_job_evaluates_the_release_beside_its_datasheet(demo: DemoOutcome, instance) -> None:
    folder = demo.lake.root / "releases" / demo.release
    summary = json.loads((folder / "evaluation" / "evaluation.json").read_text(encoding="utf-8"))
    assert summary["records"] == read_manifest(demo.lake, demo.release)["record_count"]
    assert summary["parent_version"] is None and summary["drift"] == []
    assert {p.name for p in (folder / "evaluation").iterdir()} == {
        "evaluation.json",
        "coverage.png",
        "diversity.png",
    }
    assert (folder / EVALUATION_REPORT).is_file() and (folder / "DATASHEET.md").is_file()
    [record] = instance.fetch_materializations(
        dg.AssetRecordsFilter(dg.AssetKey("release_evaluation"), asset_partitions=[demo.release]), limit=1
    ).records
    metadata = record.asset_materialization.metadata
    for number in ("distinct_2", "near_duplicate_rate", "compression_ratio", "coverage_gaps"):
        assert isinstance(metadata[number].value, int | float), number
    assert metadata["coverage"].value.startswith("![Coverage](data:image/png;base64,")


def test_coverage_gaps_are_the_records_the_release_lacks(demo: DemoOutcome) -> None:
    registry = load_registry(demo.lake.root.parent / "sources.yaml")
    assert registry.coverage, "the demo registry declares coverage targets"
    evaluated = evaluate_release(demo.lake, demo.release, registry)
    records = release_records(demo.lake, demo.release)
    gaps = {gap["slice"]: gap["needed"] for gap in evaluated.summary["coverage_gaps"]}
    for lang in ("de", "fr", "es"):
        have = records.filter(pl.col("lang") == lang).height
        assert gaps.get(f"language={lang}", 0) == max(0, 100 - have), lang
    labels = records.select("record_id", "labels").explode("labels").unnest("labels")
    for intent in ("transfer", "balance"):
        have = labels.filter((pl.col("task") == "intent") & (pl.col("value") == intent))[
            "record_id"
        ].n_unique()
        assert gaps.get(f"label:intent={intent}", 0) == max(0, 10 - have), intent


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_the_report_shows_its_figures_in_a_browser(demo: DemoOutcome) -> None:
    from playwright.sync_api import sync_playwright

    from data_platform_tests.test_webserver import BROWSER_FLAGS

    report = demo.lake.root / "releases" / demo.release / EVALUATION_REPORT
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        try:
            page = browser.new_page()
            page.goto(report.as_uri())
            drawn = page.eval_on_selector_all(
                "img[data-figure]",
                "images => images.map(i => [i.dataset.figure, i.complete && i.naturalWidth > 300])",
            )
            assert dict(drawn) == {"Coverage": True, "Diversity": True}
            assert "Coverage targets" in page.inner_text("body")
        finally:
            browser.close()
