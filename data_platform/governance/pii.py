"""PII detection and redaction over whole text columns.

Each detector is a regular expression run by Polars' Rust engine over the column (a fast
``contains`` first, so only texts with a candidate are rewritten), which wraps every candidate
in two marker bytes; one compiled pass (``_marked_spans``) turns the markers into character and
byte spans. Candidates are then validated where a checksum or a known shape exists: Luhn
for payment cards, mod-97 and the country's length for IBANs, the shapes people write phone
numbers in (international prefixes, trunk zeros, bracketed area codes, national groupings; not
whether a plan assigns the number, since people mistype and plans change), area/group/serial
rules for US SSNs, octet ranges for IPv4, the standard library's parser for IPv6, Shannon
entropy for unlabelled secrets. Context detectors (dates of birth, credentials in URLs, names
after "my name is", greetings and sign-offs) mark only the value, not the cue. Overlapping
findings keep the one of the higher-priority detector.

Findings carry the input row, entity type, character span and detector, never the value.
``redact`` rewrites the texts with typed placeholders (``[EMAIL_ADDRESS]``) or consistent
pseudonyms (``[PERSON:3f2a9c41d0be]``, a keyed HMAC-SHA256 of type and value: the same value
gets the same pseudonym under the same key, and the key is passed in, never stored).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import numba
import numpy as np
import polars as pl
import pyarrow as pa

from data_platform.governance.names import (
    INVERTED,
    LOWER_NAME_AFTER_LABEL,
    NAME_SEQUENCE,
    lower_name_ok,
    names_ok,
    screen_names,
    trim_names,
)
from data_platform.text.tokens import utf8_buffers

OPEN, CLOSE = "\x00", "\x01"
# Context each candidate carries: six words back ("my new mobile is 415..., the old one (...)")
# and a few forward ("0653... - that's the number to call").
BEFORE_CHARS, AFTER_CHARS = 64, 40
# What a screen sees before a candidate: room for a title or a cue word.
NEAR_CHARS = 32
KEY_ENV = "DATA_PLATFORM_PII_KEY"
B = r"(?-u:\b)"  # ASCII word boundary: keeps Rust's regex engine on its fast automaton
DIGIT = "[0-9]"
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATE = (
    rf"{DIGIT}{{1,2}}[/.-]{DIGIT}{{1,2}}[/.-]{DIGIT}{{2,4}}|{DIGIT}{{4}}-{DIGIT}{{2}}-{DIGIT}{{2}}"
    rf"|{MONTH} {DIGIT}{{1,2}}(?:st|nd|rd|th)?,? {DIGIT}{{4}}"
    rf"|{DIGIT}{{1,2}}(?:st|nd|rd|th)? (?:of )?{MONTH},? {DIGIT}{{4}}"
)
OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
HEX = "[0-9A-Fa-f]{1,4}"
NAME = r"\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+){0,2}"
FULL_NAME = r"\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+){1,2}"
NAME_CUES = (
    "my name is|my name's|call me|i am|i'm|dear|hi|hello|hey|thanks|thank you|regards|"
    "best regards|kind regards|best wishes|sincerely|cheers|yours truly|signed"
)
# Capitalised words a cue is often followed by that are not names ("I'm Sorry", "Hi All").
NOT_NAME_WORDS = (
    "all everyone team there guys folks sir madam sorry not so very really just glad happy good "
    "great fine sure here back done new the a an and but this that it i we you they he she my "
    "our your please thanks thank hello hi hey dear okay ok yes no well now still also again "
    "today tomorrow monday tuesday wednesday thursday friday saturday sunday customer support "
    "service american british english french german spanish italian chinese indian canadian "
    "mr mrs ms mx dr prof sir"
)
NOT_NAMES = frozenset(NOT_NAME_WORDS.split())
SECRET_PATTERNS = (
    r"(?:AKIA|ASIA)[0-9A-Z]{16}",
    r"gh[pousr]_[A-Za-z0-9]{36}",
    r"github_pat_[A-Za-z0-9_]{82}",
    r"xox[abposr]-[A-Za-z0-9-]{10,72}",
    r"sk-(?:proj-)?[A-Za-z0-9_-]{20,}",
    r"(?:sk|rk)_live_[0-9A-Za-z]{24,}",
    r"AIza[0-9A-Za-z_-]{35}",
    r"glpat-[0-9A-Za-z_-]{20}",
    r"npm_[A-Za-z0-9]{36}",
)
PRIVATE_KEY = r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----(?s:.*?)-----END (?:[A-Z]+ )*PRIVATE KEY-----"
# IBAN length per country (ISO 13616 registry, the SEPA countries and other common ones).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20,
    "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18,
    "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
    "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19,
    "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VG": 24, "XK": 20,
    "BI": 27, "BY": 28, "DJ": 27, "FK": 18, "LC": 32, "LY": 25, "MN": 20, "NI": 28, "OM": 23,
    "RU": 33, "SC": 31, "SD": 18, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "VA": 22, "YE": 30,
}  # fmt: skip
# Words that announce a phone number, in the languages of the sources we see most (a cue makes a
# bare digit run a phone number).
PHONE_CUES = (
    r"(?i)phone|tel\b|tel\.|telephone|mobile|cell|fax|call|contact|reach|text\b|whatsapp|dial|\bph\b|"
    r"landline|hotline|sms|answer|message|direct|ligne|l[íi]nea|linea|lijn|durchwahl|"
    r"telefon|handy|mobil|rufnummer|anruf|erreich|"
    r"t[ée]l[ée]phone|\bt[ée]l\b|portable|appel|joindre|"
    r"tel[ée]f[óo]n|tlf|tfno|telf|m[óo]vil|ll[aá]m|escrib|whats|"
    r"cellulare|chiam|scriv|"
    r"telefoon|mobiel|bel(?:le|len|t|de|d)?\b|gebeld|rief|ruft|sms"
)
# Words after which a digit run is an identifier of something else (an order, a room, an amount).
# Words after which a digit run is an identifier of something else (an order, a customer, a room,
# a tax number): matched against the last few words before it ("customer number is 1234567").
NOT_PHONE_WORDS = (
    r"^(?:order|invoice|ticket|tracking|track|ref|reference|case|sku|serial|account|acct|iban|"
    r"room|flat|apt|apartment|suite|unit|version|ver|build|release|zip|postcode|postal|plz|"
    r"licen[cs]e|passport|member|customer|client|policy|contract|ssn|vat|tax|ein|"
    r"bestell\w*|rechnung\w*|auftrag\w*|sendung\w*|kunden\w*|vertrag\w*|serien\w*|steuer\w*|"
    r"ust|mwst|zimmer|commande|facture|colis|chambre|contrat|suivi|tva|"
    r"pedido|factura|env[íi]o|habitaci[óo]n|contrato|seguimiento|cliente|dni|nie|iva|"
    r"ordine|fattura|spedizione|camera|contratto|tracciamento|codice|"
    r"bestelling|factuur|zending\w*|kamer|klant\w*|btw|id|item|art|artikel\w*|articolo|art[íi]culo|"
    r"article|cod|ean|upc|gtin|isbn)$"
)
CARD_WORDS = (
    r"(?i)^(?:card|cards|karte|kreditkarte|carte|tarjeta|carta|kaart|creditcard|visa|mastercard|"
    r"maestro|amex)$"
)
NOT_CARD_WORDS = (
    r"^(?:ean|upc|gtin|isbn|barcode|tracking|track|ticket|order|invoice|ref|reference|serial|"
    r"sendung\w*|bestell\w*|suivi|commande|seguimiento|pedido|tracciamento|ordine|zending\w*|"
    r"bestelling)$"
)
# "My number", "mi número", "il mio numero", "mijn nummer", "meine Nummer": a phone number.
POSSESSIVE_NUMBER = (
    r"\b(?:my|your|our|the|this|mi|su|tu|el|il|mio|suo|tuo|mon|ma|votre|ton|mijn|uw|je|het|mein\w*|"
    r"ihr\w*|unser\w*|dein\w*|die)\s+(?:number|n[úu]mero|numero|nummer|num[ée]ro)\b"
)
# The speaker of a transcript line ("Cliente: 0612...", "Customer: ..."): what follows is theirs.
SPEAKER_LABEL_BEFORE = (
    r"(?i)(?:^|\n)\s*(?:customer|caller|client|cliente|klant|kunde|anrufer|appelant)\s*:\s*$"
)
# A currency sign or code right before it: an amount.
AMOUNT_BEFORE = r"(?i)(?:[€$£]|\b(?:eur|usd|gbp|chf))\s?$"
NOT_PHONE_AFTER = r"^\s?(?:€|\$|£|%|eur|usd|gbp|chf|kg|km|cm|mm|gb|mb|kb)"
PHONE_LABEL_AFTER = r"(?i)^[\s(-]{0,2}(?:office|fax|mobile|cell|home|work|tel|phone)\b"
# A line label of a signature or contact block right before it: "T: ", "Mob. ", "Direct: ".
PHONE_LABEL_BEFORE = r"(?i)(?:^|\s)(?:t|m|p|f|ph|tel|mob|cell|fax|direct|dd)\s?[:.]\s*$"
# Extensions: "x264", "ext. 12", "Durchwahl 421", "toestel 289", "(tst. 8080)", "poste 214".
PHONE_EXTENSION = (
    r"(?:[ ]?(?i:x|ext\.?|extension|ext:|durchwahl|dw\.?|app\.?|apparat|toestel|tst\.?|poste|interno|int\.)"
    r"[ ]?[0-9]{1,6}"
    r"|[ ]?\((?i:ext\.?|tst\.?|toestel|poste|interno|int\.)[ ]?[0-9]{1,6}\))"
)

FINDINGS_SCHEMA = {
    "row": pl.Int64,
    "entity_type": pl.String,
    "start": pl.Int64,
    "end": pl.Int64,
    "detector": pl.String,
}


@dataclass(frozen=True)
class Detector:
    """``pattern`` marks the value; with ``cue`` it is ``(cue)(value)`` and only the value is
    marked. ``trim`` may shorten candidates (frame with ``value``, spans, ``before``/``after``:
    up to ``BEFORE_CHARS`` characters before and ``AFTER_CHARS`` after); ``validate`` says which
    pass. ``screen``, where a detector has many candidates, drops the ones ``validate`` would
    surely refuse before their context is cut (given a frame with ``row``, ``value`` and
    ``near``, the ``NEAR_CHARS`` characters before, and the texts); it may keep too many, never
    too few."""

    name: str
    entity: str
    pattern: str
    cue: bool = False
    validate: Callable[[pl.DataFrame], pl.Series] | None = None
    trim: Callable[[pl.DataFrame], pl.DataFrame] | None = None
    screen: Callable[[pl.DataFrame, pl.Series], pl.Series] | None = None


def _last_words(found: pl.DataFrame, last: int) -> pl.Series:
    """The ``last`` words before each candidate on its own line, lower-cased, nearest last; "my
    number" (in seven languages) reads as one phone word."""
    return _words_of(
        found["before"]
        .str.replace(r"[ \t]*\r?\n[ \t]*$", " ")  # a number on a line of its own: the line above
        .str.split("\n")
        .list.last()
        .str.to_lowercase()
        .str.replace_all(POSSESSIVE_NUMBER, " phone ")
    ).list.tail(last)


def _next_words(found: pl.DataFrame, count: int) -> pl.Series:
    """The first ``count`` words after each candidate on its line, lower-cased, nearest first."""
    return _words_of(found["after"].str.split("\n").list.first().str.to_lowercase()).list.head(count)


def _words_of(lines: pl.Series) -> pl.Series:
    """Each line's words: runs of letters and digits."""
    return lines.str.replace_all(r"[^\p{L}\p{N}]+", " ").str.strip_chars().str.split(" ")


def _nearest(words: pl.Series, pattern: str) -> pl.Series:
    """How many words back the nearest word matching ``pattern`` is (1: the last one), or 99.
    Matched word by word: an end-anchored pattern over the context is slow in the regex engine."""
    reversed_hits = words.list.reverse().list.eval(pl.element().str.contains(pattern).arg_max())
    found = words.list.eval(pl.element().str.contains(pattern).any()).list.first()
    return (
        pl.select(pl.when(found).then(reversed_hits.list.first() + 1).otherwise(99)).to_series().fill_null(99)
    )


def _card_ok(found: pl.DataFrame) -> pl.Series:
    """12-19 digits passing Luhn (starting with 0 only after a card word), written whole or in
    the groups cards print (4-4-4-4..., 4-6-5, 4-6-4), and not right after a ``+`` (that is an
    international phone number). The context is read only for what passes Luhn."""
    digits = found["value"].str.replace_all("[^0-9]", "")
    data, offsets = utf8_buffers(digits)
    sizes = pl.col("value").str.replace_all("-", " ").str.split(" ").list.eval(pl.element().str.len_bytes())
    inner_fours = sizes.list.slice(0, sizes.list.len() - 1).list.eval(pl.element() == 4).list.all()
    layouts = pl.lit(pl.Series([[4, 6, 5], [4, 6, 4]], dtype=pl.List(pl.UInt32)))
    printed = found.select(
        (sizes.list.len() == 1) | (inner_fours & (sizes.list.last() <= 4)) | sizes.is_in(layouts.implode())
    ).to_series()
    plausible = pl.Series(_luhn(data, offsets)) & digits.str.len_bytes().is_between(12, 19) & printed
    rows = np.flatnonzero(plausible.to_numpy())
    found, digits = found[rows], digits.gather(rows)
    # Issuer ranges start at 1-9 but for an old Maestro range: a number starting with 0 is a
    # card only after a card word ("unter 017587506720" is a phone)
    zero_first = digits.str.starts_with("0") & (_nearest(_last_words(found, 4), CARD_WORDS) == 99)
    # A barcode, a tracking or ticket number can pass Luhn by chance: refused after such a word,
    # after a sign or letter glued to it ("Ticket#2025...", "+"), or when more digits follow.
    other_number = (
        (_nearest(_last_words(found, 3), NOT_CARD_WORDS) < 99)
        | found["before"].str.contains(r"[+#\p{L}]$")
        | found["after"].str.contains(r"^[ -]?[0-9]")
    )
    return _scatter(rows, plausible.len(), ~zero_first & ~other_number)


def _scatter(rows: np.ndarray, size: int, values: pl.Series) -> pl.Series:
    """A boolean Series of ``size``, ``values`` at ``rows`` and False elsewhere."""
    out = np.zeros(size, dtype=bool)
    out[rows] = values.fill_null(False).to_numpy()
    return pl.Series(out)


@numba.njit(cache=True, nogil=True)
def _luhn(data: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    out = np.zeros(len(offsets) - 1, dtype=np.bool_)
    for d in range(len(out)):
        total, double = 0, False
        for i in range(offsets[d + 1] - 1, offsets[d] - 1, -1):
            digit = int(data[i]) - 48
            if double:
                digit = digit * 2 - 9 if digit > 4 else digit * 2
            total += digit
            double = not double
        out[d] = offsets[d + 1] > offsets[d] and total % 10 == 0
    return out


def _iban_trim(found: pl.DataFrame) -> pl.DataFrame:
    """Cut each candidate after as many letters and digits as its country's IBAN has (the
    pattern may run into the next word)."""
    wanted = (
        found["value"]
        .str.slice(0, 2)
        .str.to_uppercase()
        .replace_strict(IBAN_LENGTHS, default=0, return_dtype=pl.Int64)
    )
    data, offsets = utf8_buffers(found["value"])  # the pattern is ASCII: bytes are characters
    kept = pl.Series(_iban_kept_bytes(data, offsets, wanted.to_numpy()))
    cut = found["value"].str.slice(0, kept).str.strip_chars_end()
    shorter = found["value"].str.len_chars() - cut.str.len_chars()
    return found.with_columns(value=cut, end=found["end"] - shorter, byte_end=found["byte_end"] - shorter)


@numba.njit(cache=True, nogil=True)
def _iban_kept_bytes(data: np.ndarray, offsets: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Per value: how many bytes hold its first ``wanted`` characters that are not white space."""
    out = np.zeros(len(wanted), dtype=np.int64)
    for d in range(len(wanted)):
        kept = 0
        for i in range(offsets[d], offsets[d + 1]):
            if kept == wanted[d]:
                break
            out[d] += 1
            b = data[i]
            kept += not (b == 32 or b == 9 or b == 10 or b == 13)
    return out


def _iban_ok(found: pl.DataFrame) -> pl.Series:
    """The country's IBAN length, and the mod-97 check digits right; or, since people mistype
    IBANs and a mistyped one is still theirs, the length right and the value printed in groups
    of four or announced by a bank word ("IBAN", "Konto", "rekening", ...)."""
    compact = found["value"].str.replace_all(r"\s", "").str.to_uppercase()
    lengths = compact.str.slice(0, 2).replace_strict(IBAN_LENGTHS, default=0, return_dtype=pl.Int64)
    data, offsets = utf8_buffers(compact)
    grouped = found["value"].str.contains(
        r"^[A-Za-z]{2}[0-9]{2}(?:\s+[A-Za-z0-9]{4})+(?:\s+[A-Za-z0-9]{1,3})?$"
    )
    announced = found["before"].str.contains(IBAN_CUES)
    known_length = (compact.str.len_bytes() == lengths) & (lengths > 0)
    return known_length & (pl.Series(_mod97(data, offsets)) | grouped | announced)


@numba.njit(cache=True, nogil=True)
def _mod97(data: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """ISO 7064 mod 97-10 on the rearranged IBAN (first four characters moved to the end)."""
    out = np.zeros(len(offsets) - 1, dtype=np.bool_)
    for d in range(len(out)):
        start, end = offsets[d], offsets[d + 1]
        if end - start < 5:
            continue
        remainder = 0
        for k in range(end - start):
            c = int(data[start + (k + 4) % (end - start)])
            value = c - 48 if c < 65 else c - 55  # digits 0-9, letters A=10 ... Z=35
            remainder = (remainder * (100 if value > 9 else 10) + value) % 97
        out[d] = remainder == 1
    return out


def _ssn_ok(found: pl.DataFrame) -> pl.Series:
    parts = found["value"].str.split("-")
    area, group, serial = parts.list.get(0), parts.list.get(1), parts.list.get(2)
    return (
        ~area.is_in(["000", "666"]) & ~area.str.starts_with("9") & (group != "00") & (serial != "0000")
    ).fill_null(False)


def _ipv4_ok(found: pl.DataFrame) -> pl.Series:
    """Not four numbers cut out of a longer dotted run (``03.93.92.16.85`` is a phone number)."""
    return ~found["before"].str.contains(r"[0-9]\.$") & ~found["after"].str.contains(r"^\.[0-9]")


def _ipv6_ok(found: pl.DataFrame) -> pl.Series:
    """Eight groups, or at most seven around one ``::`` (the pattern allows no other shape), and
    not glued to a word: then it is its tail, not an address ("belief::understanding",
    "std::map")."""
    values = found["value"]
    groups = values.str.count_matches(HEX)
    compressed = values.str.contains("::", literal=True)
    whole = pl.select(pl.when(compressed).then(groups <= 7).otherwise(groups == 8)).to_series()
    glued = found["before"].str.contains(r"[\p{L}\p{N}:]$") | found["after"].str.contains(r"^[\p{L}\p{N}:]")
    return whole & ~glued


def _phone_ok(found: pl.DataFrame) -> pl.Series:
    """Phone numbers as people write them, valid in a numbering plan or not (people mistype and
    plans change: redaction must not depend on a number being assignable): a phone's shape
    (``_phone_shape``) that its context does not make something else (``_phone_context``)."""
    shape, phone_shaped = _phone_shape(found)
    # The context rules cost most: only candidates of a phone's shape are read in context.
    shaped = np.flatnonzero(shape.fill_null(False).to_numpy())
    found, phone_shaped = found[shaped], phone_shaped.gather(shaped)
    phone_word, other_word, refused = _phone_context(found)
    # An order, customer or room word nearer than any phone word makes it that kind of number
    # ("Order number 4111...", "ordine 0033442650"), unless a + or an area code in brackets says
    # otherwise; a phone word makes any run of 7 to 15 digits a phone.
    written_as_phone = found["value"].str.contains(r"^(?:\+|\((?:\+|0[0-9]{1,5}\)|[0-9]{3}\)))")
    by_context = (other_word >= phone_word) & (phone_shaped | (phone_word < 99))
    return _scatter(shaped, shape.len(), ~refused & (written_as_phone | by_context))


def _phone_screen(found: pl.DataFrame, texts: pl.Series) -> pl.Series:
    """Fewer than seven digits is never a phone's shape: most candidates are years, amounts,
    counts."""
    return found["value"].str.count_matches("[0-9]") >= 7


def _phone_shape(found: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """Per candidate: whether it has a phone's shape at all (7 to 15 digits, 16 with a dashed
    extension; not a date, a valid dotted quad, a US SSN or an amount with thousands
    separators), and whether the shape alone says phone: an international prefix (``+``,
    ``00``), a bracketed area code (a trunk 0, or three digits: "(1875) 283" is a year) or an
    extension; a national number with its trunk ``0``; the North American 3-3-4 layout; an
    Italian mobile (``3xx`` and seven digits); 9 or 10 digits in three or more groups (Spanish
    and Italian numbers have no trunk prefix)."""
    value = found["value"]
    extension = value.str.contains(f"{PHONE_EXTENSION}$")
    main = value.str.replace(f"{PHONE_EXTENSION}$", "")
    digits = main.str.replace_all(r"\(0\)", "").str.replace(r"^00", "").str.count_matches("[0-9]")
    groups = main.str.extract_all("[0-9]+")
    first = groups.list.first()
    # Thousands separated by one mark and decimals by the other ("1.234.567", "12,345.67").
    thousands = main.str.contains(
        r"^[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]{1,2})?$|^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?$"
    ) & ((digits <= 8) | main.str.contains(r"[.,][0-9]{1,2}$"))
    other_shape = thousands | main.str.contains(
        rf"^[0-9]{{1,2}}[/.-][0-9]{{1,2}}[/.-](?:[0-9]{{2}}|[0-9]{{4}})$"
        rf"|^[0-9]{{4}}[/.-][0-9]{{2}}[/.-][0-9]{{2}}$"
        rf"|^{OCTET}(?:\.{OCTET}){{3}}$|^[0-9]{{3}}-[0-9]{{2}}-[0-9]{{4}}$"
    )
    prefixed = main.str.contains(r"^(?:\+|00|\((?:\+|0[0-9]{1,5}\)|[0-9]{3}\)))") | extension
    trunk = first.str.starts_with("0") & (digits >= 9)
    north_american = main.str.contains(r"^(?:1[ .-]?)?[0-9]{3}[ .-][0-9]{3}[ .-][0-9]{4}$")
    italian_mobile = first.str.contains("^3[0-9]{2}") & (digits == 10)
    grouped = digits.is_between(9, 10) & (groups.list.len() >= 3) & first.str.contains("^[3-9]")
    shape = (digits.is_between(7, 15) | ((digits == 16) & prefixed)) & ~other_shape
    # A line of its own in an address or signature block holds a phone, not an order number.
    own_line = found["before"].str.contains(r"\n[ \t]*$") & found["after"].str.contains(r"^[ \t]*(?:\n|$)")
    alone = own_line & digits.is_between(9, 11)
    return shape, prefixed | trunk | north_american | italian_mobile | grouped | alone


def _phone_context(found: pl.DataFrame) -> tuple[pl.Series, pl.Series, pl.Series]:
    """Per candidate: how many words back on its line the nearest phone word is (0: a label
    right next to it, 99: none), the same for an order/customer/room word, and whether the
    context refuses it outright (an amount, part of an identifier, a street name after it)."""
    words = _last_words(found, 6)
    label = (
        found["before"].str.contains(PHONE_LABEL_BEFORE)
        | found["before"].str.contains(SPEAKER_LABEL_BEFORE)
        | found["after"].str.contains(PHONE_LABEL_AFTER)
    )
    backward = _nearest(words, PHONE_CUES).to_numpy()
    # A number that starts its line may be named after it ("0653... - that's the number to
    # call", "722475175: a ese número"): five words forward count there.
    # There "number" is a phone word too, unless an order word comes first ("... is your order
    # number").
    line_start = found["before"].str.contains(r"(?:^|\n)[ \t]*$").to_numpy()
    ahead = _next_words(found, 6).list.reverse()
    forward = _nearest(ahead, f"{PHONE_CUES}|^(?:number|número|numero|nummer|numéro)$").to_numpy()
    forward = np.where(forward < _nearest(ahead, NOT_PHONE_WORDS).to_numpy(), forward, 99)
    nearest = np.where(line_start, np.minimum(backward, forward), backward)
    phone_word = pl.Series(np.where(label.to_numpy(), 0, nearest))
    other_word = pl.Series(np.where(label.to_numpy(), 99, _nearest(words, NOT_PHONE_WORDS).to_numpy()))
    refused = (
        found["before"].str.contains(AMOUNT_BEFORE)
        # part of an identifier ("SR-34972713", "JY6-6339-5797") or numbered by a sign ("#4521337")
        | found["before"].str.contains(r"[\p{L}0-9]-$|\p{L}$|(?:#|№|n°|nº|no\.)\s?$")
        | found["after"].str.contains(f"(?i){NOT_PHONE_AFTER}")
        # a street name after a bare number makes it part of an address ("03262 2437 Main St")
        | (found["after"].str.contains(r"^ \p{Lu}\p{Ll}") & ~label & ~found["value"].str.contains(r"^\+"))
    )
    return phone_word, other_word, refused


def _entropy_ok(found: pl.DataFrame) -> pl.Series:
    """Mixed-case letters and digits with at least 4.2 bits per character: keys and tokens, not
    words or hex digests."""
    values = found["value"]
    data, offsets = utf8_buffers(values)
    mixed = values.str.contains("[a-z]") & values.str.contains("[A-Z]") & values.str.contains("[0-9]")
    return pl.Series(_entropy(data, offsets) >= 4.2) & mixed


@numba.njit(cache=True, nogil=True)
def _entropy(data: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    out = np.zeros(len(offsets) - 1)
    counts = np.zeros(256, dtype=np.int64)
    for d in range(len(out)):
        counts[:] = 0
        n = offsets[d + 1] - offsets[d]
        for i in range(offsets[d], offsets[d + 1]):
            counts[data[i]] += 1
        for c in counts:
            if c:
                p = c / n
                out[d] -= p * np.log2(p)
    return out


def _name_ok(found: pl.DataFrame) -> pl.Series:
    first = found["value"].str.extract(r"^(\p{L}+)").str.to_lowercase()
    return ~first.is_in(list(NOT_NAMES)).fill_null(True)


URL_USERINFO = r"((?i:[a-z][a-z0-9+.-]*://))([^\s/?#@:]+:[^\s/?#@]+)@"
URL_TOKEN_KEYS = "access_token|token|api_key|apikey|key|secret|password|passwd|pwd|sig|signature|auth"
URL_TOKEN = rf"([?&](?i:{URL_TOKEN_KEYS})=)([^\s&#]+)"
EMAIL = r"[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}"
CARD = B + r"[0-9](?:[ -]?[0-9]){11,18}" + B
# Printed in groups of four, run together, in lower case, or wrapped onto the next line.
IBAN = B + r"[A-Za-z]{2}[0-9]{2}(?:[ \t]{0,2}(?:\r?\n[ \t]{0,4})?[A-Za-z0-9]){11,30}" + B
IBAN_CUES = (
    r"(?i)iban|bic|account|bank|transfer|konto|überweis|rekening|overboeking|compte|virement|rib\b|"
    r"cuenta|transferencia|conto|bonifico"
)
SSN = B + r"[0-9]{3}-[0-9]{2}-[0-9]{4}" + B
BIRTH_CUES = r"born(?: on| in)?|date of birth|d\.?o\.?b\.?|birth ?date|birthday"
BIRTH = rf"((?i:{B}(?:{BIRTH_CUES}){B})[\s:,-]*(?:is |was |on )?)({DATE})"
IPV4 = rf"{B}{OCTET}(?:\.{OCTET}){{3}}{B}"
IPV6 = rf"(?:{HEX}:){{7}}{HEX}|(?:{HEX}:){{1,7}}:(?:{HEX}(?::{HEX}){{0,6}})?|::(?:{HEX}:){{0,6}}{HEX}"
# An international prefix (with the trunk "(0)" some write after it) or a bracketed area code,
# then digit groups joined by spaces, dots, dashes or slashes, then an extension.
PHONE = (
    r"(?:(?:\+|(?-u:\b)00)[1-9][0-9]{0,2}[ .-]?(?:\(0\)[ .-]?)?|\(\+?[0-9]{1,6}\)[ .-]{0,2}|(?-u:\b))"
    r"[0-9]{1,14}(?:(?:[ .\-/]| - | / )[0-9]{1,10}){0,6}"
    rf"(?:{PHONE_EXTENSION}|(?-u:\b))"
)
NAME_AFTER_CUE = rf"((?i:{B}(?:{NAME_CUES}){B})[,:!]?[ \t]*\n?[ \t]*)({NAME})"
FULL_NAME_AFTER_THIS_IS = rf"((?i:{B}this is{B})[ \t]+)({FULL_NAME})"
HIGH_ENTROPY = B + r"[A-Za-z0-9+/_=-]{24,}" + B

# In priority order: where findings overlap, the earlier detector's finding stays.
DETECTORS = (
    Detector("private_key", "SECRET", PRIVATE_KEY),
    Detector("url_userinfo", "URL_CREDENTIALS", URL_USERINFO, cue=True),
    Detector("url_token", "URL_CREDENTIALS", URL_TOKEN, cue=True),
    Detector("known_prefix_secret", "SECRET", B + "(?:" + "|".join(SECRET_PATTERNS) + ")"),
    Detector("email", "EMAIL_ADDRESS", EMAIL),
    # An IBAN's check digits and length are more specific than Luhn: its digit groups can pass
    # Luhn by chance, so it is claimed first.
    Detector("iban_mod97", "IBAN_CODE", IBAN, validate=_iban_ok, trim=_iban_trim),
    Detector("credit_card_luhn", "CREDIT_CARD", CARD, validate=_card_ok),
    Detector("us_ssn", "US_SSN", SSN, validate=_ssn_ok),
    Detector("date_of_birth", "DATE_OF_BIRTH", BIRTH, cue=True),
    Detector("ipv4", "IP_ADDRESS", IPV4, validate=_ipv4_ok),
    Detector("ipv6", "IP_ADDRESS", IPV6, validate=_ipv6_ok),
    Detector("phone", "PHONE_NUMBER", PHONE, validate=_phone_ok, screen=_phone_screen),
    Detector("name_after_cue", "PERSON", NAME_AFTER_CUE, cue=True, validate=_name_ok),
    Detector("full_name_after_this_is", "PERSON", FULL_NAME_AFTER_THIS_IS, cue=True, validate=_name_ok),
    Detector("name_inverted", "PERSON", INVERTED, validate=names_ok, trim=trim_names),
    Detector(
        "name_anywhere", "PERSON", NAME_SEQUENCE, validate=names_ok, trim=trim_names, screen=screen_names
    ),
    Detector("lower_name_after_label", "PERSON", LOWER_NAME_AFTER_LABEL, cue=True, validate=lower_name_ok),
    Detector("high_entropy_secret", "SECRET", HIGH_ENTROPY, validate=_entropy_ok),
)


@numba.njit(cache=True, nogil=True)
def _marked_spans(data: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, ...]:
    """Spans between OPEN and CLOSE bytes: (text, byte start, byte end, char start, char end),
    offsets in the text without the markers."""
    found = 0
    for i in range(offsets[0], offsets[-1]):
        found += data[i] == 0
    rows = np.empty(found, dtype=np.int64)
    spans = np.empty((found, 4), dtype=np.int64)
    k = 0
    for d in range(len(offsets) - 1):
        byte, char = 0, 0
        for i in range(offsets[d], offsets[d + 1]):
            b = data[i]
            if b == 0:
                rows[k], spans[k, 0], spans[k, 2] = d, byte, char
            elif b == 1:
                spans[k, 1], spans[k, 3] = byte, char
                k += 1
            else:
                byte += 1
                char += (b & 0xC0) != 0x80
    return rows, spans


def _candidates(
    texts: pl.Series, buffers: tuple[np.ndarray, np.ndarray], detector: Detector, taken: _Taken
) -> pl.DataFrame:
    """One detector's findings: row, byte and char spans, value; candidates overlapping
    ``taken`` are dropped, the rest trimmed and validated. ``buffers``: ``texts`` as UTF-8
    bytes and offsets, where value and context are cut from."""
    hit = texts.str.contains(detector.pattern).fill_null(False)
    rows = np.flatnonzero(hit.to_numpy())
    marker = "${1}" + OPEN + "${2}" + CLOSE if detector.cue else OPEN + "${0}" + CLOSE
    marked = texts.gather(rows).str.replace_all(detector.pattern, marker)
    data, offsets = utf8_buffers(marked)
    local, spans = _marked_spans(data, offsets)
    found = pl.DataFrame(
        {
            "row": rows[local],
            "byte_start": spans[:, 0],
            "byte_end": spans[:, 1],
            "start": spans[:, 2],
            "end": spans[:, 3],
        }
    )
    found = found.filter(~pl.Series(_overlapping(found, taken)))
    if detector.screen is not None and found.height:
        near = _context(buffers, found, NEAR_CHARS, 0)
        found = found.filter(detector.screen(found.with_columns(value=near[0], near=near[1]), texts))
    found = found.with_columns(_context(buffers, found, BEFORE_CHARS, AFTER_CHARS))
    if detector.trim is not None and found.height:
        found = detector.trim(found)
    if detector.validate is not None and found.height:
        found = found.filter(detector.validate(found))
    return found.with_columns(entity_type=pl.lit(detector.entity), detector=pl.lit(detector.name))


def _context(
    buffers: tuple[np.ndarray, np.ndarray], found: pl.DataFrame, before: int, after: int
) -> list[pl.Series]:
    """Each candidate's value, the ``before`` characters before it and the ``after`` after it
    (within its text), cut from the texts' bytes: gathering whole texts per candidate to slice
    them cost more than all the rest on dense text."""
    data, offsets = buffers
    bounds = _context_bounds(
        data,
        offsets,
        found["row"].to_numpy(),
        found["byte_start"].to_numpy(),
        found["byte_end"].to_numpy(),
        before,
        after,
    )
    return [
        _byte_ranges(data, bounds[:, 1], bounds[:, 2]).alias("value"),
        _byte_ranges(data, bounds[:, 0], bounds[:, 1]).alias("before"),
        _byte_ranges(data, bounds[:, 2], bounds[:, 3]).alias("after"),
    ]


@numba.njit(cache=True, nogil=True)
def _context_bounds(
    data: np.ndarray,
    offsets: np.ndarray,
    rows: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    before: int,
    after: int,
) -> np.ndarray:
    """Per span: absolute byte offsets of (``before`` characters before it, its start, its end,
    ``after`` characters after it), never past its own text."""
    out = np.empty((len(rows), 4), dtype=np.int64)
    for k in range(len(rows)):
        first, last = offsets[rows[k]], offsets[rows[k] + 1]
        start, end = first + starts[k], first + ends[k]
        i, chars = start, 0
        while i > first and chars < before:
            i -= 1
            while i > first and (data[i] & 0xC0) == 0x80:
                i -= 1
            chars += 1
        j, chars = end, 0
        while j < last and chars < after:
            j += 1
            while j < last and (data[j] & 0xC0) == 0x80:
                j += 1
            chars += 1
        out[k, 0], out[k, 1], out[k, 2], out[k, 3] = i, start, end, j
    return out


def _byte_ranges(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pl.Series:
    """The UTF-8 strings ``data[starts[k]:ends[k]]`` (on character boundaries) as a Series."""
    buffer, offsets = _gather_ranges(data, starts, ends)
    array = pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(offsets), pa.py_buffer(buffer))
    return pl.Series(pl.from_arrow(array))


@numba.njit(cache=True, nogil=True)
def _gather_ranges(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(starts) + 1, dtype=np.int64)
    for k in range(len(starts)):
        offsets[k + 1] = offsets[k] + ends[k] - starts[k]
    out = np.empty(offsets[-1], dtype=np.uint8)
    for k in range(len(starts)):
        out[offsets[k] : offsets[k + 1]] = data[starts[k] : ends[k]]
    return out, offsets


def detect(
    texts: pl.Series, detectors: tuple[Detector, ...] = DETECTORS, timings: dict[str, float] | None = None
) -> pl.DataFrame:
    """Findings in ``texts`` (``FINDINGS_SCHEMA`` plus ``byte_start``, ``byte_end`` and the
    ``value``, which callers must not store), sorted by row and start. Detectors run in
    priority order; a candidate overlapping an earlier detector's finding is dropped before it
    is validated, so the costly checks see only what is left. ``timings``, when given, gets
    each detector's seconds (for benchmarks)."""
    clean = texts.fill_null("").str.replace_all("[\x00\x01]", "\x02")  # markers stay unambiguous
    schema = {**FINDINGS_SCHEMA, "byte_start": pl.Int64, "byte_end": pl.Int64, "value": pl.String}
    accepted = [pl.DataFrame(schema=schema)]
    taken = _Taken.none()
    buffers = utf8_buffers(clean)
    for detector in detectors:
        started = time.perf_counter()
        found = _candidates(clean, buffers, detector, taken)
        accepted.append(found.select(list(schema)))
        taken = taken.plus(found)
        if timings is not None:
            timings[detector.name] = time.perf_counter() - started
    return pl.concat(accepted).sort("row", "start")


@dataclass(frozen=True)
class _Taken:
    """The spans accepted so far, disjoint, sorted by ``keys`` (row and start in one integer)."""

    keys: np.ndarray
    rows: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    @classmethod
    def none(cls) -> _Taken:
        empty = np.zeros(0, dtype=np.int64)
        return cls(empty, empty, empty, empty)

    def plus(self, found: pl.DataFrame) -> _Taken:
        rows, starts, ends = (
            np.concatenate([old, found[column].to_numpy()])
            for old, column in ((self.rows, "row"), (self.starts, "start"), (self.ends, "end"))
        )
        keys = (rows << 32) | starts
        order = np.argsort(keys, kind="stable")
        return _Taken(keys[order], rows[order], starts[order], ends[order])


def _overlapping(found: pl.DataFrame, taken: _Taken) -> np.ndarray:
    """Which spans of ``found`` overlap a span of ``taken``: the taken span starting last before
    a candidate's end is the only one to test."""
    if taken.keys.size == 0 or found.height == 0:
        return np.zeros(found.height, dtype=bool)
    rows, starts, ends = (found[c].to_numpy() for c in ("row", "start", "end"))
    at = np.searchsorted(taken.keys, (rows << 32) | ends, side="left") - 1
    safe = np.clip(at, 0, None)
    return (at >= 0) & (taken.rows[safe] == rows) & (taken.ends[safe] > starts)


def replacements(findings: pl.DataFrame, mode: str, key: bytes | None = None) -> pl.Series:
    """What replaces each finding: ``[TYPE]`` placeholders, or with ``mode="pseudonym"``
    ``[TYPE:hmac]``, the same for the same value and key."""
    if mode == "placeholder":
        return ("[" + findings["entity_type"] + "]").alias("replacement")
    if mode != "pseudonym":
        raise ValueError(f"redaction mode must be 'placeholder' or 'pseudonym', not {mode!r}")
    if not key:
        raise ValueError(f"pseudonyms need a key (set {KEY_ENV}); it is never written to the lake")
    pairs = findings.select("entity_type", "value").unique()
    digests = [
        hmac.new(key, f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()[:12]
        for kind, value in pairs.iter_rows()
    ]  # one keyed hash per distinct value, not per record
    named = pairs.with_columns(digest=pl.Series(digests, dtype=pl.String))
    joined = findings.join(named, on=["entity_type", "value"], how="left", maintain_order="left")
    return ("[" + joined["entity_type"] + ":" + joined["digest"] + "]").alias("replacement")


def key_from_env() -> bytes | None:
    """The pseudonym key from ``$DATA_PLATFORM_PII_KEY``, or None when it is not set."""
    return os.environ.get(KEY_ENV, "").encode() or None


def key_id(key: bytes | None) -> str | None:
    """A public fingerprint of the key, so batches pseudonymised under different keys (whose
    pseudonyms would not agree) can be told apart without storing the key."""
    return hmac.new(key, b"data_platform key id", hashlib.sha256).hexdigest()[:12] if key else None


def redact(
    texts: pl.Series, findings: pl.DataFrame, mode: str = "placeholder", key: bytes | None = None
) -> pl.Series:
    """``texts`` with every finding replaced (``replacements``); nulls stay null."""
    return splice(texts, findings, replacements(findings, mode, key))


def splice(texts: pl.Series, findings: pl.DataFrame, replaced: pl.Series) -> pl.Series:
    """``texts`` with each finding's bytes replaced by the matching entry of ``replaced``."""
    missing = texts.is_null()
    texts = texts.fill_null("")
    data, offsets = utf8_buffers(texts)
    rep_data, rep_offsets = (
        utf8_buffers(replaced) if findings.height else (np.zeros(1, np.uint8), np.zeros(1, np.int64))
    )
    out, out_offsets = _splice(
        data,
        offsets,
        findings["row"].to_numpy().astype(np.int64),
        findings["byte_start"].to_numpy().astype(np.int64),
        findings["byte_end"].to_numpy().astype(np.int64),
        rep_data,
        rep_offsets,
    )
    array = pa.LargeStringArray.from_buffers(len(texts), pa.py_buffer(out_offsets), pa.py_buffer(out))
    return pl.Series(texts.name, array).set(missing, None)


@numba.njit(cache=True, nogil=True)
def _splice(data, offsets, rows, starts, ends, rep_data, rep_offsets) -> tuple[np.ndarray, np.ndarray]:
    """Rebuild the texts with byte ranges ``[starts, ends)`` of ``rows`` (sorted by row, then
    start, not overlapping) replaced by the matching replacement strings."""
    docs = len(offsets) - 1
    size = offsets[-1] - offsets[0]
    for f in range(len(rows)):
        size += (rep_offsets[f + 1] - rep_offsets[f]) - (ends[f] - starts[f])
    out = np.empty(max(size, 1), dtype=np.uint8)
    out_offsets = np.zeros(docs + 1, dtype=np.int64)
    at, f = 0, 0
    for d in range(docs):
        cursor = offsets[d]
        while f < len(rows) and rows[f] == d:
            stop = offsets[d] + starts[f]
            out[at : at + stop - cursor] = data[cursor:stop]
            at += stop - cursor
            piece = rep_offsets[f + 1] - rep_offsets[f]
            out[at : at + piece] = rep_data[rep_offsets[f] : rep_offsets[f + 1]]
            at += piece
            cursor = offsets[d] + ends[f]
            f += 1
        out[at : at + offsets[d + 1] - cursor] = data[cursor : offsets[d + 1]]
        at += offsets[d + 1] - cursor
        out_offsets[d + 1] = at
    return out[:at], out_offsets


def pii_in_names(names: list[str]) -> list[list[str]]:
    """Per file name, the entity types the detectors find in it (``_`` read as a space, so the
    words of ``call_with_jane`` part)."""
    readable = [name.encode("utf-8", "replace").decode("utf-8").replace("_", " ") for name in names]
    found = (
        detect(pl.Series(readable, dtype=pl.String))
        .group_by("row")
        .agg(pl.col("entity_type").unique().sort())
    )
    kinds = dict(zip(found["row"].to_list(), found["entity_type"].to_list(), strict=True))
    return [kinds.get(row, []) for row in range(len(names))]
