"""Licence policy for releases: which SPDX expressions a release profile admits, and who must be
credited.

Expressions are parsed by license-expression (the registry already rejects unknown SPDX ids).
``OR`` is a choice (the expression is admitted when one branch is), ``AND`` a conjunction (every
part must be), ``WITH`` an exception that does not change the verdict. A licence id is judged by
its SPDX family: ``-NC`` (NonCommercial), ``-ND`` (NoDerivatives) and ``LicenseRef-*`` (not an
SPDX licence: unknown terms). Verdicts are computed once per distinct expression and joined to
the records, so a release of millions of records costs a handful of parses.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from license_expression import LicenseSymbol, LicenseWithExceptionSymbol, get_spdx_licensing

_LICENSING = get_spdx_licensing()
# Licence families whose terms require crediting the source in what is distributed.
ATTRIBUTION_FAMILIES = (
    "CC-BY",
    "MIT",
    "BSD-",
    "Apache-",
    "ODC-By",
    "ODbL",
    "CDLA-",
    "ISC",
    "Zlib",
    "Artistic",
)


@dataclass(frozen=True)
class LicenceProfile:
    name: str
    description: str
    noncommercial: bool  # admits NonCommercial licences
    noderivatives: bool  # admits NoDerivatives licences
    unknown: bool  # admits LicenseRef-* (terms we cannot read)


PROFILES = {
    "commercial": LicenceProfile(
        "commercial",
        "models trained for commercial use: no NonCommercial, NoDerivatives or unknown licences",
        noncommercial=False,
        noderivatives=False,
        unknown=False,
    ),
    "research": LicenceProfile(
        "research",
        "non-commercial research: NonCommercial admitted; NoDerivatives and unknown licences are not "
        "(a trained model is a derivative)",
        noncommercial=True,
        noderivatives=False,
        unknown=False,
    ),
}


def profile(name: str) -> LicenceProfile:
    if name not in PROFILES:
        raise ValueError(f"unknown licence profile {name!r}; there are: {', '.join(sorted(PROFILES))}")
    return PROFILES[name]


def _symbol_refusal(key: str, policy: LicenceProfile) -> str | None:
    if key.startswith("LicenseRef-") and not policy.unknown:
        return f"{key}: terms unknown"
    if "-NC" in key and not policy.noncommercial:
        return f"{key}: NonCommercial"
    if "-ND" in key and not policy.noderivatives:
        return f"{key}: NoDerivatives"
    return None


def refusal(expression: str | None, policy: LicenceProfile) -> str | None:
    """Why ``policy`` does not admit ``expression`` (None when it does)."""
    if not expression:
        return None if policy.unknown else "no licence recorded"
    return _refusal(_LICENSING.parse(expression), policy)


def _refusal(node, policy: LicenceProfile) -> str | None:
    if isinstance(node, LicenseWithExceptionSymbol):
        return _symbol_refusal(node.license_symbol.key, policy)
    if isinstance(node, LicenseSymbol):
        return _symbol_refusal(node.key, policy)
    reasons = [_refusal(arg, policy) for arg in node.args]
    if type(node).__name__ == "OR":
        return None if any(r is None for r in reasons) else " and ".join(r for r in reasons if r)
    return next((r for r in reasons if r), None)


def licence_refusals(licences: pl.Series, policy: LicenceProfile) -> pl.Series:
    """Per record, why its licence is refused under ``policy`` (null: admitted)."""
    distinct = licences.unique().to_list()
    table = pl.DataFrame(
        {"licence": distinct, "refusal": [refusal(value, policy) for value in distinct]},
        schema={"licence": licences.dtype, "refusal": pl.String},
    )
    return licences.to_frame("licence").join(table, on="licence", how="left", nulls_equal=True)["refusal"]


# Share-alike and copyleft families: reuse is allowed, but derived works inherit the terms.
SHARE_ALIKE_FAMILIES = (
    "CC-BY-SA",
    "GPL",
    "LGPL",
    "AGPL",
    "MPL",
    "EPL",
    "ODbL",
    "CDLA-Sharing",
    "OSL",
    "EUPL",
)
# From most to least permissive: what a duplicate cluster's survivor is chosen by.
PERMISSIVENESS = (
    "no conditions",
    "attribution",
    "share-alike",
    "non-commercial",
    "no derivatives",
    "unknown terms",
)


def permissiveness(expression: str | None) -> int:
    """Rank of ``expression`` in PERMISSIVENESS (0 is the most permissive). ``OR`` takes the
    best branch, ``AND`` the worst part."""
    if not expression:
        return len(PERMISSIVENESS) - 1
    return _rank(_LICENSING.parse(expression))


def _rank(node) -> int:
    if isinstance(node, LicenseWithExceptionSymbol):
        node = node.license_symbol
    if isinstance(node, LicenseSymbol):
        return _symbol_rank(node.key)
    ranks = [_rank(arg) for arg in node.args]
    return min(ranks) if type(node).__name__ == "OR" else max(ranks)


def _symbol_rank(key: str) -> int:
    if key.startswith("LicenseRef-"):
        return PERMISSIVENESS.index("unknown terms")
    if "-ND" in key:
        return PERMISSIVENESS.index("no derivatives")
    if "-NC" in key:
        return PERMISSIVENESS.index("non-commercial")
    if key.startswith(SHARE_ALIKE_FAMILIES):
        return PERMISSIVENESS.index("share-alike")
    if key.startswith(ATTRIBUTION_FAMILIES):
        return PERMISSIVENESS.index("attribution")
    return PERMISSIVENESS.index("no conditions")


def permissiveness_ranks(licences: pl.Series) -> pl.Series:
    """Per record, ``permissiveness`` of its licence (computed once per distinct expression)."""
    distinct = licences.unique().to_list()
    table = pl.DataFrame(
        {"licence": distinct, "rank": [permissiveness(value) for value in distinct]},
        schema={"licence": licences.dtype, "rank": pl.Int64},
    )
    return licences.to_frame("licence").join(table, on="licence", how="left", nulls_equal=True)["rank"]


def requires_attribution(expression: str | None) -> bool:
    if not expression:
        return False
    keys = [symbol.key for symbol in _LICENSING.license_symbols(_LICENSING.parse(expression))]
    return any(key.startswith(ATTRIBUTION_FAMILIES) for key in keys)


def attribution_markdown(records: pl.DataFrame, version: str, policy: LicenceProfile) -> str:
    """ATTRIBUTION.md of a release: the sources whose licences require credit, with their
    licence, its SPDX page and how many of their records the release holds."""
    counts = records.group_by("source_id", "licence").len().sort("source_id", "licence")
    lines = [
        f"# Attribution for release {version}",
        "",
        f"Licence profile: {policy.name} ({policy.description}).",
        "",
        "This release contains records from the sources below, whose licences require that they",
        "be credited wherever the data or a work derived from it is distributed.",
        "",
        "| source | licence | licence text | records |",
        "|---|---|---|---|",
    ]
    credited = 0
    for source_id, licence, count in counts.iter_rows():
        if not requires_attribution(licence):
            continue
        keys = [s.key for s in _LICENSING.license_symbols(_LICENSING.parse(licence))]
        links = ", ".join(f"https://spdx.org/licenses/{key}.html" for key in keys)
        lines.append(f"| {source_id} | {licence} | {links} | {count:,} |")
        credited += 1
    if not credited:
        lines.append("| (none: no licence in this release requires attribution) | | | |")
    return "\n".join(lines) + "\n"


def licence_ids(expressions: list[str]) -> list[str]:
    """The distinct licence ids (SPDX keys, LicenseRef-...) the expressions name, sorted."""
    return sorted({key for expression in expressions for key in _LICENSING.license_keys(expression)})


def licence_url(key: str) -> str:
    """Where a licence id is described: SPDX's page, or the id itself for a LicenseRef."""
    return key if key.startswith("LicenseRef-") else f"https://spdx.org/licenses/{key}.html"


def hub_licence(key: str) -> str:
    """The Hugging Face hub's licence tag for an SPDX id (its tags are SPDX ids in lower case);
    ``other`` for an id of our own."""
    return "other" if key.startswith("LicenseRef-") else key.lower()
