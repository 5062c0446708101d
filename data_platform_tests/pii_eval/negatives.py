"""Hard negatives: values that look like PII to a pattern matcher but are not personal data.

Order and tracking numbers, invoice and ticket ids, amounts, dates, times, versions, postcodes,
addresses, room numbers, hashes, timestamps, percentages, product codes, EANs, serials, company
VAT/EIN numbers, BICs, UK sort codes, URLs and masked cards. Each maker takes the record's rng
and locale and returns plain text; none of it is ever a span.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable

from .locales import COUNTRY, DATA, LANGUAGE

Maker = Callable[[random.Random, str], str]


def _digits(rng: random.Random, n: int, first: str = "0123456789") -> str:
    """n random digits, the first drawn from ``first``."""
    return rng.choice(first) + "".join(str(rng.randrange(10)) for _ in range(n - 1))


def _alnum(rng: random.Random, n: int) -> str:
    """n random upper-case letters and digits."""
    return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(n))


def _ymd(rng: random.Random) -> tuple[int, int, int]:
    """A random calendar date between 2019 and 2025 (day capped at 28)."""
    return rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)


def order_number(rng: random.Random, locale: str) -> str:
    """Shop order numbers: marketplace 3-7-7, prefixed, shop '#1042', plain 10 digits."""
    return rng.choice(
        [
            f"{_digits(rng, 3, '1234')}-{_digits(rng, 7)}-{_digits(rng, 7)}",
            f"ORD-{rng.randint(2019, 2025)}-{_digits(rng, 6)}",
            f"#{rng.randint(1000, 99999)}",
            _digits(rng, 10, "4"),
            f"WEB-{_digits(rng, 6)}",
            f"{_alnum(rng, 2)}{_digits(rng, 8)}",
        ]
    )


def tracking_number(rng: random.Random, locale: str) -> str:
    """Parcel tracking numbers of carriers used in the locale's country."""
    ups = f"1Z{_alnum(rng, 6)}{_digits(rng, 2)}{_digits(rng, 8)}"
    dhl_express = _digits(rng, 10)
    s10 = {"GB": "GB", "ES": "ES", "IT": "IT", "NL": "NL", "FR": "FR", "DE": "DE", "US": "US"}[
        COUNTRY[locale]
    ]
    upu = f"{rng.choice(['RR', 'CP', 'LX', 'PK', 'AB', 'JJ'])}{_digits(rng, 9)}{s10}"
    per_country = {
        "US": [" ".join([_digits(rng, 4, "9")] + [_digits(rng, 4) for _ in range(4)] + [_digits(rng, 2)])],
        "GB": [f"{_alnum(rng, 2)}{_digits(rng, 9)}GB"],
        "DE": [f"00340434{_digits(rng, 12)}", _digits(rng, 12)],
        "FR": [f"6A{_digits(rng, 11)}", f"8R{_digits(rng, 11)}"],
        "ES": [f"PQ{_alnum(rng, 4)}{_digits(rng, 14)}"],
        "IT": [_digits(rng, 12), f"{_alnum(rng, 3)}{_digits(rng, 9)}"],
        "NL": [f"3S{_alnum(rng, 4)}{_digits(rng, 7)}"],
    }[COUNTRY[locale]]
    return rng.choice([ups, dhl_express, upu, *per_country, *per_country])


def invoice_id(rng: random.Random, locale: str) -> str:
    """Invoice numbers in the locale's usual shapes."""
    year = rng.randint(2019, 2025)
    shapes = {
        "en": [f"INV-{year}-{_digits(rng, 5)}", f"INV{_digits(rng, 7)}"],
        "de": [f"RE-{year}-{_digits(rng, 4)}", f"R{year}-{_digits(rng, 5)}"],
        "fr": [f"FA-{year}-{_digits(rng, 4)}", f"F{year}-{_digits(rng, 5)}"],
        "es": [f"F{year}/{_digits(rng, 4)}", f"FAC-{_digits(rng, 6)}"],
        "it": [f"{rng.randint(1, 999)}/{year}", f"FT-{year}-{_digits(rng, 4)}"],
        "nl": [f"F-{year}-{_digits(rng, 4)}", f"{year}-{_digits(rng, 5)}"],
    }[LANGUAGE[locale]]
    return rng.choice(shapes)


def customer_number(rng: random.Random, locale: str) -> str:
    """Customer or contract numbers (pseudonymous ids, not among the detector's types)."""
    return rng.choice(
        [
            _digits(rng, 8, "123456789"),
            f"KD-{_digits(rng, 7)}",
            f"CUST-{_digits(rng, 7)}",
            f"{_digits(rng, 4)}-{_digits(rng, 4)}-{_digits(rng, 2)}",
            f"C{_digits(rng, 9)}",
        ]
    )


def ticket_id(rng: random.Random, locale: str) -> str:
    """Help-desk ticket ids: '#4521337', 'CS-884213', 'INC0012345', OTRS 'Ticket#2024031410000123'."""
    y, m, d = _ymd(rng)
    return rng.choice(
        [
            f"#{_digits(rng, 7, '123456789')}",
            f"CS-{_digits(rng, 6)}",
            f"INC{_digits(rng, 7)}",
            f"Ticket#{y}{m:02d}{d:02d}{_digits(rng, 8, '1')}",
            f"[#{_digits(rng, 5)}]",
            f"SR-{_digits(rng, 8)}",
        ]
    )


def _thousands(value: float, thousands: str, decimal: str) -> str:
    """Format a number with two decimals and the given separators."""
    text = f"{value:,.2f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def amount(rng: random.Random, locale: str) -> str:
    """A money amount written the locale's way ($1,234.56, 1.234,56 €, € 1.234,56, 1 234,56 €)."""
    value = rng.choice(
        [
            rng.randint(1, 99) + rng.choice([0, 0.5, 0.99, 0.9]),
            rng.randint(100, 9999) + rng.randint(0, 99) / 100,
        ]
    )
    lang = LANGUAGE[locale]
    if locale == "en_US":
        return rng.choice(
            [f"${_thousands(value, ',', '.')}", f"USD {_thousands(value, ',', '.')}", f"${int(value)}"]
        )
    if locale == "en_GB":
        return rng.choice(
            [
                f"£{_thousands(value, ',', '.')}",
                f"GBP {_thousands(value, ',', '.')}",
                f"€{_thousands(value, ',', '.')}",
            ]
        )
    euro = _thousands(value, "\u202f" if lang == "fr" else ".", ",")
    if lang == "fr":
        euro = euro.replace("\u202f", rng.choice([" ", "\u202f", ""]))
        return rng.choice([f"{euro} €", f"{euro}€", f"{euro} EUR"])
    if lang == "nl":
        return rng.choice([f"€ {euro}", f"€{euro}", f"EUR {euro}"])
    if lang == "it":
        return rng.choice([f"€ {euro}", f"{euro} euro", f"{euro} €"])
    return rng.choice([f"{euro} €", f"€{euro}", f"EUR {euro}", f"{euro} EUR"])


def date(rng: random.Random, locale: str) -> str:
    """A date in one of the locale's written forms, or ISO 8601."""
    y, m, d = _ymd(rng)
    month = DATA[locale].months[m - 1]
    forms = {
        "en_US": [f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y % 100:02d}", f"{month} {d}, {y}", f"{month[:3]} {d}"],
        "en_GB": [
            f"{d:02d}/{m:02d}/{y}",
            f"{d} {month} {y}",
            f"{d}th {month}",
            f"{d:02d}.{m:02d}.{y % 100:02d}",
        ],
        "de_DE": [f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.{y % 100:02d}", f"{d}. {month} {y}", f"{d:02d}.{m:02d}."],
        "fr_FR": [
            f"{d:02d}/{m:02d}/{y}",
            f"{d} {month} {y}",
            f"{d}/{m}/{y % 100:02d}",
            f"{d:02d}.{m:02d}.{y}",
        ],
        "es_ES": [
            f"{d:02d}/{m:02d}/{y}",
            f"{d} de {month} de {y}",
            f"{d:02d}-{m:02d}-{y}",
            f"{d}/{m}/{y % 100:02d}",
        ],
        "it_IT": [f"{d:02d}/{m:02d}/{y}", f"{d} {month} {y}", f"{d:02d}.{m:02d}.{y}", f"{d:02d}-{m:02d}-{y}"],
        "nl_NL": [f"{d:02d}-{m:02d}-{y}", f"{d} {month} {y}", f"{d}-{m}-{y}", f"{d:02d}/{m:02d}/{y}"],
    }[locale]
    return rng.choice(forms + [f"{y}-{m:02d}-{d:02d}"])


def time_of_day(rng: random.Random, locale: str, earliest: int = 7) -> str:
    """A clock time as written in the locale (2:30 PM, 14:30 Uhr, 14h30, ore 14.30, 14.30 uur),
    no earlier than hour ``earliest`` (so 'between X and Y' reads forward)."""
    h, mi = rng.randint(min(earliest, 20), 20), rng.choice([0, 15, 30, 45, rng.randint(0, 59)])
    forms = {
        "en_US": [
            f"{(h - 1) % 12 + 1}:{mi:02d} {'AM' if h < 12 else 'PM'}",
            f"{(h - 1) % 12 + 1}:{mi:02d}{'am' if h < 12 else 'pm'}",
        ],
        "en_GB": [f"{h:02d}:{mi:02d}", f"{(h - 1) % 12 + 1}.{mi:02d}{'am' if h < 12 else 'pm'}"],
        "de_DE": [f"{h:02d}:{mi:02d} Uhr", f"{h}.{mi:02d} Uhr", f"{h:02d}:{mi:02d}"],
        "fr_FR": [f"{h}h{mi:02d}", f"{h} h {mi:02d}", f"{h:02d}:{mi:02d}"],
        "es_ES": [f"{h:02d}:{mi:02d}", f"{h}:{mi:02d} h"],
        "it_IT": [f"{h:02d}:{mi:02d}", f"{h}.{mi:02d}"],
        "nl_NL": [f"{h:02d}:{mi:02d}", f"{h}.{mi:02d} uur"],
    }[locale]
    return rng.choice(forms)


def version(rng: random.Random, locale: str) -> str:
    """Software versions and builds, including a Windows build that has four dotted parts."""
    a, b, c = rng.randint(1, 17), rng.randint(0, 30), rng.randint(0, 20)
    return rng.choice(
        [
            f"v{a}.{b}.{c}",
            f"{a}.{b}.{c}",
            f"{a}.{b}",
            f"build {rng.randint(2019, 2025)}0{rng.randint(1, 9)}{rng.randint(10, 28)}.{c}",
            f"10.0.{rng.randint(19041, 22631)}.{rng.randint(1000, 4000)}",
            f"{a}.{b}.{c}-beta.{rng.randint(1, 9)}",
        ]
    )


def postcode(rng: random.Random, locale: str) -> str:
    """A postcode of the locale's country (ZIP, UK outward/inward, 5-digit, NL '1234 AB')."""
    country = COUNTRY[locale]
    if country == "US":
        return rng.choice([_digits(rng, 5, "123456789"), f"{_digits(rng, 5, '123456789')}-{_digits(rng, 4)}"])
    if country == "GB":
        area = rng.choice(
            ["SW", "SE", "N", "E", "W", "M", "B", "LS", "BS", "CF", "G", "EH", "OX", "YO", "BN", "RG"]
        )
        district = str(rng.randint(1, 20)) + (rng.choice(["A", ""]) if area in ("SW", "W") else "")
        inward = "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
        return f"{area}{district} {rng.randint(0, 9)}{inward}"
    if country == "NL":
        letters = rng.choice("ABCDEGHJKLMNPRTVWXZ") + rng.choice("ABCDEGHJKLMNPRTVWXZ")
        return f"{rng.randint(1000, 9999)}{rng.choice([' ', ' ', ''])}{letters}"
    if country == "FR":
        return f"{rng.randint(1, 95):02d}{_digits(rng, 3)}"
    if country == "ES":
        return f"{rng.randint(1, 52):02d}{_digits(rng, 3)}"
    if country == "IT":
        return f"{rng.randint(0, 98):02d}{_digits(rng, 3)}"
    return f"{rng.randint(1067, 99998):05d}"


def street_line(rng: random.Random, locale: str) -> str:
    """Street and house number in the locale's order."""
    street, num = rng.choice(DATA[locale].streets), rng.randint(1, 240)
    country = COUNTRY[locale]
    if country in ("US", "GB"):
        return f"{num} {street}"
    if country == "FR":
        return f"{num}{rng.choice(['', '', '', ' bis'])} {street}"
    return f"{street} {num}{rng.choice(['', '', 'a', 'b'])}"


def address(rng: random.Random, locale: str, block: bool = False) -> str:
    """A postal address without a person: street, (flat), postcode and city; one line or a block."""
    data, country = DATA[locale], COUNTRY[locale]
    city, pc = rng.choice(data.cities), postcode(rng, locale)
    parts = [street_line(rng, locale)]
    if rng.random() < 0.35:
        parts.append(room(rng, locale))
    if country == "US":
        parts.append(f"{city}, {rng.choice(['IL', 'TX', 'CA', 'NY', 'WA', 'OH', 'GA', 'NC', 'OR'])} {pc}")
    elif country == "GB":
        parts.append(f"{city} {pc}" if not block else f"{city}\n{pc}")
    elif country == "IT":
        parts.append(f"{pc} {city}" + rng.choice(["", f" ({city[:2].upper()})"]))
    else:
        parts.append(f"{pc} {city}")
    return ("\n" if block else ", ").join(parts)


def room(rng: random.Random, locale: str) -> str:
    """Flat, floor, room or suite numbers."""
    n, letter = rng.randint(1, 40), rng.choice("ABCD")
    forms = {
        "en_US": [f"Apt {n}{letter}", f"Suite {rng.randint(100, 950)}", f"Unit {n}"],
        "en_GB": [f"Flat {n}", f"Room {rng.randint(100, 450)}", f"Flat {n}{letter}"],
        "de_DE": [
            f"Zimmer {rng.randint(100, 450)}",
            f"{rng.randint(1, 6)}. OG links",
            f"Raum {rng.randint(0, 4)}.{rng.randint(1, 30)}",
            f"Whg. {n}",
        ],
        "fr_FR": [
            f"appartement {n}",
            f"bâtiment {letter}, {rng.randint(1, 8)}e étage",
            f"bureau {rng.randint(100, 450)}",
        ],
        "es_ES": [
            f"{rng.randint(1, 9)}º {letter}",
            f"piso {rng.randint(1, 9)}, puerta {rng.randint(1, 4)}",
            f"{rng.randint(1, 9)}.º izda.",
        ],
        "it_IT": [f"interno {n}", f"scala {letter}", f"stanza {rng.randint(1, 40)}"],
        "nl_NL": [
            f"kamer {rng.randint(0, 4)}.{rng.randint(1, 30):02d}",
            f"{rng.randint(1, 4)}-hoog",
            f"unit {n}",
        ],
    }[locale]
    return rng.choice(forms)


def hex_id(rng: random.Random, locale: str) -> str:
    """Commit hashes, request ids and UUIDs."""
    h = lambda n: "".join(rng.choice("0123456789abcdef") for _ in range(n))  # noqa: E731
    return rng.choice([h(7), h(12), h(40), f"{h(8)}-{h(4)}-{h(4)}-{h(4)}-{h(12)}", "0x" + h(8).upper()])


def timestamp(rng: random.Random, locale: str) -> str:
    """ISO 8601 timestamps with and without zone."""
    y, m, d = _ymd(rng)
    t = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    return rng.choice(
        [
            f"{y}-{m:02d}-{d:02d}T{t}Z",
            f"{y}-{m:02d}-{d:02d} {t}",
            f"{y}-{m:02d}-{d:02d}T{t}+01:00",
            f"{y}-{m:02d}-{d:02d}T{t}.{rng.randint(100, 999)}Z",
        ]
    )


def percent(rng: random.Random, locale: str) -> str:
    """A percentage in the locale's decimal style."""
    value = rng.choice([str(rng.randint(1, 90)), f"{rng.randint(1, 30)}.{rng.randint(1, 9)}"])
    if LANGUAGE[locale] != "en":
        value = value.replace(".", ",")
    sep = " " if LANGUAGE[locale] in ("de", "fr") and rng.random() < 0.6 else ""
    return f"{value}{sep}%"


def sku(rng: random.Random, locale: str) -> str:
    """Product codes: SKU-2231-XL, 4711-0815, MX-4410/B, 88213-B."""
    return rng.choice(
        [
            f"SKU-{_digits(rng, 4)}-{rng.choice(['XS', 'S', 'M', 'L', 'XL'])}",
            f"{_digits(rng, 4)}-{_digits(rng, 4)}",
            f"{_alnum(rng, 2)}-{_digits(rng, 4)}/{rng.choice('ABC')}",
            f"{_digits(rng, 5)}-{rng.choice('ABCD')}",
        ]
    )


def ean(rng: random.Random, locale: str) -> str:
    """A checksum-valid EAN-13 (UPC-A for the US): 13 digits a phone matcher may take."""
    prefix = {"US": "0", "GB": "50", "DE": "40", "FR": "3", "ES": "84", "IT": "80", "NL": "87"}[
        COUNTRY[locale]
    ]
    body = prefix + _digits(rng, 12 - len(prefix))
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    code = body + str((10 - total % 10) % 10)
    return code[1:] if COUNTRY[locale] == "US" else code


def serial(rng: random.Random, locale: str) -> str:
    """Device serial numbers."""
    return rng.choice(
        [_alnum(rng, 12), f"{_alnum(rng, 3)}-{_digits(rng, 4)}-{_digits(rng, 4)}", f"SN{_digits(rng, 10)}"]
    )


def vat_id(rng: random.Random, locale: str) -> str:
    """A company's VAT id (or US EIN): starts like an IBAN or looks like an SSN, but is neither."""
    return {
        "US": f"{_digits(rng, 2, '123456789')}-{_digits(rng, 7)}",
        "GB": f"GB{_digits(rng, 9)}",
        "DE": f"DE{_digits(rng, 9, '123456789')}",
        "FR": f"FR{_digits(rng, 2)}{_digits(rng, 9)}",
        "ES": f"ES{rng.choice('ABCDEFGHJ')}{_digits(rng, 8)}",
        "IT": f"IT{_digits(rng, 11)}",
        "NL": f"NL{_digits(rng, 9)}B{_digits(rng, 2)}",
    }[COUNTRY[locale]]


BICS = (
    "COBADEFFXXX",
    "DEUTDEFF",
    "BNPAFRPP",
    "SOGEFRPP",
    "INGBNL2A",
    "RABONL2U",
    "BBVAESMM",
    "CAIXESBBXXX",
    "UNCRITMM",
    "BCITITMM",
    "NWBKGB2L",
    "BARCGB22",
    "CHASUS33",
    "BOFAUS3N",
    "GENODEF1S04",
)


def bic(rng: random.Random, locale: str) -> str:
    """A bank's BIC: identifies a bank, not a person."""
    return rng.choice(BICS)


def sort_code(rng: random.Random, locale: str) -> str:
    """A UK bank sort code (identifies a branch, not a person)."""
    return f"{rng.randint(1, 99):02d}-{rng.randint(0, 99):02d}-{rng.randint(0, 99):02d}"


def company_domain(company: str) -> str:
    """A web domain derived from a company name's first word."""
    word = company.split()[0].lower()
    for a, b in (
        ("é", "e"),
        ("è", "e"),
        ("ó", "o"),
        ("í", "i"),
        ("á", "a"),
        ("à", "a"),
        ("ü", "ue"),
        ("'", ""),
    ):
        word = word.replace(a, b)
    return word


def url(rng: random.Random, locale: str) -> str:
    """A help-centre URL of one of the locale's companies."""
    tld = {"US": "com", "GB": "co.uk", "DE": "de", "FR": "fr", "ES": "es", "IT": "it", "NL": "nl"}[
        COUNTRY[locale]
    ]
    dom = company_domain(rng.choice(DATA[locale].companies))
    path = rng.choice(["help/returns", "support/faq", "account/billing", "track", "kontakt", "aide"])
    return f"https://www.{dom}.{tld}/{path}?id={hex_id(rng, locale)[:8]}"


def masked_card(rng: random.Random, locale: str) -> str:
    """A masked card number: only the last four digits remain."""
    last4 = _digits(rng, 4)
    return rng.choice(
        [f"**** **** **** {last4}", f"XXXX-XXXX-XXXX-{last4}", f"•••• {last4}", f"************{last4}"]
    )


def year(rng: random.Random, locale: str) -> str:
    """A year."""
    return str(rng.randint(1995, 2025))


def month(rng: random.Random, locale: str) -> str:
    """A month name in the locale's language (several are also given names: April, May, June, August)."""
    return rng.choice(DATA[locale].months)


def weekday(rng: random.Random, locale: str, earliest: int = 0) -> str:
    """A weekday name in the locale's language, no earlier in the week than index ``earliest``."""
    return rng.choice(DATA[locale].weekdays[min(earliest, 6) :])


def city(rng: random.Random, locale: str) -> str:
    """A city of the locale's country."""
    return rng.choice(DATA[locale].cities)


def company(rng: random.Random, locale: str) -> str:
    """A (fictional) company of the locale's country."""
    return rng.choice(DATA[locale].companies)


def product(rng: random.Random, locale: str) -> str:
    """A product name (several carry surnames or given names as brands)."""
    return rng.choice(DATA[locale].products)


# Labels for {REF}: a reference number with its word, per language.
REF_LABELS: dict[str, tuple[tuple[str, Maker], ...]] = {
    "en": (
        ("order no.", order_number),
        ("tracking number", tracking_number),
        ("invoice", invoice_id),
        ("customer no.", customer_number),
        ("ticket", ticket_id),
        ("serial number", serial),
        ("item", sku),
    ),
    "de": (
        ("Bestellnummer", order_number),
        ("Sendungsnummer", tracking_number),
        ("Rechnungsnummer", invoice_id),
        ("Kundennummer", customer_number),
        ("Ticket", ticket_id),
        ("Seriennummer", serial),
        ("Art.-Nr.", sku),
    ),
    "fr": (
        ("commande n°", order_number),
        ("numéro de suivi", tracking_number),
        ("facture", invoice_id),
        ("n° client", customer_number),
        ("ticket", ticket_id),
        ("numéro de série", serial),
        ("réf.", sku),
    ),
    "es": (
        ("pedido nº", order_number),
        ("número de seguimiento", tracking_number),
        ("factura", invoice_id),
        ("nº de cliente", customer_number),
        ("incidencia", ticket_id),
        ("número de serie", serial),
        ("ref.", sku),
    ),
    "it": (
        ("ordine n.", order_number),
        ("codice di tracciamento", tracking_number),
        ("fattura", invoice_id),
        ("codice cliente", customer_number),
        ("ticket", ticket_id),
        ("numero di serie", serial),
        ("cod. art.", sku),
    ),
    "nl": (
        ("bestelnummer", order_number),
        ("track-and-trace-code", tracking_number),
        ("factuur", invoice_id),
        ("klantnummer", customer_number),
        ("ticket", ticket_id),
        ("serienummer", serial),
        ("artikelnr.", sku),
    ),
}


def labelled_ref(rng: random.Random, locale: str) -> str:
    """A reference number with its label in the locale's language, e.g. 'Sendungsnummer 1Z…'."""
    label, maker = rng.choice(REF_LABELS[LANGUAGE[locale]])
    return f"{label} {maker(rng, locale)}"


MAKERS: dict[str, Maker] = {
    "ORDER": order_number,
    "TRACKING": tracking_number,
    "INVOICE": invoice_id,
    "CUSTNO": customer_number,
    "TICKET": ticket_id,
    "AMOUNT": amount,
    "DATE": date,
    "TIME": time_of_day,
    "VERSION": version,
    "POSTCODE": postcode,
    "STREET": street_line,
    "ADDRESS": address,
    "ROOM": room,
    "HEX": hex_id,
    "TIMESTAMP": timestamp,
    "PERCENT": percent,
    "SKU": sku,
    "EAN": ean,
    "SERIAL": serial,
    "VAT": vat_id,
    "BIC": bic,
    "SORTCODE": sort_code,
    "URL": url,
    "MASKED": masked_card,
    "YEAR": year,
    "MONTH": month,
    "WEEKDAY": weekday,
    "CITY": city,
    "COMPANY": company,
    "PRODUCT": product,
    "REF": labelled_ref,
}
