"""Planted PII values other than phones: persons, e-mail addresses, IBANs, cards, IPs, SSNs.

Person names are assembled from Faker's given names and surnames so that the span boundary is
known exactly: titles and degrees are rendered *around* the name, never inside the span.
"""

from __future__ import annotations

import random
import string
import unicodedata
from dataclasses import dataclass

from faker import Faker

from .locales import COUNTRY, DATA, LANGUAGE, LOCALES
from .negatives import company_domain

EXTRA_NAME_LOCALES: tuple[str, ...] = ("en_IN", "pl_PL", "tr_TR", "pt_PT")
FOREIGN_NAME_RATE = 0.12


# ----------------------------------------------------------------------------------- persons
@dataclass(frozen=True)
class Person:
    """A person's name parts: given names, surname particle(s) and surname(s)."""

    given: tuple[str, ...]
    particle: str
    surname: str
    female: bool

    def family(self, standalone: bool = False) -> str:
        """Particle plus surname; Dutch and Flemish capitalise the particle when it stands alone."""
        if not self.particle:
            return self.surname
        particle = self.particle[0].upper() + self.particle[1:] if standalone else self.particle
        joiner = "" if particle.endswith("'") else " "
        return f"{particle}{joiner}{self.surname}"

    def full(self) -> str:
        """Given names, particle and surname(s) as one string."""
        return " ".join([*self.given, self.family()])

    def initials(self, compact: bool) -> str:
        """Initials of the given names followed by the family name: 'A. van der Berg', 'J.-P. Roux'."""
        marks = []
        for name in self.given:
            marks.append("-".join(part[0] + "." for part in name.split("-") if part))
        return ("" if compact else " ").join(marks) + " " + self.family()


def _split_particle(surname: str) -> tuple[str, str]:
    """Split leading lower-case particles from a surname ('van der Zijl' -> 'van der', 'Zijl')."""
    words = surname.split(" ")
    lead = []
    while len(words) > 1 and (words[0][:1].islower() or words[0] == "'t"):
        lead.append(words.pop(0))
    return " ".join(lead), " ".join(words)


def _given_names(fk: Faker, female: bool, lang: str, rng: random.Random) -> tuple[str, ...]:
    """One or two given names; US middle initials, German/Spanish double names."""
    first = fk.first_name_female() if female else fk.first_name_male()
    if lang == "en" and rng.random() < 0.12:
        return (first, rng.choice(string.ascii_uppercase) + ".")
    if lang in ("de", "es", "it") and rng.random() < 0.08:
        second = fk.first_name_female() if female else fk.first_name_male()
        if second != first:
            return (first, second)
    return (first,)


def make_person(fakers: dict[str, Faker], locale: str, rng: random.Random) -> Person:
    """A person as seen in ``locale``'s support traffic; some come from other name pools."""
    origin = locale
    if rng.random() < FOREIGN_NAME_RATE:
        origin = rng.choice([x for x in (*LOCALES, *EXTRA_NAME_LOCALES) if x != locale])
    fk, lang = fakers[origin], LANGUAGE.get(origin, "xx")
    female = rng.random() < 0.5
    given = _given_names(fk, female, lang, rng)
    particle, surname = _split_particle(fk.last_name())
    if lang == "es" and rng.random() < 0.8:
        second = fk.last_name()
        surname = f"{surname} {'y ' if rng.random() < 0.05 else ''}{second}"
    if not particle and lang in ("de", "fr", "it", "es") and rng.random() < 0.06:
        particle = rng.choice(DATA[origin].particles)
    if lang == "nl" and rng.random() < 0.04:
        p2, s2 = _split_particle(fk.last_name())
        surname = f"{surname} en {p2 + ' ' if p2 else ''}{s2}"
    elif rng.random() < {"de": 0.07, "fr": 0.05, "nl": 0.05, "en": 0.03}.get(lang, 0.0):
        surname = f"{surname}-{_split_particle(fk.last_name())[1]}"
    return Person(given, particle, surname, female)


@dataclass(frozen=True)
class Rendered:
    """Text before the name (titles), the name itself (the span), and text after (degrees)."""

    before: str
    name: str
    after: str


def _address_title(person: Person, locale: str, rng: random.Random) -> str:
    """A gendered form of address, sometimes followed by an academic title ('Frau Dr.')."""
    titles = DATA[locale].titles
    form = rng.choice(titles.female if person.female else titles.male)
    if rng.random() < 0.2:
        academic = rng.choice(titles.academic)
        # German and Dutch stack a form of address and an academic title ('Frau Dr.', 'mevrouw dr.').
        return f"{form} {academic}" if LANGUAGE[locale] in ("de", "nl") else academic
    return form


def _degree(locale: str, rng: random.Random) -> str:
    """A post-nominal degree, comma-separated or not."""
    return rng.choice([", ", " "]) + rng.choice(DATA[locale].titles.degrees)


def _surname_first(person: Person, lang: str) -> str:
    """Surname-first forms: French 'DUPONT Marie', Italian 'Rossi Mario', CRM 'Müller, Hans'."""
    given = " ".join(person.given)
    if lang == "fr":
        return f"{person.family().upper()} {given}"
    if lang == "it":
        return f"{person.family()} {given}"
    return f"{person.family()}, {given}"


def render_person(person: Person, variant: str, locale: str, rng: random.Random) -> Rendered:
    """Render a person for a template slot; the title/degree parts never belong to the span."""
    lang = LANGUAGE[locale]
    if variant == "any":
        variant = rng.choices(
            ["full", "formal", "initial", "given", "caps", "surname_first", "lower", "addr"],
            weights=[45, 18, 7, 7, 5, 7, 4, 7],
        )[0]
    if variant == "full":
        return Rendered("", person.full(), "")
    if variant == "given":
        return Rendered("", person.given[0], "")
    if variant == "caps":
        return Rendered("", person.full().upper(), "")
    if variant == "lower":
        return Rendered("", person.full().lower(), "")
    if variant == "initial":
        return Rendered("", person.initials(compact=rng.random() < 0.3), "")
    if variant == "surname_first":
        return Rendered("", _surname_first(person, lang), "")
    if variant == "sig":
        return _render_signature(person, locale, rng)
    if variant == "addr":
        title = _address_title(person, locale, rng)
        if lang == "de" and title.startswith("Herr") and rng.random() < 0.5:
            title = "Herrn" + title[4:]
        return Rendered(title + " ", person.full(), _degree(locale, rng) if rng.random() < 0.08 else "")
    return _render_formal(person, locale, rng)


def _render_formal(person: Person, locale: str, rng: random.Random) -> Rendered:
    """Title plus surname ('Mrs Patel', 'mevrouw Van der Berg'), full name or initials."""
    lang = LANGUAGE[locale]
    title = _address_title(person, locale, rng)
    if lang == "es" and title in ("D.", "Don", "Dña.", "Doña"):
        name = person.full() if rng.random() < 0.7 else person.given[0]
    else:
        roll = rng.random()
        if roll < 0.6:
            name = person.family(standalone=lang == "nl")
        elif roll < 0.9:
            name = person.full()
        else:
            name = person.initials(compact=False)
    return Rendered(title + " ", name, _degree(locale, rng) if rng.random() < 0.08 else "")


def _render_signature(person: Person, locale: str, rng: random.Random) -> Rendered:
    """A signature line: optional academic title, name (sometimes ALL CAPS), optional degree."""
    titles = DATA[locale].titles
    before = rng.choice(titles.academic) + " " if rng.random() < 0.15 else ""
    roll = rng.random()
    if roll < 0.2:
        name = person.full().upper()
    elif roll < 0.28:
        name = person.initials(compact=False)
    else:
        name = person.full()
    after = _degree(locale, rng) if rng.random() < 0.2 else ""
    return Rendered(before, name, after)


# ------------------------------------------------------------------------------------ e-mail
def ascii_fold(text: str) -> str:
    """Lower-case ASCII for e-mail local parts: umlauts as ae/oe/ue, accents and spaces dropped."""
    text = text.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("ø", "o"), ("ł", "l"), ("ı", "i")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c in "-."))


def person_email(person: Person, locale: str, rng: random.Random) -> str:
    """An address derived from a person's name at a free-mail or company domain."""
    given = ascii_fold(person.given[0].replace(" ", ""))
    family = ascii_fold(person.surname.split(" ")[0])
    if rng.random() < 0.4 and person.particle:
        family = ascii_fold(person.particle.replace(" ", "")) + family
    local = rng.choice(
        [
            f"{given}.{family}",
            f"{given[0]}.{family}",
            f"{given}{family}",
            f"{family}.{given}",
            f"{given}_{family}{rng.randint(1, 99)}",
            f"{given}.{family}{rng.randint(60, 99)}",
            f"{given[0]}{family}",
            f"{given}{rng.randint(1, 999)}",
            f"{family}{given[0]}",
        ]
    )
    if rng.random() < 0.04:
        local += "+" + rng.choice(["shop", "returns", "news", "amazon", "bills"])
    domain = _domain(locale, rng)
    email = f"{local}@{domain}"
    roll = rng.random()
    if roll < 0.05:
        email = email[0].upper() + email[1:]
    elif roll < 0.07:
        email = email.upper()
    return email


def _domain(locale: str, rng: random.Random) -> str:
    """A free-mail domain of the locale, or a company's domain."""
    data = DATA[locale]
    if rng.random() < 0.15:
        tld = {"US": "com", "GB": "co.uk", "DE": "de", "FR": "fr", "ES": "es", "IT": "it", "NL": "nl"}[
            COUNTRY[locale]
        ]
        return f"{company_domain(rng.choice(data.companies))}.{tld}"
    return rng.choice(data.mail_domains)


ROLE_LOCALS = {
    "en": ("support", "customerservice", "billing", "help", "noreply"),
    "de": ("kundenservice", "service", "info", "rechnung", "support"),
    "fr": ("service.client", "contact", "facturation", "support", "sav"),
    "es": ("atencionalcliente", "soporte", "facturacion", "info", "clientes"),
    "it": ("assistenza", "servizioclienti", "info", "fatturazione", "supporto"),
    "nl": ("klantenservice", "info", "support", "facturen", "service"),
}


def role_email(locale: str, rng: random.Random) -> str:
    """A company role address (support@…): still an e-mail address, so still a span."""
    tld = {"US": "com", "GB": "co.uk", "DE": "de", "FR": "fr", "ES": "es", "IT": "it", "NL": "nl"}[
        COUNTRY[locale]
    ]
    domain = company_domain(rng.choice(DATA[locale].companies))
    return f"{rng.choice(ROLE_LOCALS[LANGUAGE[locale]])}@{domain}.{tld}"


# -------------------------------------------------------------------------------------- IBAN
# BBAN structures from the IBAN registry: n digits, a upper-case letters, c alphanumerics.
IBAN_BBAN: dict[str, str] = {
    "DE": "8n10n",
    "AT": "5n11n",
    "CH": "5n12c",
    "FR": "5n5n11c2n",
    "ES": "4n4n1n1n10n",
    "IT": "1a5n5n12c",
    "NL": "4a10n",
    "BE": "3n7n2n",
    "GB": "4a6n8n",
    "IE": "4a6n8n",
    "PT": "4n4n11n2n",
    "LU": "3n13c",
    "PL": "8n16n",
    "SE": "3n16n1n",
    "DK": "4n9n1n",
    "FI": "6n7n1n",
    "NO": "4n6n1n",
    "CZ": "4n6n10n",
    "GR": "3n4n16c",
    "HU": "3n4n1n15n1n",
    "HR": "7n10n",
    "RO": "4a16c",
    "SK": "4n6n10n",
    "SI": "5n8n2n",
    "MT": "4a5n18c",
    "CY": "3n5n16c",
    "LT": "5n11n",
    "LV": "4a13c",
    "EE": "2n2n11n1n",
    "BG": "4a4n2n8c",
    "MC": "5n5n11c2n",
    "TR": "5n1n16c",
}
IBAN_HOME = {"US": "GB", "GB": "GB", "DE": "DE", "FR": "FR", "ES": "ES", "IT": "IT", "NL": "NL"}


def _bban(spec: str, rng: random.Random) -> str:
    """Random BBAN characters following an IBAN-registry structure string."""
    out, num = [], ""
    for ch in spec:
        if ch.isdigit():
            num += ch
            continue
        count, num = int(num), ""
        for _ in range(count):
            if ch == "n":
                out.append(str(rng.randrange(10)))
            elif ch == "a":
                out.append(rng.choice(string.ascii_uppercase))
            else:
                # alphanumeric account fields are digits in practice, with the odd letter
                out.append(
                    rng.choice(string.ascii_uppercase) if rng.random() < 0.08 else str(rng.randrange(10))
                )
    return "".join(out)


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits: 98 minus (BBAN + country + '00' as digits) mod 97."""
    rearranged = bban + country + "00"
    number = "".join(str(int(c, 36)) for c in rearranged)
    return f"{98 - int(number) % 97:02d}"


def make_iban(country: str, rng: random.Random, valid: bool = True) -> str:
    """A compact IBAN of ``country``; ``valid=False`` gives wrong check digits (a typo)."""
    bban = _bban(IBAN_BBAN[country], rng)
    check = iban_check_digits(country, bban)
    if not valid:
        check = f"{(int(check) + rng.randint(1, 96)) % 97 + 2:02d}"
        if check == iban_check_digits(country, bban):
            check = f"{(int(check) % 97) + 2:02d}"
    return country + check + bban


def format_iban(compact: str, rng: random.Random, wrap: bool) -> str:
    """Print an IBAN in groups of four, compact or lower case; ``wrap`` splits it over two lines."""
    grouped = " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    text = grouped if rng.random() < 0.65 else compact
    if rng.random() < 0.1:
        text = text.lower()
    if wrap:
        if " " in text:
            groups = text.split(" ")
            cut = rng.randint(2, len(groups) - 2)
            text = " ".join(groups[:cut]) + rng.choice(["\n", " \n", "\n  "]) + " ".join(groups[cut:])
        else:
            cut = rng.randint(8, len(text) - 4)
            text = text[:cut] + "\n" + text[cut:]
    return text


def iban_for(locale: str, rng: random.Random, fk: Faker, wrap: bool) -> str:
    """An IBAN a customer in ``locale`` might give: home country, Faker's, or one of 32 others."""
    roll = rng.random()
    if roll < 0.15 and COUNTRY[locale] != "US":
        compact = fk.iban()
    else:
        country = IBAN_HOME[COUNTRY[locale]] if roll < 0.55 else rng.choice(sorted(IBAN_BBAN))
        compact = make_iban(country, rng, valid=rng.random() > 0.04)
    return format_iban(compact, rng, wrap)


# ------------------------------------------------------------------------------------- cards
CARD_BRANDS: tuple[tuple[str, tuple[str, ...], int, tuple[int, ...], float], ...] = (
    ("visa", ("4",), 16, (4, 4, 4, 4), 45),
    ("mastercard", ("51", "52", "53", "54", "55", "2221", "2300", "2500", "2720"), 16, (4, 4, 4, 4), 30),
    ("amex", ("34", "37"), 15, (4, 6, 5), 10),
    ("discover", ("6011", "65", "644"), 16, (4, 4, 4, 4), 5),
    ("jcb", ("3528", "3540", "3589"), 16, (4, 4, 4, 4), 3),
    ("diners", ("36", "38"), 14, (4, 6, 4), 3),
    ("maestro", ("6759", "5018", "6304"), 19, (4, 4, 4, 4, 3), 4),
)


def luhn_check_digit(body: str) -> str:
    """The Luhn digit that makes ``body + digit`` pass the mod-10 check."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    """Whether a digit string passes the Luhn check."""
    return luhn_check_digit(number[:-1]) == number[-1]


def make_card(rng: random.Random) -> str:
    """A Luhn-valid card number of a common brand, with spaces, dashes or no separators."""
    _, prefixes, length, groups, _ = rng.choices(CARD_BRANDS, weights=[b[4] for b in CARD_BRANDS])[0]
    body = rng.choice(prefixes)
    body += "".join(str(rng.randrange(10)) for _ in range(length - 1 - len(body)))
    number = body + luhn_check_digit(body)
    sep = rng.choices([" ", "-", ""], weights=[50, 20, 30])[0]
    parts, pos = [], 0
    for size in groups:
        parts.append(number[pos : pos + size])
        pos += size
    return sep.join(parts)


# --------------------------------------------------------------------------------------- IPs
PUBLIC_FIRST_OCTETS = (
    24,
    31,
    37,
    46,
    50,
    62,
    64,
    66,
    67,
    68,
    69,
    71,
    73,
    76,
    77,
    78,
    79,
    80,
    81,
    82,
    83,
    84,
    85,
    86,
    87,
    88,
    89,
    90,
    91,
    92,
    93,
    94,
    95,
    96,
    97,
    98,
    99,
    104,
    107,
    108,
    109,
    151,
    176,
    178,
    185,
    188,
    193,
    194,
    195,
    212,
    213,
    217,
)
IPV6_PREFIXES = ("2a02", "2a01", "2001", "2003", "2a00", "2600", "2605", "2607", "2a0a", "2804")


def make_ipv4(rng: random.Random) -> str:
    """A public-looking IPv4 address; one in ten is a home-router private address."""
    if rng.random() < 0.1:
        return rng.choice(
            [
                f"192.168.{rng.choice([0, 1, 178, 2])}.{rng.randint(2, 254)}",
                f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}",
            ]
        )
    return (
        f"{rng.choice(PUBLIC_FIRST_OCTETS)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    )


def make_ipv6(rng: random.Random) -> str:
    """A global IPv6 address, full, zero-compressed or upper case."""
    groups = [rng.choice(IPV6_PREFIXES)] + [f"{rng.randrange(0x10000):x}" for _ in range(7)]
    roll = rng.random()
    if roll < 0.5:
        keep = rng.randint(3, 4)
        text = ":".join(groups[:keep]) + "::" + ":".join(groups[-rng.randint(1, 2) :])
    else:
        text = ":".join(groups)
    return text.upper() if roll > 0.92 else text


def make_ip(rng: random.Random, version: str = "") -> str:
    """An IP address: v4 (70%) or v6, or as requested."""
    if version == "v6" or (version != "v4" and rng.random() < 0.3):
        return make_ipv6(rng)
    return make_ipv4(rng)


# -------------------------------------------------------------------------------------- SSN
def make_ssn(rng: random.Random) -> str:
    """A US SSN in valid ranges (area 001-899 except 666, group 01-99, serial 0001-9999), dashed."""
    area = rng.randint(1, 898)
    area = area + 1 if area >= 666 else area
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
