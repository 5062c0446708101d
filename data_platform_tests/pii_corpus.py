"""A generated PII corpus with known spans, for the PII tests and benchmark.

Sentences from templates with slots for structured identifiers (valid checksums and formats),
names after the cues people write them after, and distractors that look like PII but are not
(years, prices, versions, postcodes, hex digests, invalid card numbers, dates outside a birth
context, capitalised words after greetings). Seeded: the same arguments give the same rows.
"""

from __future__ import annotations

import random
import string

from data_platform_tests.pii_eval.values import luhn_check_digit

FIRST_WORDS = (
    "Maria James Aisha Chen Olga Pierre Lucia Tomasz Ingrid Kwame Yuki Rafael Fatima Henrik "
    "Priya Diego Amara Sven Leila Mateo Noor Elena Tariq Hana Oscar Zofia Ravi Camille Jonas "
    "Ines"
)
FIRST = tuple(FIRST_WORDS.split())
LAST_WORDS = (
    "Garcia Okafor Novak Lindqvist Moreau Tanaka Haddad Kowalski Mensah Rossi Petrov Silva "
    "Nakamura Fischer Dubois Costa Nguyen Jensen Kaur Murphy Alvarez Schmidt Ivanova Bauer"
)
LAST = tuple(LAST_WORDS.split())
IBAN_COUNTRIES = {"DE": 22, "GB": 22, "FR": 27, "NL": 18, "ES": 24, "IT": 27, "BE": 16, "CH": 21}
FILLER = (
    "The shipment left the warehouse in 1998 and arrived three weeks later.",
    "Version 2.4.1 fixed the crash reported by several users.",
    "It costs 1,250 dollars, or about 1100 euros at today's rate.",
    "The meeting moved to 10:30 on Thursday in room 4B.",
    "Our office is at 221 Baker Street, postcode NW1 6XE.",
    "Commit 9fceb02d0ae598e95dc970b74767f19372d61af8 reverted the change.",
    "Order number 4111 1111 1111 1112 was rejected by the bank.",
    "The report of 2021-03-15 covers the first quarter.",
    "Hi all, thanks for joining the call today.",
    "Dear Customer, your parcel is on its way.",
    "I am Sorry for the delay in getting back to you.",
    "Chapter 12 describes the 3 stages of the process in detail.",
    "Temperatures ranged from 12 to 18 degrees over 5 days.",
    "The population grew from 12 000 to 18 500 between censuses.",
)


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    return body + luhn_check_digit(body)


def card(rng: random.Random) -> str:
    kind = rng.choice(["visa", "mc", "amex", "visa_plain"])
    if kind == "amex":
        number = luhn_complete(rng.choice(["34", "37"]), 15, rng)
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    number = luhn_complete("4" if kind.startswith("visa") else "5" + str(rng.randint(1, 5)), 16, rng)
    if kind == "visa_plain":
        return number
    sep = rng.choice([" ", "-"])
    return sep.join(number[i : i + 4] for i in range(0, 16, 4))


def iban(rng: random.Random) -> str:
    country = rng.choice(sorted(IBAN_COUNTRIES))
    bban = "".join(
        rng.choice(string.digits + string.ascii_uppercase[:6]) for _ in range(IBAN_COUNTRIES[country] - 4)
    )
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(numeric) % 97
    compact = f"{country}{check:02d}{bban}"
    if rng.random() < 0.5:
        return compact
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def phone(rng: random.Random) -> str:
    digits = lambda n: "".join(rng.choice(string.digits) for _ in range(n))  # noqa: E731
    area = str(rng.randint(201, 989))
    forms = [
        f"({area}) {rng.randint(200, 999)}-{digits(4)}",
        f"{area}-{rng.randint(200, 999)}-{digits(4)}",
        f"+1 {area} {rng.randint(200, 999)} {digits(4)}",
        f"+44 20 7{digits(3)} {digits(4)}",
        f"+49 30 {digits(8)}",
        f"+33 1 {digits(2)} {digits(2)} {digits(2)} {digits(2)}",
        f"{area}.{rng.randint(200, 999)}.{digits(4)} ext. {digits(3)}",
    ]
    return rng.choice(forms)


def ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def ipv6(rng: random.Random) -> str:
    groups = [f"{rng.randint(0, 0xFFFF):x}" for _ in range(8)]
    if rng.random() < 0.5:
        return ":".join(groups)
    return ":".join(groups[:3]) + "::" + ":".join(groups[6:])


def secret(rng: random.Random) -> str:
    alnum = string.ascii_letters + string.digits
    pick = lambda n, chars=alnum: "".join(rng.choice(chars) for _ in range(n))  # noqa: E731
    return rng.choice(
        [
            "AKIA" + pick(16, string.ascii_uppercase + string.digits),
            "ghp_" + pick(36),
            "xoxb-" + pick(12, string.digits) + "-" + pick(24),
            "sk_live_" + pick(28),
            "AIza" + pick(35, alnum + "_-"),
        ]
    )


def name(rng: random.Random, full: bool) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}" if full else rng.choice(FIRST)


def birth_date(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1940, 2005)
    months = "January February March April May June July August September October November December"
    return rng.choice(
        [
            f"{month:02d}/{day:02d}/{year}",
            f"{year}-{month:02d}-{day:02d}",
            f"{months.split()[month - 1]} {day}, {year}",
        ]
    )


def templates(rng: random.Random) -> list[tuple[str, list[tuple[str, str]]]]:
    """(template with {} slots, [(entity type, value)]) choices for one sentence."""
    person = name(rng, full=True)
    first = name(rng, full=False)
    user = person.lower().replace(" ", ".")
    host = rng.choice(["example.com", "mail.example.org", "corp.example.net"])
    octets = ".".join(str(rng.randint(1, 254)) for _ in range(4))
    return [
        ("Please write to {} if anything changes.", [("EMAIL_ADDRESS", f"{user}@{host}")]),
        ("You can reach me on {} after six.", [("PHONE_NUMBER", phone(rng))]),
        ("Charge it to card {} please.", [("CREDIT_CARD", card(rng))]),
        ("Transfer the deposit to IBAN {} by Friday.", [("IBAN_CODE", iban(rng))]),
        ("The login came from {} at night.", [("IP_ADDRESS", octets)]),
        ("Traffic from {} was blocked.", [("IP_ADDRESS", ipv6(rng))]),
        ("My social security number is {}.", [("US_SSN", ssn(rng))]),
        ("I was born on {} in a small town.", [("DATE_OF_BIRTH", birth_date(rng))]),
        ("Date of birth: {}", [("DATE_OF_BIRTH", birth_date(rng))]),
        ("Clone https://{}@git.example.com/repo.git now.", [("URL_CREDENTIALS", "deploy:" + _token(rng))]),
        ("The link https://api.example.com/v1/items?token={} expires.", [("URL_CREDENTIALS", _token(rng))]),
        ("Set the key to {} in the config.", [("SECRET", secret(rng))]),
        ("Hello, my name is {} and I need help.", [("PERSON", person)]),
        ("Hi {}, the files are attached.", [("PERSON", first)]),
        ("Thanks for your help.\nBest regards,\n{}", [("PERSON", person)]),
        ("Dear {}, your booking is confirmed.", [("PERSON", person)]),
        ("This is {} from the support team.", [("PERSON", person)]),
        ("I'm {} and I moved here last year.", [("PERSON", first)]),
    ]


def _token(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(rng.randint(12, 30)))


def generate(rows: int, seed: int = 7, sentences: tuple[int, int] = (2, 5)) -> list[dict]:
    """``rows`` texts of a few sentences each; ``spans`` give every planted identifier."""
    rng = random.Random(seed)
    out = []
    for row in range(rows):
        text, spans = "", []
        for _ in range(rng.randint(*sentences)):
            if text:
                text += " "
            if rng.random() < 0.4:
                text += rng.choice(FILLER)
                continue
            template, values = rng.choice(templates(rng))
            kind, value = values[0]
            head, tail = template.split("{}")
            text += head
            spans.append(
                {"entity_type": kind, "start": len(text), "end": len(text) + len(value), "value": value}
            )
            text += value + tail
        out.append({"id": f"g{row}", "text": text, "spans": spans})
    return out


def score(found: list[tuple[int, str, int, int]], rows: list[dict], types: tuple[str, ...]) -> dict:
    """Precision and recall per entity type; a found span counts when it overlaps a true span
    of the same type in the same row (each true span is recalled at most once)."""
    truth = [(r, s["entity_type"], s["start"], s["end"]) for r, row in enumerate(rows) for s in row["spans"]]
    result = {}
    for kind in types:
        mine = [f for f in found if f[1] == kind]
        theirs = [t for t in truth if t[1] == kind]
        by_row: dict[int, list[tuple[int, int]]] = {}
        for r, _, start, end in theirs:
            by_row.setdefault(r, []).append((start, end))
        correct = sum(any(s < e2 and s2 < e for s2, e2 in by_row.get(r, [])) for r, _, s, e in mine)
        found_rows: dict[int, list[tuple[int, int]]] = {}
        for r, _, start, end in mine:
            found_rows.setdefault(r, []).append((start, end))
        recalled = sum(any(s < e2 and s2 < e for s2, e2 in found_rows.get(r, [])) for r, _, s, e in theirs)
        result[kind] = {
            "found": len(mine),
            "true": len(theirs),
            "precision": round(correct / len(mine), 4) if mine else None,
            "recall": round(recalled / len(theirs), 4) if theirs else None,
        }
    return result
