"""Phone numbers as people write them, built from national numbering plans.

A plan lists *kinds* of numbers (geographic, mobile, service) as prefixes plus subscriber lengths,
and *layouts*: how the digits are written. Layouts use a small field language:

``{cc}`` country code, ``{t}`` trunk prefix (``0`` or empty), ``{p}`` prefix (area code or mobile
block, without trunk), ``{s}`` subscriber number, ``{n}`` national significant number (p + s),
``{N}`` national number as dialled at home (t + p + s), ``{x}`` an extension (1-4 digits).
A digit field may carry a grouping spec after ``:`` and a separator after ``~`` (default space):
``h`` halves (7 -> 3+4), ``2r`` pairs from the right (odd -> leading group of 3), ``3-2-2`` explicit
group sizes (the last group takes any remainder, so mistyped lengths still render).

Prefix patterns: ``#`` any digit, ``N`` 2-9. Numbers are mistyped on purpose (a digit more or
less, a prefix believed unassigned) because redaction must not depend on validity.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from .locales import COUNTRY

MUTATION_RATE = 0.10
FOREIGN_RATE = 0.08
FAKER_RATE = 0.20


@dataclass(frozen=True)
class NumberKind:
    """A block of a national plan: prefixes, subscriber lengths, allowed first subscriber digit."""

    name: str
    prefixes: tuple[str, ...]
    sub_lengths: tuple[int, ...]
    weight: float = 1.0
    sub_first: str = "123456789"


@dataclass(frozen=True)
class Layout:
    """One written form; ``kinds`` restricts it to some number kinds (empty: any kind)."""

    pattern: str
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhonePlan:
    """A country's numbering plan as far as writing numbers is concerned."""

    country: str
    cc: str
    trunk: str
    kinds: tuple[NumberKind, ...]
    layouts: tuple[Layout, ...]
    extensions: tuple[str, ...] = ()
    extension_rate: float = 0.0
    unassigned: tuple[NumberKind, ...] = ()


def _k(name: str, prefixes: str, lengths: tuple[int, ...], weight: float = 1.0, first: str = "123456789"):
    """Shorthand for a NumberKind with space-separated prefixes."""
    return NumberKind(name, tuple(prefixes.split()), lengths, weight, first)


def _layouts(*patterns: str | tuple[str, str]) -> tuple[Layout, ...]:
    """Layouts from patterns; a (pattern, "kind kind") pair restricts the pattern to those kinds."""
    out = []
    for item in patterns:
        if isinstance(item, tuple):
            out.append(Layout(item[0], tuple(item[1].split())))
        else:
            out.append(Layout(item))
    return tuple(out)


# --- National plans (from the NANP, Ofcom, BNetzA, ARCEP, CNMC, AGCOM and ACM/Dutch numbering
# plans as the author knows them; fictional/drama ranges such as 555-01xx, 01632 96, 07700 900 and
# 020 7946 0 are included on purpose because they are what test data and TV use).

US = PhonePlan(
    "US",
    "1",
    "",
    kinds=(
        _k(
            "landline",
            "212 415 312 617 713 305 206 303 404 512 702 808 907 906 646 718 818 469 571 615 "
            "NNN N0# N1# N2# N4#",
            (7,),
            3.0,
            "23456789",
        ),
        _k("tollfree", "800 888 877 866 855 844 833", (7,), 0.5, "23456789"),
    ),
    layouts=_layouts(
        "({p}) {s:3-4~-}",
        "({p}){s:3-4~-}",
        "{p}-{s:3-4~-}",
        "{p}.{s:3-4~.}",
        "{p} {s:3-4}",
        "+{cc} {p} {s:3-4}",
        "+{cc} ({p}) {s:3-4~-}",
        "+{cc}-{p}-{s:3-4~-}",
        "{cc}-{p}-{s:3-4~-}",
        "{cc} ({p}) {s:3-4~-}",
        "001-{p}-{s:3-4~-}",
        "{p}{s}",
        "+{cc}{p}{s}",
        "{cc}.{p}.{s:3-4~.}",
    ),
    extensions=("x{x}", " x{x}", " ext. {x}", " ext {x}", " Ext. {x}", " extension {x}"),
    extension_rate=0.12,
    unassigned=(_k("invalid", "0## 1## N9#", (7,)),),
)

GB = PhonePlan(
    "GB",
    "44",
    "0",
    kinds=(
        _k("london", "20", (8,), 1.0, "378"),
        _k("landline2", "29 23 28 24", (8,), 0.5, "23456789"),
        _k("landline3", "161 121 113 131 141 117 114 115 151 118", (7,), 1.5, "23456789"),
        _k("landline4", "1632 1865 1223 1904 1392 1603 1273 1483 1792 1224", (6,), 1.0, "23456789"),
        _k("mobile", "7700 7911 7123 7400 7501 7812 7958 7393 7447 7984", (6,), 2.5, "0123456789"),
        _k("nongeo", "800 808 345 330 300", (7,), 0.5, "123456789"),
    ),
    layouts=_layouts(
        "{t}{p} {s:h}",
        "{t}{p} {s}",
        "({t}{p}) {s:h}",
        "({t}{p}) {s}",
        "+{cc} {p} {s:h}",
        "+{cc} (0){p} {s:h}",
        "+{cc}(0){p} {s}",
        "+{cc}{p}{s}",
        "00{cc} {p} {s:h}",
        "{N}",
        "{t}{p}-{s:h~-}",
        "{t}{p} {s:3-3}",
    ),
    extensions=(" ext. {x}", " ext {x}", " x{x}", " (ext. {x})"),
    extension_rate=0.04,
    unassigned=(_k("invalid", "4## 6## 5##", (7,)),),
)

DE = PhonePlan(
    "DE",
    "49",
    "0",
    kinds=(
        _k("city2", "30 40 69 89", (7, 8), 1.0),
        _k("city3", "221 211 341 351 711 911 201 231 511 421 228 761 521 621", (6, 7, 8), 1.5),
        _k("area4", "6221 3641 4321 7531 8821 2241 6131 9131 3991 5251 6151 4551", (5, 6, 7), 1.0),
        _k("area5", "33203 35204 39291 38851 34464 36601", (4, 5, 6), 0.4),
        _k("mobile", "151 152 157 159 160 162 163 170 171 172 173 174 175 176 177 178 179", (7, 8), 2.5),
        _k("service", "800 180", (7,), 0.3),
    ),
    layouts=_layouts(
        "{t}{p} {s}",
        "{t}{p} {s:2r}",
        "({t}{p}) {s}",
        "({t}{p})-{s}",
        "{t}{p}/{s}",
        "{t}{p} / {s:2r}",
        "{t}{p}-{s}",
        "+{cc} {p} {s}",
        "+{cc} (0){p} {s}",
        "+{cc}(0) {p}{s}",
        "+{cc}(0){p}-{s}",
        "00{cc} {p} {s}",
        "{N}",
        "+{cc}{n}",
        "+{cc} {p} {s:2r}",
        ("{t}{p} {s}-{x}", "city2 city3 area4"),
    ),
    extensions=("-{x}", " Durchwahl {x}", " App. {x}"),
    extension_rate=0.04,
    unassigned=(_k("invalid", "804 668 112 199", (6, 7)),),
)

FR = PhonePlan(
    "FR",
    "33",
    "0",
    kinds=(
        _k("landline", "1 2 3 4 5", (8,), 2.0),
        _k("mobile", "6 7", (8,), 2.5, "3456789"),
        _k("voip", "9", (8,), 0.5),
        _k("freephone", "800 805", (6,), 0.3, "0123456789"),
    ),
    layouts=_layouts(
        "{N:2r}",
        "{N:2r~.}",
        "{N:2r~-}",
        "{N}",
        "+{cc} {n:1-2-2-2-2}",
        "+{cc} (0){n:1-2-2-2-2}",
        "+{cc} (0) {n:1-2-2-2-2}",
        "+{cc}{n}",
        "00{cc} {n:1-2-2-2-2}",
        "+{cc}.{n:1-2-2-2-2~.}",
        "+{cc} {n:1-2-2-2-2~.}",
        ("{t} {n:3-3-3}", "freephone"),
    ),
    extensions=(" poste {x}", " (poste {x})"),
    extension_rate=0.04,
)

ES = PhonePlan(
    "ES",
    "34",
    "",
    kinds=(
        _k("landline2", "91 93", (7,), 1.0),
        _k("landline3", "954 955 956 957 958 964 965 966 971 976 981 983 985 986 856 858 871 881", (6,), 1.2),
        _k("mobile", "6## 71# 72# 73# 74#", (6,), 2.5, "0123456789"),
        _k("freephone", "900 901 902", (6,), 0.3, "0123456789"),
    ),
    layouts=_layouts(
        "{n:3-3-3}",
        "{n:3-2-2-2}",
        ("{n:2-3-2-2}", "landline2"),
        "{n}",
        "+{cc} {n:3-3-3}",
        "+{cc} {n}",
        "+{cc}{n}",
        "(+{cc}) {n:3-3-3}",
        "00{cc} {n:3-3-3}",
        "{n:3-3-3~.}",
        "{n:3-3-3~-}",
        ("({p}) {s:3-2-2}", "landline2"),
        "+{cc} {n:3-2-2-2}",
    ),
    extensions=(" ext. {x}", " (ext. {x})"),
    extension_rate=0.03,
    unassigned=(_k("invalid", "4## 50#", (6,)),),
)

IT = PhonePlan(
    "IT",
    "39",
    "",
    kinds=(
        _k("landline_big", "02 06", (8,), 1.2),
        _k("landline3", "011 055 081 051 041 010 091 070 080 045", (6, 7), 1.2),
        _k("landline4", "0471 0331 0544 0923 0187 0362 0521 0461", (5, 6), 0.8),
        _k("mobile", "32# 33# 34# 36# 38# 391 392 393", (7,), 2.5, "0123456789"),
        _k("freephone", "800 803", (6,), 0.3, "0123456789"),
    ),
    layouts=_layouts(
        "{p} {s}",
        "{p} {s:h}",
        "{p}-{s}",
        "{p}/{s}",
        "{p}.{s}",
        "{n}",
        "+{cc} {p} {s}",
        "+{cc} {p} {s:h}",
        "+{cc} {n}",
        "+{cc}{n}",
        "00{cc} {p} {s}",
        ("({p}) {s}", "landline_big landline3 landline4"),
        "{p} {s:2r}",
    ),
    extensions=(" int. {x}", " (int. {x})"),
    extension_rate=0.04,
    unassigned=(_k("invalid", "30#", (7,)),),
)

NL = PhonePlan(
    "NL",
    "31",
    "0",
    kinds=(
        _k(
            "landline2",
            "20 10 70 30 40 50 24 26 43 53 58 71 72 76 13 15 23 33 35 36 38 45 46 55 73 74 75 77 78 79",
            (7,),
            1.5,
        ),
        _k("landline3", "111 118 229 251 294 318 475 544 570 591 346 162 492 513", (6,), 0.8),
        _k("mobile", "6", (8,), 2.5, "12345"),
        _k("service", "800 900", (4, 7), 0.3),
    ),
    layouts=_layouts(
        "{t}{p}-{s}",
        "{t}{p} {s:h}",
        "{t}{p} - {s:2r}",
        "{t}{p} {s:2r}",
        "{N}",
        "+{cc} {p} {s:h}",
        "+{cc} (0){p} {s:h}",
        "+{cc}(0){p}-{s}",
        "+{cc} {p} {s}",
        "+{cc}{n}",
        "00{cc} {p} {s}",
        "({t}{p}) {s:h}",
        "({t}{p})-{s}",
    ),
    extensions=(" toestel {x}", " (tst. {x})"),
    extension_rate=0.03,
    unassigned=(_k("invalid", "69 82 99", (7,)),),
)

# --- Neighbouring plans: support desks see customers with foreign numbers.
CH = PhonePlan(
    "CH",
    "41",
    "0",
    kinds=(_k("landline", "44 31 61 21 22", (7,)), _k("mobile", "76 77 78 79", (7,), 1.5)),
    layouts=_layouts(
        "{t}{p} {s:3-2-2}", "+{cc} {p} {s:3-2-2}", "+{cc} (0){p} {s:3-2-2}", "00{cc} {p} {s:3-2-2}"
    ),
)
AT = PhonePlan(
    "AT",
    "43",
    "0",
    kinds=(
        _k("vienna", "1", (6, 7, 8)),
        _k("graz", "316", (5, 6, 7)),
        _k("mobile", "664 676 650 699", (7,), 1.5),
    ),
    layouts=_layouts("{t}{p} {s}", "{t}{p}/{s}", "+{cc} {p} {s}", "+{cc} (0){p} {s}"),
)
BE = PhonePlan(
    "BE",
    "32",
    "0",
    kinds=(_k("landline", "2 3 9 4", (7,)), _k("mobile", "47# 48# 49#", (6,), 1.5)),
    layouts=_layouts(
        ("{t}{p} {s:3-2-2}", "landline"),
        ("{t}{p}/{s:3-2-2~.}", "landline"),
        ("+{cc} {p} {s:3-2-2}", "landline"),
        ("{t}{p} {s:2-2-2}", "mobile"),
        ("{t}{p}/{s:2-2-2~.}", "mobile"),
        ("+{cc} {p} {s:2-2-2}", "mobile"),
        "+{cc} (0){p} {s}",
        "{N}",
    ),
)
IE = PhonePlan(
    "IE",
    "353",
    "0",
    kinds=(_k("landline", "1 21 91", (7,)), _k("mobile", "83 85 86 87 89", (7,), 1.5)),
    layouts=_layouts("({t}{p}) {s:3-4}", "{t}{p} {s:3-4}", "+{cc} {p} {s:3-4}", "+{cc} (0){p} {s:3-4}"),
)
PL = PhonePlan(
    "PL",
    "48",
    "",
    kinds=(
        _k("landline", "22 12 58 61 71", (7,)),
        _k("mobile", "50# 51# 53# 60# 66# 69# 72# 79# 88#", (6,), 1.5, "0123456789"),
    ),
    layouts=_layouts("{n:3-3-3}", "+{cc} {n:3-3-3}", "+{cc} {n:2-3-2-2}", ("({p}) {s:3-2-2}", "landline")),
)
PT = PhonePlan(
    "PT",
    "351",
    "",
    kinds=(_k("landline", "21 22", (7,)), _k("mobile", "91 92 93 96", (7,), 1.5)),
    layouts=_layouts("{n:3-3-3}", "+{cc} {n:3-3-3}", "+{cc} {n}", "00{cc} {n}"),
)

PLANS: dict[str, PhonePlan] = {p.country: p for p in (US, GB, DE, FR, ES, IT, NL, CH, AT, BE, IE, PL, PT)}
NEIGHBOURS = {
    "en_US": ("GB", "IE"),
    "en_GB": ("IE", "FR", "DE", "US"),
    "de_DE": ("CH", "AT", "PL"),
    "fr_FR": ("BE", "CH"),
    "es_ES": ("PT", "FR"),
    "it_IT": ("CH", "FR"),
    "nl_NL": ("BE", "DE"),
}

_FIELD = re.compile(r"\{(cc|t|p|s|n|N|x)(?::([0-9hr-]+))?(?:~([^}]+))?\}")


def expand_pattern(pattern: str, rng: random.Random) -> str:
    """Fill a prefix pattern: '#' any digit, 'N' a digit 2-9, other characters kept."""
    out = []
    for ch in pattern:
        if ch == "#":
            out.append(str(rng.randrange(10)))
        elif ch == "N":
            out.append(str(rng.randrange(2, 10)))
        else:
            out.append(ch)
    return "".join(out)


def group_digits(digits: str, spec: str) -> list[str]:
    """Split digits per a grouping spec ('' whole, 'h' halves, '2r' pairs from the right, '3-2-2')."""
    if not spec or len(digits) < 2:
        return [digits]
    if spec == "h":
        half = len(digits) // 2
        return [digits[:half], digits[half:]]
    if spec == "2r":
        lead = 3 if len(digits) % 2 and len(digits) > 3 else (len(digits) % 2 or 2)
        groups = [digits[:lead]]
        groups += [digits[i : i + 2] for i in range(lead, len(digits), 2)]
        return [g for g in groups if g]
    sizes = [int(x) for x in spec.split("-")]
    groups, pos = [], 0
    for i, size in enumerate(sizes):
        if pos >= len(digits):
            break
        end = len(digits) if i == len(sizes) - 1 else pos + size
        groups.append(digits[pos:end])
        pos = end
    return groups


def render_layout(layout: str, plan: PhonePlan, prefix: str, sub: str, ext: str) -> str:
    """Write prefix + subscriber digits according to a layout pattern."""
    values = {
        "cc": plan.cc,
        "t": plan.trunk,
        "p": prefix,
        "s": sub,
        "n": prefix + sub,
        "N": plan.trunk + prefix + sub,
        "x": ext,
    }

    def field(match: re.Match[str]) -> str:
        name, spec, sep = match.group(1), match.group(2) or "", match.group(3) or " "
        return sep.join(group_digits(values[name], spec))

    return _FIELD.sub(field, layout)


def _subscriber(kind: NumberKind, rng: random.Random, length: int) -> str:
    """Random subscriber digits whose first digit respects the kind's rule."""
    first = rng.choice(kind.sub_first)
    return first + "".join(str(rng.randrange(10)) for _ in range(length - 1))


def _mutate(sub: str, rng: random.Random) -> str:
    """A typo: one digit more or one digit less in the subscriber number."""
    pos = rng.randrange(1, len(sub))
    if rng.random() < 0.5 and len(sub) > 4:
        return sub[:pos] + sub[pos + 1 :]
    return sub[:pos] + str(rng.randrange(10)) + sub[pos:]


SERVICE_KINDS = {"tollfree", "nongeo", "service", "freephone", "voip"}


def _kind_matches(name: str, wanted: str) -> bool:
    """Whether a plan kind is a 'mobile' or a 'land' (geographic) number as asked."""
    if wanted == "mobile":
        return name == "mobile"
    return name != "mobile" and name not in SERVICE_KINDS


def plan_phone(plan: PhonePlan, rng: random.Random, kind_name: str | None = None) -> str:
    """One number of a plan in one of its layouts, sometimes mistyped or with an extension."""
    kinds = [k for k in plan.kinds if kind_name is None or _kind_matches(k.name, kind_name)] or list(
        plan.kinds
    )
    kind = rng.choices(kinds, weights=[k.weight for k in kinds])[0]
    layouts = [lay for lay in plan.layouts if not lay.kinds or kind.name in lay.kinds]
    if plan.unassigned and rng.random() < MUTATION_RATE / 3:
        kind = rng.choice(plan.unassigned)
        layouts = [lay for lay in plan.layouts if not lay.kinds]
    prefix = expand_pattern(rng.choice(kind.prefixes), rng)
    sub = _subscriber(kind, rng, rng.choice(kind.sub_lengths))
    if rng.random() < MUTATION_RATE * 2 / 3:
        sub = _mutate(sub, rng)
    layout = rng.choice(layouts).pattern
    ext = str(rng.randrange(1, 10 ** rng.randint(1, 4)))
    text = render_layout(layout, plan, prefix, sub, ext)
    if "{x}" not in layout and plan.extensions and rng.random() < plan.extension_rate:
        text += render_layout(rng.choice(plan.extensions), plan, prefix, sub, ext)
    return text


def make_phone(
    locale: str, rng: random.Random, faker_phone: str | None = None, kind: str | None = None
) -> str:
    """A phone number as a customer in ``locale`` would write it (home plan, neighbour or Faker)."""
    if faker_phone is not None and kind is None and rng.random() < FAKER_RATE:
        return faker_phone
    if kind is None and rng.random() < FOREIGN_RATE:
        return plan_phone(PLANS[rng.choice(NEIGHBOURS[locale])], rng)
    return plan_phone(PLANS[COUNTRY[locale]], rng, kind)


def format_counts() -> dict[str, int]:
    """Number of written layouts per country plan (extensions not counted)."""
    return {code: len(plan.layouts) for code, plan in PLANS.items()}
