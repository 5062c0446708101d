"""Score a detector's findings against the planted spans of the evaluation set.

Rules (character offsets into the record's text; a newline inside a wrapped IBAN is part of it):

* coverage(span, F) = share of the span's characters covered by the *union* of the findings F.
* Recall (typed): a planted span is **found** when coverage by findings of the *same type* is at
  least ``min_coverage`` (default 0.5). Two findings that split a phone number in halves together
  count; one finding that covers a third of it does not.
* Recall (any type, "redaction recall"): the same with findings of *any* type: what a masker that
  ignores types would have hidden.
* Exact: a finding of the same type has exactly the span's boundaries (reported, not required).
* Precision: a finding is a **false positive** when it overlaps no planted span of *any* type by
  even one character. So a PERSON finding inside an e-mail address is not a false positive; a
  finding on an order number, a date or a street named after a poet is. precision = 1 - FP/findings.
* Typed precision: a finding counts as typed-correct when it overlaps a planted span of its own type.

``findings`` is either a mapping from record id to a list of findings, or a sequence aligned with
``records``. A finding is a mapping or an object with ``start``, ``end`` and ``type`` (or
``entity_type``/``label``). Per-type rows count spans by planted type and findings by finding type;
per-locale rows count both by the record's locale.

CLI: ``python -m data_platform_tests.pii_eval.score RECORDS.jsonl FINDINGS.jsonl`` where each
findings line is ``{"id": ..., "findings": [{"start", "end", "type"}, ...]}``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EXAMPLES = 50


@dataclass(frozen=True)
class Finding:
    """A detector finding normalised to offsets and a type."""

    start: int
    end: int
    type: str


def normalise(raw: Any) -> Finding:
    """Read a finding from a mapping or an object (``type``, ``entity_type`` or ``label``)."""
    get = raw.get if isinstance(raw, Mapping) else lambda key, default=None: getattr(raw, key, default)
    kind = get("type") or get("entity_type") or get("label")
    return Finding(int(get("start")), int(get("end")), str(kind))


def covered(start: int, end: int, intervals: Iterable[tuple[int, int]]) -> int:
    """Number of characters of [start, end) covered by the union of the intervals."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in intervals if a < end and b > start)
    total, reach = 0, start
    for a, b in clipped:
        a = max(a, reach)
        if b > a:
            total += b - a
            reach = b
    return total


@dataclass
class Tally:
    """Running counts for one row of the report."""

    spans: int = 0
    found: int = 0
    redacted: int = 0
    exact: int = 0
    findings: int = 0
    false_positives: int = 0
    typed_correct: int = 0

    def as_dict(self) -> dict[str, float | int | None]:
        """Counts plus recall, any-type recall, precision and typed precision (None when undefined)."""
        ratio = lambda a, b: round(a / b, 4) if b else None  # noqa: E731
        return {
            "spans": self.spans,
            "found": self.found,
            "recall": ratio(self.found, self.spans),
            "redacted": self.redacted,
            "recall_any_type": ratio(self.redacted, self.spans),
            "exact": self.exact,
            "exact_rate": ratio(self.exact, self.spans),
            "findings": self.findings,
            "false_positives": self.false_positives,
            "precision": ratio(self.findings - self.false_positives, self.findings),
            "typed_precision": ratio(self.typed_correct, self.findings),
        }


def _findings_by_id(records: Sequence[Mapping], findings: Mapping | Sequence) -> dict[str, list[Finding]]:
    """Findings per record id, whichever of the two accepted shapes was given."""
    if isinstance(findings, Mapping):
        return {rec["id"]: [normalise(f) for f in findings.get(rec["id"], ())] for rec in records}
    if len(findings) != len(records):
        raise ValueError(f"{len(findings)} finding lists for {len(records)} records")
    return {rec["id"]: [normalise(f) for f in found] for rec, found in zip(records, findings, strict=True)}


class Report:
    """Accumulates tallies overall, per type, per locale and per (locale, type)."""

    def __init__(self) -> None:
        """Empty tallies and example lists."""
        self.overall = Tally()
        self.by_type: dict[str, Tally] = {}
        self.by_locale: dict[str, Tally] = {}
        self.by_locale_type: dict[str, dict[str, Tally]] = {}
        self.negative = {"records": 0, "with_false_positive": 0, "false_positives": 0}
        self.missed: list[dict] = []
        self.false_positive_examples: list[dict] = []

    def rows(self, locale: str, kind: str) -> list[Tally]:
        """The tallies one event updates: overall, its type, its locale, its locale and type."""
        per_locale = self.by_locale_type.setdefault(locale, {})
        return [
            self.overall,
            self.by_type.setdefault(kind, Tally()),
            self.by_locale.setdefault(locale, Tally()),
            per_locale.setdefault(kind, Tally()),
        ]

    def add_span(self, rec: Mapping, span: Mapping, found: list[Finding], min_coverage: float) -> None:
        """Judge one planted span against the record's findings."""
        start, end, kind = span["start"], span["end"], span["type"]
        need = min_coverage * (end - start)
        same = [(f.start, f.end) for f in found if f.type == kind]
        hit = covered(start, end, same) >= need
        redacted = covered(start, end, [(f.start, f.end) for f in found]) >= need
        exact = (start, end) in same
        for row in self.rows(rec["locale"], kind):
            row.spans += 1
            row.found += hit
            row.redacted += redacted
            row.exact += exact
        if not hit and len(self.missed) < EXAMPLES:
            self.missed.append(
                {
                    "id": rec["id"],
                    "type": kind,
                    "value": rec["text"][start:end],
                    "redacted_by_other_type": redacted,
                }
            )

    def add_finding(self, rec: Mapping, finding: Finding) -> bool:
        """Judge one finding; return whether it is a false positive."""
        overlapping = [s for s in rec["spans"] if s["start"] < finding.end and finding.start < s["end"]]
        false_positive = not overlapping
        typed = any(s["type"] == finding.type for s in overlapping)
        for row in self.rows(rec["locale"], finding.type):
            row.findings += 1
            row.false_positives += false_positive
            row.typed_correct += typed
        if false_positive and len(self.false_positive_examples) < EXAMPLES:
            self.false_positive_examples.append(
                {"id": rec["id"], "type": finding.type, "value": rec["text"][finding.start : finding.end]}
            )
        return false_positive

    def as_dict(self, min_coverage: float) -> dict:
        """The report as plain data."""
        return {
            "rules": {
                "min_coverage": min_coverage,
                "recall": "same-type union coverage >= min_coverage",
                "recall_any_type": "any-type union coverage >= min_coverage",
                "false_positive": "finding overlaps no planted span of any type",
            },
            "overall": self.overall.as_dict(),
            "by_type": {k: v.as_dict() for k, v in sorted(self.by_type.items())},
            "by_locale": {k: v.as_dict() for k, v in sorted(self.by_locale.items())},
            "by_locale_type": {
                loc: {k: v.as_dict() for k, v in sorted(rows.items())}
                for loc, rows in sorted(self.by_locale_type.items())
            },
            "negative_records": dict(self.negative),
            "missed_examples": self.missed,
            "false_positive_examples": self.false_positive_examples,
        }


def score(records: Sequence[Mapping], findings: Mapping | Sequence, *, min_coverage: float = 0.5) -> dict:
    """Recall (typed and any-type), precision and typed precision, overall, per type and per locale."""
    by_id = _findings_by_id(records, findings)
    report = Report()
    for rec in records:
        found = by_id[rec["id"]]
        for span in rec["spans"]:
            report.add_span(rec, span, found, min_coverage)
        fps = sum(report.add_finding(rec, f) for f in found)
        if rec["kind"] == "negative":
            report.negative["records"] += 1
            report.negative["with_false_positive"] += fps > 0
            report.negative["false_positives"] += fps
    return report.as_dict(min_coverage)


def _read_jsonl(path: Path) -> list[dict]:
    """All JSON lines of a file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """CLI: score a findings file against a records file and print the report as JSON."""
    parser = argparse.ArgumentParser(description="Score PII findings against the evaluation set.")
    parser.add_argument("records", type=Path)
    parser.add_argument("findings", type=Path, help='JSON lines {"id": ..., "findings": [...]}')
    parser.add_argument("--min-coverage", type=float, default=0.5)
    args = parser.parse_args(argv)
    records = _read_jsonl(args.records)
    findings = {row["id"]: row["findings"] for row in _read_jsonl(args.findings)}
    json.dump(
        score(records, findings, min_coverage=args.min_coverage), sys.stdout, ensure_ascii=False, indent=1
    )
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
