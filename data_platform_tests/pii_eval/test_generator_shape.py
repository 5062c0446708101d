"""Self-checks of the PII evaluation set: record shape, span integrity, coverage of every type and
locale, determinism, and the scoring rules on hand-made findings."""

from __future__ import annotations

import ipaddress
import json
import random
import re

import pytest

pytest.importorskip("faker", reason="the evaluation set draws names from Faker (pip install faker)")

from data_platform_tests.pii_eval import generator, score, values  # noqa: E402
from data_platform_tests.pii_eval.locales import LANGUAGE, LOCALES  # noqa: E402
from data_platform_tests.pii_eval.templates import BY_LANGUAGE  # noqa: E402
from data_platform_tests.pii_eval.templates.base import FAMILIES  # noqa: E402

N = 3000
TITLE_WORDS = {
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "miss",
    "dr",
    "dr.",
    "prof",
    "prof.",
    "herr",
    "herrn",
    "frau",
    "dipl.-ing.",
    "m.",
    "mme",
    "mlle",
    "sr.",
    "sra.",
    "srta.",
    "dña.",
    "d.",
    "sig.",
    "sig.ra",
    "dott.",
    "dhr.",
    "mevr.",
    "ing.",
    "ir.",
    "drs.",
    "madame",
    "monsieur",
    "signora",
    "signor",
    "mevrouw",
}
DEGREES = ("PhD", "MSc", "M.Sc.", "B.A.", "MBA", "LL.M.", "BSc", "B.Eng.")


@pytest.fixture(scope="module")
def records() -> list[dict]:
    """A 3,000-record set of seed 1, with planted values kept for the checks."""
    return [generator.make_record(i, 1, with_values=True) for i in range(N)]


def test_record_and_span_keys(records: list[dict]) -> None:
    """Records have exactly the documented keys; published spans have start, end and type only."""
    published = generator.generate(50, seed=1)
    for rec in published:
        assert set(rec) == {"id", "locale", "text", "spans", "kind"}
        assert rec["kind"] in ("pii", "negative")
        for span in rec["spans"]:
            assert set(span) == {"start", "end", "type"}
    assert len({rec["id"] for rec in records}) == len(records)


def test_spans_are_the_planted_values(records: list[dict]) -> None:
    """Each span lies within the text, is the planted value exactly, and spans never overlap."""
    for rec in records:
        text, previous_end = rec["text"], 0
        for span in sorted(rec["spans"], key=lambda s: s["start"]):
            assert 0 <= span["start"] < span["end"] <= len(text)
            assert text[span["start"] : span["end"]] == span["value"]
            assert span["value"] == span["value"].strip()
            assert span["start"] >= previous_end
            previous_end = span["end"]
            assert span["type"] in generator.ENTITY_TYPES


def test_every_type_and_locale_appears(records: list[dict]) -> None:
    """All seven types and seven locales occur; every locale has every non-US type."""
    seen = {(rec["locale"], span["type"]) for rec in records for span in rec["spans"]}
    assert {loc for loc, _ in seen} == set(LOCALES)
    assert {kind for _, kind in seen} == set(generator.ENTITY_TYPES)
    for locale in LOCALES:
        for kind in generator.ENTITY_TYPES:
            if kind != "US_SSN":
                assert (locale, kind) in seen, (locale, kind)
    assert ("en_US", "US_SSN") in seen
    assert {rec["id"].split("-", 2)[2] for rec in records} == set(FAMILIES)


def test_negatives_have_no_spans(records: list[dict]) -> None:
    """Negative records carry no span; PII records carry at least one; both kinds are common."""
    kinds = {"pii": 0, "negative": 0}
    for rec in records:
        kinds[rec["kind"]] += 1
        assert bool(rec["spans"]) == (rec["kind"] == "pii")
    assert kinds["negative"] > 0.15 * N and kinds["pii"] > 0.6 * N


def test_deterministic_per_seed() -> None:
    """Same seed, same records; another seed, other records; a shorter run is a prefix."""
    first = generator.generate(120, seed=7)
    assert first == generator.generate(120, seed=7)
    assert first[:40] == generator.generate(40, seed=7)
    assert [r["text"] for r in first] != [r["text"] for r in generator.generate(120, seed=8)]


def _values(records: list[dict], kind: str) -> list[str]:
    """Planted values of one type."""
    return [s["value"] for rec in records for s in rec["spans"] if s["type"] == kind]


def test_values_have_the_shape_of_their_type(records: list[dict]) -> None:
    """Cards pass Luhn, SSNs are in valid ranges, IPs parse, e-mails have one '@', phones have digits."""
    for card in _values(records, "CREDIT_CARD"):
        assert values.luhn_valid(re.sub(r"\D", "", card))
    for ssn in _values(records, "US_SSN"):
        area, group, serial = (int(x) for x in ssn.split("-"))
        assert 1 <= area <= 899 and area != 666 and 1 <= group <= 99 and 1 <= serial <= 9999
    for ip in _values(records, "IP_ADDRESS"):
        ipaddress.ip_address(ip)
    for email in _values(records, "EMAIL_ADDRESS"):
        assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z.]+", email, re.IGNORECASE)
    for phone in _values(records, "PHONE_NUMBER"):
        assert 6 <= len(re.sub(r"\D", "", phone)) <= 20, phone


def test_ibans_mostly_check_out(records: list[dict]) -> None:
    """IBANs read back (spaces, case, line breaks removed) pass mod-97 except the planted typos."""
    ibans = [re.sub(r"\s", "", v).upper() for v in _values(records, "IBAN_CODE")]
    good = sum(int("".join(str(int(c, 36)) for c in v[4:] + v[:4])) % 97 == 1 for v in ibans)
    assert good >= 0.9 * len(ibans)
    assert len({v[:2] for v in ibans}) >= 15


def test_person_spans_exclude_titles_and_degrees(records: list[dict]) -> None:
    """A PERSON span never starts with a form of address and never ends with a degree."""
    for name in _values(records, "PERSON"):
        first = name.split()[0]
        is_initial = re.fullmatch(r"\w\.(-\w\.)*", first) is not None  # 'M. Dupont' is Marc, not Monsieur
        assert is_initial or first.lower() not in TITLE_WORDS, name
        assert not name.endswith(DEGREES), name


def test_templates_per_language() -> None:
    """At least 25 PII templates per language family, each filling without unknown slots."""
    rng = random.Random(0)
    for lang, (pii, negative) in BY_LANGUAGE.items():
        assert len(pii) >= 25 and len(negative) >= 10, lang
        locale = next(loc for loc in LOCALES if LANGUAGE[loc] == lang)
        for template in (*pii, *negative):
            generator._seed_fakers(rng)
            text, _ = generator.render(
                template, generator.RecordContext(template.locales[0] if template.locales else locale, rng)
            )
            assert "{" not in text


def test_cli_writes_jsonl(tmp_path) -> None:
    """The CLI writes one JSON record per line."""
    out = tmp_path / "set.jsonl"
    assert generator.main(["--n", "30", "--seed", "2", "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 30 and json.loads(lines[0])["id"].startswith("s2-000000")


# ----------------------------------------------------------------------------------- scoring
def _rec(text: str, spans: list[tuple[int, int, str]], kind: str = "pii", rid: str = "r") -> dict:
    """A hand-made record."""
    return {
        "id": rid,
        "locale": "de_DE",
        "text": text,
        "kind": kind,
        "spans": [{"start": a, "end": b, "type": t} for a, b, t in spans],
    }


def test_score_perfect_and_empty(records: list[dict]) -> None:
    """Findings equal to the spans give recall and precision 1; no findings give recall 0."""
    sample = records[:300]
    perfect = {r["id"]: [{k: s[k] for k in ("start", "end", "type")} for s in r["spans"]] for r in sample}
    report = score.score(sample, perfect)
    assert report["overall"]["recall"] == 1.0 and report["overall"]["precision"] == 1.0
    assert report["overall"]["exact_rate"] == 1.0
    empty = score.score(sample, {})
    assert empty["overall"]["recall"] == 0.0 and empty["overall"]["precision"] is None


def test_score_half_coverage_rule() -> None:
    """Half the span of the same type counts; less does not; split findings add up; other types redact."""
    rec = _rec("call 0341 1234567 now", [(5, 17, "PHONE_NUMBER")])
    half = score.score([rec], [[{"start": 5, "end": 11, "type": "PHONE_NUMBER"}]])
    assert half["overall"]["recall"] == 1.0
    third = score.score([rec], [[{"start": 5, "end": 9, "type": "PHONE_NUMBER"}]])
    assert third["overall"]["recall"] == 0.0
    split = score.score(
        [rec],
        [[{"start": 5, "end": 8, "type": "PHONE_NUMBER"}, {"start": 10, "end": 14, "type": "PHONE_NUMBER"}]],
    )
    assert split["overall"]["recall"] == 1.0
    other = score.score([rec], [[{"start": 5, "end": 17, "type": "US_SSN"}]])
    assert other["overall"]["recall"] == 0.0 and other["overall"]["recall_any_type"] == 1.0
    assert other["overall"]["precision"] == 1.0 and other["overall"]["typed_precision"] == 0.0


def test_score_false_positives() -> None:
    """A finding that touches no planted span is a false positive, and is counted on negatives."""
    neg = _rec("Bestellung 4000123456 am 14.03.2024", [], kind="negative", rid="n")
    report = score.score([neg], {"n": [{"start": 11, "end": 21, "entity_type": "PHONE_NUMBER"}]})
    assert report["overall"]["false_positives"] == 1 and report["overall"]["precision"] == 0.0
    assert report["negative_records"] == {"records": 1, "with_false_positive": 1, "false_positives": 1}
    assert report["false_positive_examples"][0]["value"] == "4000123456"
