"""Evaluation measures against values computed by hand on small frames, and on real sentences."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from data_platform.evaluation.coverage import coverage, gaps, records_needed
from data_platform.evaluation.distances import categorical_shift, jensen_shannon, numeric_shift, psi
from data_platform.evaluation.diversity import (
    cluster_spread,
    compression_ratio,
    diversity,
    heaps_beta,
    near_duplicate_rate,
    vocabulary_growth,
)
from data_platform.evaluation.drift import (
    MIN_LANGUAGE_RECORDS,
    per_language_shifts,
    release_drift,
    shift_table,
)
from data_platform.evaluation.profile import label_rows, records_profile
from data_platform.evaluation.report import evaluate
from data_platform.evaluation.text_drift import text_drift
from data_platform.sources.registry import load_registry
from data_platform.sources.targets import CoverageTarget

SAMPLE = Path(__file__).parents[1] / "data_platform" / "demo" / "sample"
TURNS = pl.List(pl.Struct({"speaker": pl.String, "text": pl.String}))
LABELS = pl.List(pl.Struct({"task": pl.String, "value": pl.String}))
# (0.25 - 0.5) ln(0.25 / 0.5) + (0.75 - 0.5) ln(0.75 / 0.5)
PSI_HALF_TO_QUARTER = 0.25 * math.log(2) + 0.25 * math.log(1.5)


def released(rows: list[tuple[str, str, str, str, list[tuple[str, str]]]]) -> pl.DataFrame:
    """Release-shaped records from (record_id, source_id, lang, text, [(task, value)])."""
    return pl.DataFrame(
        {
            "record_id": [r[0] for r in rows],
            "source_id": [r[1] for r in rows],
            "lang": [r[2] for r in rows],
            "text": [r[3] for r in rows],
            "turns": [None] * len(rows),
            "labels": [[{"task": t, "value": v} for t, v in r[4]] for r in rows],
        },
        schema={
            "record_id": pl.String,
            "source_id": pl.String,
            "lang": pl.String,
            "text": pl.String,
            "turns": TURNS,
            "labels": LABELS,
        },
    )


def sentences(name: str) -> list[dict]:
    with gzip.open(SAMPLE / name, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_psi_and_jensen_shannon_match_their_formulas() -> None:
    assert psi(np.array([0.5, 0.5]), np.array([0.25, 0.75])) == pytest.approx(PSI_HALF_TO_QUARTER)
    assert psi(np.array([3, 7]), np.array([30, 70])) == pytest.approx(0.0)
    assert jensen_shannon(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == pytest.approx(1.0)
    # m = (0.75, 0.25): KL(p||m) = 0.5 log2(2/3) + 0.5 log2(2), KL(q||m) = log2(4/3)
    expected = (0.5 * math.log2(2 / 3) + 0.5 + math.log2(4 / 3)) / 2
    assert jensen_shannon(np.array([0.5, 0.5]), np.array([1.0, 0.0])) == pytest.approx(expected)


def test_a_category_one_side_lacks_gets_the_floor_not_infinity() -> None:
    shift = categorical_shift(
        "lang", pl.Series(["en", "en", "de", "de"]), pl.Series(["en", "fr", "fr", "fr"])
    )
    table = {
        row["category"]: (row["reference_share"], row["current_share"]) for row in shift.categories.to_dicts()
    }
    assert table == {"de": (0.5, 0.0), "en": (0.5, 0.25), "fr": (0.0, 0.75)}
    ref = np.array([0.5, 0.5, 1e-4]) / 1.0001
    cur = np.array([1e-4, 0.25, 0.75]) / 1.0001
    assert shift.psi == pytest.approx(float(np.sum((cur - ref) * np.log(cur / ref))))
    assert math.isfinite(shift.psi) and shift.jensen_shannon < 1


def test_lengths_are_cut_at_the_reference_quantiles() -> None:
    shift = numeric_shift("length", pl.Series(range(1, 11)), pl.Series([1, 2, 3, 20]), bins=2)
    assert shift.categories["category"].to_list() == ["(-inf, 5.5]", "(5.5, inf]"]
    assert shift.categories["current_share"].to_list() == [0.75, 0.25]
    assert shift.psi == pytest.approx(PSI_HALF_TO_QUARTER)


def test_coverage_names_and_sizes_each_gap() -> None:
    rows = [(f"r{i}", "shop", "de" if i < 3 else "en", f"text {i}", []) for i in range(10)]
    for i, value in enumerate(["transfer", "balance", "balance", "balance"]):
        rows[i] = (*rows[i][:4], [("intent", value)])
    records = released(rows)
    targets = [
        CoverageTarget("language", "de", min_share=0.5),
        CoverageTarget("language", "de", min_count=5),
        CoverageTarget("label", "transfer", task="intent", min_share=0.5),
        CoverageTarget("label", "refund", task="intent", min_count=3),
        CoverageTarget("source", "shop", min_share=0.9),
    ]
    table = coverage(records_profile(records, {"shop": "retail"}), label_rows(records), targets)
    # (3 + 4) / (10 + 4) = 0.5; 5 - 3; (1 + 2) / (4 + 2) = 0.5; 3 - 0; 10 / 10 >= 0.9
    assert table["needed"].to_list() == [4, 2, 2, 3, 0]
    assert table["met"].to_list() == [False, False, False, False, True]
    assert table.filter(pl.col("slice") == "label:intent=transfer")["share"].item() == 0.25
    assert gaps(table)["slice"].to_list() == [
        "language=de",
        "label:intent=refund",
        "label:intent=transfer",
        "language=de",
    ]


def test_an_empty_slice_needs_a_record_even_of_an_empty_whole() -> None:
    assert records_needed(0, 0, None, 0.2) == 1
    assert records_needed(2, 10, None, 0.2) == 0
    assert records_needed(1, 10, None, 0.2) == 2  # (1 + 2) / 12 = 0.25, (1 + 1) / 11 < 0.2


def test_the_registry_reports_a_bad_target_and_keeps_the_others(tmp_path) -> None:
    registry = tmp_path / "sources.yaml"
    registry.write_text(
        "sources: []\n"
        "coverage:\n"
        "  - {dimension: language, value: [de, fr], min_share: 0.1}\n"
        "  - {dimension: label, value: x, min_count: 5}\n"
        "  - {dimension: domain, value: support, min_share: 1.5}\n"
        "  - {dimension: label, task: intent, value: refund, min_count: 50}\n"
    )
    loaded = load_registry(registry)
    assert [t.slice_name for t in loaded.coverage] == ["language=de", "language=fr", "label:intent=refund"]
    messages = [str(e) for e in loaded.errors]
    assert len(messages) == 2
    assert "coverage target '#2', field 'task'" in messages[0] and str(registry) in messages[0]
    assert "coverage target '#3', field 'min_share'" in messages[1]


def test_distinct_ngrams_do_not_pair_words_across_texts() -> None:
    measured = diversity(pl.Series(["a b a b", "c"]))
    assert measured.words == 5
    assert measured.distinct_1 == pytest.approx(3 / 5)
    assert measured.distinct_2 == pytest.approx(2 / 3)  # (a b), (b a), (a b); never (b c)


def test_vocabulary_growth_counts_first_sightings() -> None:
    words = np.repeat(np.arange(100, dtype=np.uint64), 2)  # each word twice in a row
    assert vocabulary_growth(words, points=3) == [(100, 50), (141, 71), (200, 100)]
    assert heaps_beta([(100, 10), (10_000, 100)]) == pytest.approx(0.5)


def test_near_duplicates_and_compression_see_repetition() -> None:
    story = "the quick brown fox jumps over the lazy dog near the river bank today"
    texts = pl.Series([story, story + " again", "an entirely different sentence about cooking rice at home"])
    assert near_duplicate_rate(texts) == pytest.approx(1 / 3)
    real = pl.Series([row["text"] for row in sentences("clinc150_sample.jsonl.gz")])
    repeated = pl.Series([real[0]] * real.len())
    assert compression_ratio(repeated) > 5 * compression_ratio(real)


def test_clusters_spread_over_real_sentences_and_not_over_one() -> None:
    real = [row["text"] for row in sentences("clinc150_sample.jsonl.gz")]
    entropy, effective = cluster_spread(real)
    assert entropy > 0.8 and effective > 15
    assert cluster_spread([real[0]] * 500)[1] == pytest.approx(1.0)


def test_a_shift_inside_one_language_shows_though_the_whole_mix_is_level() -> None:
    def mix(en_pos: int, de_pos: int) -> pl.DataFrame:
        rows = []
        for lang, pos in (("en", en_pos), ("de", de_pos)):
            rows += [
                (f"{lang}{i}", "m", lang, "x" * (i + 1), [("tone", "pos" if i < pos else "neg")])
                for i in range(MIN_LANGUAGE_RECORDS)
            ]
        misidentified = [(f"af{i}", "m", "af", "x", [("tone", "pos")]) for i in range(5)]
        return released(rows + misidentified)

    half = MIN_LANGUAGE_RECORDS // 2
    reference, current = mix(half, half), mix(3 * half // 2, half // 2)
    shifts = {s.variable: s for s in release_drift(*_profiles(reference, current), reference, current)}
    assert shifts["label:tone"].psi == pytest.approx(0.0)
    assert shifts["label:tone[m, en]"].psi == pytest.approx(PSI_HALF_TO_QUARTER)
    assert shifts["label:tone[m, de]"].psi == pytest.approx(PSI_HALF_TO_QUARTER)
    assert "length[m, de]" in shifts and "length[m, af]" not in shifts
    table = shift_table(list(shifts.values()))
    assert table.filter(pl.col("variable") == "label:tone[m, en]")["band"].item() == "major"
    monolingual = released([("a", "s", "en", "hi there", [])])
    assert (
        per_language_shifts(
            *_profiles(monolingual, monolingual), label_rows(monolingual), label_rows(monolingual)
        )
        == []
    )


def test_text_drift_tells_languages_apart_and_not_halves_of_one_set() -> None:
    german = [r["text"] for r in sentences("ud_sample.jsonl.gz") if r["lang"] == "de"]
    english = [r["text"] for r in sentences("clinc150_sample.jsonl.gz")]
    apart = text_drift(pl.Series(english[:400]), pl.Series(german[:400]))
    assert apart.auc is not None and apart.auc > 0.95
    assert {"die", "der", "und"} & {t for t, _ in apart.current_terms}
    same = text_drift(pl.Series(english[::2]), pl.Series(english[1::2]))
    assert same.auc is not None and 0.4 < same.auc < 0.6
    shared = text_drift(pl.Series(english), pl.Series(english))  # one release cut twice
    assert shared.auc is not None and 0.45 < shared.auc < 0.55
    assert text_drift(pl.Series(["a"] * 5), pl.Series(english)).auc is None


def test_evaluate_times_each_measure_and_summarises() -> None:
    parent = released([(f"p{i}", "s", "en", t, [("intent", "a")]) for i, t in enumerate(_clinc(0, 300))])
    child = released([(f"c{i}", "s", "en", t, [("intent", "b")]) for i, t in enumerate(_clinc(300, 600))])
    result = evaluate(
        child, {"s": "support"}, [CoverageTarget("label", "a", task="intent", min_count=1)], parent
    )
    summary = result.summary()
    assert summary["coverage_gaps"] == [{"slice": "label:intent=a", "needed": 1}]
    assert summary["max_psi"] is not None and summary["max_psi"] > 1  # label a -> b, floored
    assert set(result.seconds) == {"coverage", "diversity", "drift", "text_drift"}
    assert evaluate(child, {"s": "support"}, []).text_drift is None


def _clinc(start: int, stop: int) -> list[str]:
    return [row["text"] for row in sentences("clinc150_sample.jsonl.gz")[start:stop]]


def _profiles(reference: pl.DataFrame, current: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    return records_profile(reference, {}), records_profile(current, {})


def test_freshness_per_source_against_its_cadence() -> None:
    from datetime import UTC, datetime, timedelta

    from data_platform.evaluation.freshness import freshness

    cut = datetime(2026, 12, 4, 12, tzinfo=UTC)
    records = pl.DataFrame(
        {
            "source_id": ["daily", "daily", "weekly", "gone"],
            "ingested_at": [
                cut - timedelta(hours=30),
                cut - timedelta(hours=2),
                cut - timedelta(days=10),
                cut,
            ],
        }
    )
    table = freshness(records, {"daily": 86_400, "weekly": 7 * 86_400}, cut)
    rows = {row["source"]: row for row in table.to_dicts()}
    # daily: newest drop 2 h old against 24 h: fresh; weekly: 240 h against 168 h: stale.
    assert rows["daily"]["records"] == 2 and rows["daily"]["age_hours"] == pytest.approx(2.0)
    assert rows["daily"]["oldest_drop"] == cut - timedelta(hours=30) and rows["daily"]["stale"] is False
    assert rows["weekly"]["age_hours"] == pytest.approx(240.0) and rows["weekly"]["stale"] is True
    # A source the registry no longer lists has no cadence to be late against.
    assert rows["gone"]["cadence_hours"] is None and rows["gone"]["stale"] is None


def test_text_drift_on_shared_terms_ignores_new_names() -> None:
    from data_platform.evaluation.text_drift import text_drift

    cities = ["paris", "rome", "oslo", "lima", "cairo", "delhi", "tokyo", "quito", "dakar", "hanoi"]
    towns = ["reno", "boise", "tulsa", "omaha", "akron", "provo", "fargo", "salem", "macon", "flint"]
    frames = ["book a flight to {}", "i need a flight to {} tomorrow", "find flights to {} please"]
    real = pl.Series([frame.format(city) for frame in frames for city in cities])
    new_places = pl.Series([frame.format(town) for frame in frames for town in towns])
    # By every term, the new names give the new texts away; by the terms both use, nothing does.
    assert text_drift(real, new_places).auc > 0.95
    assert text_drift(real, new_places, shared_terms_only=True).auc < 0.7
