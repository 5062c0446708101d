"""The PII detectors on an evaluation set they were not written against
(data_platform_tests/pii_eval: seven locales, formats from national numbering plans and Faker,
hard negatives), with the issue's targets: recall >= 0.97 per structured type in every locale,
names >= 0.85, precision >= 0.97 per type and overall."""

import polars as pl
import pytest

from data_platform.governance.pii import detect

pytest.importorskip("faker", reason="the evaluation set draws its values from Faker (a dev dependency)")

from data_platform_tests.pii_eval.generator import generate  # noqa: E402
from data_platform_tests.pii_eval.score import score  # noqa: E402

STRUCTURED = ("PHONE_NUMBER", "EMAIL_ADDRESS", "IBAN_CODE", "CREDIT_CARD", "IP_ADDRESS", "US_SSN")


@pytest.fixture(scope="module")
def report() -> dict:
    records = generate(3000, seed=11)
    found = detect(pl.Series([r["text"] for r in records]))
    per_record: list[list[dict]] = [[] for _ in records]
    for row, kind, start, end in found.select("row", "entity_type", "start", "end").iter_rows():
        per_record[row].append({"start": start, "end": end, "type": kind})
    return score(records, per_record)


@pytest.mark.parametrize("kind", STRUCTURED)
def test_structured_types_reach_their_targets_in_every_locale(report: dict, kind: str) -> None:
    assert report["by_type"][kind]["precision"] >= 0.97
    recalls = {
        locale: types[kind]["recall"] for locale, types in report["by_locale_type"].items() if kind in types
    }
    assert recalls and min(recalls.values()) >= 0.97, recalls


def test_person_names_anywhere_reach_the_target(report: dict) -> None:
    person = report["by_type"]["PERSON"]
    assert person["recall"] >= 0.85 and person["precision"] >= 0.97, person


def test_overall_precision(report: dict) -> None:
    assert report["overall"]["precision"] >= 0.97


def test_names_no_list_knows_are_still_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """The set's names come from Faker, as the gazetteer does: recall on them says little about
    names outside the lists. Half of Faker's names are taken out of the gazetteer (by hash);
    names made only of those must still be found from titles, cues and layout."""
    import hashlib
    import re

    from data_platform.governance import names

    given, surnames = names._faker_names()

    def kept(word: str) -> bool:
        return int(hashlib.sha256(word.encode()).hexdigest(), 16) % 2 == 0

    reduced = (frozenset(filter(kept, given)), frozenset(filter(kept, surnames)))
    for cached in (names.gazetteer, names.word_list):
        cached.cache_clear()
    monkeypatch.setattr(names, "_faker_names", lambda: reduced)
    try:
        records = generate(1500, seed=11)
        found = detect(pl.Series([r["text"] for r in records])).filter(pl.col("entity_type") == "PERSON")
    finally:
        for cached in (names.gazetteer, names.word_list):
            cached.cache_clear()
    spans: dict[int, list[tuple[int, int]]] = {}
    for row, start, end in found.select("row", "start", "end").iter_rows():
        spans.setdefault(row, []).append((start, end))
    unseen = hit = 0
    for row, record in enumerate(records):
        for span in record["spans"]:
            words = [
                w.lower().strip(".,'’")
                for w in re.findall(r"\w[\w'’.-]*", record["text"][span["start"] : span["end"]])
            ]
            listed = [w for w in words if w in given | surnames]
            if span["type"] != "PERSON" or not listed or any(kept(w) for w in listed):
                continue
            unseen += 1
            covered = sum(max(0, min(e, span["end"]) - max(s, span["start"])) for s, e in spans.get(row, []))
            hit += covered >= 0.5 * (span["end"] - span["start"])
    assert unseen > 300 and hit / unseen >= 0.65, (hit, unseen)
