"""Generate the PII evaluation set: support messages in seven locales with planted PII spans.

Record ids read ``s{seed}-{index:06d}-{template family}``. Record ``i`` of seed ``s`` depends only
on ``(s, i)``: its locale is ``LOCALES[i % 7]`` and all its randomness (including Faker's) is
seeded from ``"pii-eval:{s}:{i}"``, so ``generate(100)`` is a prefix of ``generate(3000)`` and a
run is reproducible for a given Faker version.

Slots in templates (``{NAME}`` or ``{NAME:variant}``):

PII (become spans): ``P1``..``P3`` persons (variants any, full, formal, given, sig, initial, caps,
surname_first, lower, addr), ``PHONE`` (mobile, land), ``EMAIL`` (P1..P3 derived from that person,
role), ``IBAN`` (wrap), ``CARD``, ``IP`` (v4, v6), ``SSN``.
Hard negatives (plain text): every key of ``negatives.MAKERS``; ``ADDRESS:block`` is multi-line.

Usage: ``python -m data_platform_tests.pii_eval.generator --n 3000 --seed 1 --out FILE``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from faker import Faker

from . import negatives, phones, values
from .locales import COUNTRY, DATA, LANGUAGE, LOCALES
from .templates import BY_LANGUAGE
from .templates.base import Template

ENTITY_TYPES: tuple[str, ...] = (
    "PHONE_NUMBER",
    "PERSON",
    "EMAIL_ADDRESS",
    "IBAN_CODE",
    "CREDIT_CARD",
    "IP_ADDRESS",
    "US_SSN",
)
NEGATIVE_RATE = 0.22
IBAN_WRAP_RATE = 0.06
SLOT = re.compile(r"\{([A-Z]+[0-9]?)(?::([A-Za-z0-9_]+))?\}")
Piece = tuple[str, str | None]


@cache
def _faker(locale: str) -> Faker:
    """One Faker per locale, built once (construction is the slow part)."""
    return Faker(locale)


@dataclass
class RecordContext:
    """What one record's slots draw from: its locale, its rng, seeded Fakers and its cast of persons."""

    locale: str
    rng: random.Random
    persons: dict[str, values.Person] = field(default_factory=dict)
    next_hour: int = 7
    next_weekday: int = 0

    @property
    def fake(self) -> Faker:
        """The record locale's Faker."""
        return _faker(self.locale)

    def fakers(self) -> dict[str, Faker]:
        """All name pools a person may come from."""
        return {loc: _faker(loc) for loc in (*LOCALES, *values.EXTRA_NAME_LOCALES)}

    def person(self, key: str) -> values.Person:
        """The record's person ``key`` (P1, P2, P3), created on first use."""
        if key not in self.persons:
            self.persons[key] = values.make_person(self.fakers(), self.locale, self.rng)
        return self.persons[key]


def _seed_fakers(rng: random.Random) -> None:
    """Reseed every Faker from the record's rng so Faker output depends on the record only."""
    for loc in (*LOCALES, *values.EXTRA_NAME_LOCALES):
        _faker(loc).seed_instance(rng.getrandbits(48))


def _person_pieces(ctx: RecordContext, key: str, variant: str) -> list[Piece]:
    """Title (plain), name (PERSON span), degree (plain)."""
    rendered = values.render_person(ctx.person(key), variant or "any", ctx.locale, ctx.rng)
    return [(rendered.before, None), (rendered.name, "PERSON"), (rendered.after, None)]


def _email(ctx: RecordContext, variant: str) -> str:
    """A person's, a role or a random address."""
    if variant.startswith("P"):
        return values.person_email(ctx.person(variant), ctx.locale, ctx.rng)
    if variant == "role":
        return values.role_email(ctx.locale, ctx.rng)
    if ctx.rng.random() < 0.5:
        return ctx.fake.free_email()
    stranger = values.make_person(ctx.fakers(), ctx.locale, ctx.rng)
    return values.person_email(stranger, ctx.locale, ctx.rng)


def _slot(ctx: RecordContext, name: str, variant: str) -> list[Piece]:
    """Render one slot as pieces of (text, entity type or None)."""
    rng, locale = ctx.rng, ctx.locale
    if name in ("P1", "P2", "P3"):
        return _person_pieces(ctx, name, variant)
    if name == "PHONE":
        kind = variant or None
        return [(phones.make_phone(locale, rng, ctx.fake.phone_number(), kind), "PHONE_NUMBER")]
    if name == "EMAIL":
        return [(_email(ctx, variant), "EMAIL_ADDRESS")]
    if name == "IBAN":
        wrap = variant == "wrap" and rng.random() < 0.5 or rng.random() < IBAN_WRAP_RATE
        return [(values.iban_for(locale, rng, ctx.fake, wrap), "IBAN_CODE")]
    if name == "CARD":
        return [(values.make_card(rng), "CREDIT_CARD")]
    if name == "IP":
        return [(values.make_ip(rng, variant), "IP_ADDRESS")]
    if name == "SSN":
        return [(values.make_ssn(rng), "US_SSN")]
    if name == "ADDRESS":
        return [(negatives.address(rng, locale, block=variant == "block"), None)]
    if name == "TIME":
        text = negatives.time_of_day(rng, locale, ctx.next_hour)
        ctx.next_hour = int(re.match(r"\d+", text).group()) + 1
        if "PM" in text.upper() and not text.startswith("12"):
            ctx.next_hour += 12
        return [(text, None)]
    if name == "WEEKDAY":
        text = negatives.weekday(rng, locale, ctx.next_weekday)
        ctx.next_weekday = DATA[locale].weekdays.index(text) + 1
        return [(text, None)]
    if name in negatives.MAKERS:
        return [(negatives.MAKERS[name](rng, locale), None)]
    raise KeyError(f"unknown slot {{{name}}}")


def render(template: Template, ctx: RecordContext, with_values: bool = False) -> tuple[str, list[dict]]:
    """Fill a template's slots; return the text and the spans of planted PII (``with_values``
    adds each planted string under ``"value"``, for self-checks)."""
    parts: list[str] = []
    spans: list[dict] = []
    length, last = 0, 0
    for match in SLOT.finditer(template.text):
        literal = template.text[last : match.start()]
        parts.append(literal)
        length += len(literal)
        for text, entity in _slot(ctx, match.group(1), match.group(2) or ""):
            if entity is not None:
                spans.append({"start": length, "end": length + len(text), "type": entity})
                if with_values:
                    spans[-1]["value"] = text
            parts.append(text)
            length += len(text)
        last = match.end()
    parts.append(template.text[last:])
    return "".join(parts), spans


def templates_for(locale: str, kind: str) -> list[Template]:
    """The templates usable for a locale and record kind ('pii' or 'negative')."""
    pii, negative = BY_LANGUAGE[LANGUAGE[locale]]
    pool = pii if kind == "pii" else negative
    return [t for t in pool if t.fits(locale)]


def make_record(index: int, seed: int, with_values: bool = False) -> dict:
    """Record ``index`` of the set for ``seed``."""
    locale = LOCALES[index % len(LOCALES)]
    rng = random.Random(f"pii-eval:{seed}:{index}")
    _seed_fakers(rng)
    kind = "negative" if rng.random() < NEGATIVE_RATE else "pii"
    template = rng.choice(templates_for(locale, kind))
    text, spans = render(template, RecordContext(locale, rng), with_values)
    record_id = f"s{seed}-{index:06d}-{template.family}"
    return {"id": record_id, "locale": locale, "text": text, "spans": spans, "kind": kind}


def generate(n: int, *, seed: int = 0) -> list[dict]:
    """``n`` records ``{"id", "locale", "text", "spans", "kind"}``, deterministic per seed."""
    return [make_record(i, seed) for i in range(n)]


def summary(records: list[dict]) -> dict:
    """Counts of records per kind and locale and of spans per type (for the CLI and README)."""
    spans: dict[str, int] = {t: 0 for t in ENTITY_TYPES}
    kinds: dict[str, int] = {}
    locales: dict[str, int] = {}
    for rec in records:
        kinds[rec["kind"]] = kinds.get(rec["kind"], 0) + 1
        locales[rec["locale"]] = locales.get(rec["locale"], 0) + 1
        for span in rec["spans"]:
            spans[span["type"]] += 1
    total = sum(spans.values()) or 1
    return {
        "records": len(records),
        "kinds": kinds,
        "locales": locales,
        "spans": spans,
        "span_share": {t: round(c / total, 3) for t, c in spans.items()},
        "phone_formats_per_country": phones.format_counts(),
        "countries": sorted(set(COUNTRY.values())),
    }


def main(argv: list[str] | None = None) -> int:
    """CLI: write N records as JSON lines and print a summary to stderr."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    records = generate(args.n, seed=args.seed)
    elapsed = time.perf_counter() - started
    with args.out.open("w", encoding="utf-8") as handle:
        for rec in records:
            handle.write(json.dumps(rec, ensure_ascii=False) + "\n")
    info = summary(records) | {"seconds": round(elapsed, 2)}
    print(json.dumps(info, ensure_ascii=False, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
