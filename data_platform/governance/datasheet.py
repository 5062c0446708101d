"""A datasheet for every release, after Gebru et al., "Datasheets for Datasets" (2021).

Seven sections: motivation, composition, collection process, preprocessing / cleaning /
labelling, uses, distribution, maintenance. Everything measurable comes from the release's
manifest and records and from the partitions' stats in the lake (counts, licences, consent
bases, quarantine reasons per tier, code versions, labelers, PII findings). What only people
can say comes from the source registry (owners, descriptions, consent bases) and from the
release's card (purpose, intended and out-of-scope uses, maintainer, contact, update policy);
what the card leaves empty is printed as not stated, never invented.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from data_platform.lake.store import Lake
from data_platform.sources.registry import Source

TIERS = ("raw", "cleaned", "annotated")
NOT_STATED = "_Not stated in the release config._"


@dataclass(frozen=True)
class ReleaseCard:
    """The human-written parts of a datasheet, given with the release (its Dagster config)."""

    purpose: str = ""
    intended_uses: str = ""
    out_of_scope_uses: str = ""
    maintainer: str = ""
    contact: str = ""
    update_policy: str = ""


def datasheet_markdown(
    lake: Lake,
    manifest: dict[str, Any],
    records: pl.DataFrame,
    card: ReleaseCard,
    sources: Mapping[str, Source] | None = None,
) -> str:
    sections = [
        f"# Datasheet for release {manifest['version']}",
        "",
        f"Created {manifest['created_at']} by code version `{manifest['code_version']}`; "
        f"content sha256 `{manifest['content_sha256']}`.",
        *_motivation(manifest, card, sources or {}),
        *_composition(manifest, records),
        *_collection(lake, manifest, sources or {}),
        *_preprocessing(lake, manifest),
        *_uses(manifest, card),
        *_distribution(manifest),
        *_maintenance(manifest, card),
    ]
    return "\n".join(sections) + "\n"


def _stated(text: str) -> str:
    return text.strip() or NOT_STATED


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]
    return lines if rows else [*lines, "| " + " | ".join(["(none)"] + [""] * (len(header) - 1)) + " |"]


def _counted(counts: Mapping[str, int]) -> list[tuple[str, str]]:
    return [(key, f"{value:,}") for key, value in sorted(counts.items())]


def _motivation(manifest: dict[str, Any], card: ReleaseCard, sources: Mapping[str, Source]) -> list[str]:
    owners = sorted({sources[s].owner for s in manifest["counts"]["by_source"] if s in sources})
    return [
        "",
        "## Motivation",
        "",
        f"**Purpose.** {_stated(card.purpose)}",
        "",
        f"**Assembled by.** {_stated(card.maintainer)}; source owners: "
        f"{', '.join(owners) or 'not in the registry'}.",
    ]


def _composition(manifest: dict[str, Any], records: pl.DataFrame) -> list[str]:
    counts = manifest["counts"]
    tasks = (
        records.select(pl.col("labels").list.eval(pl.element().struct.field("task"))).explode("labels")
        if records.height
        else pl.DataFrame({"labels": []}, schema={"labels": pl.String})
    )
    task_counts = Counter(t for t in tasks["labels"].to_list() if t)
    alternates = manifest.get("duplicate_alternates", {})
    return [
        "",
        "## Composition",
        "",
        f"{manifest['record_count']:,} records, one per line of text or per conversation, each with "
        "its raw file and line, licence, consent basis, language and labels.",
        "",
        *_table(("source", "records"), _counted(counts["by_source"])),
        "",
        *_table(("kind", "records"), _counted(counts["by_kind"])),
        "",
        *_table(("language", "records"), _counted(counts["by_lang"])),
        "",
        *_table(("label task", "records labelled"), _counted(task_counts)),
        "",
        "**Personal data.** Text was scanned for PII (e-mail addresses, phone numbers, payment "
        "cards, IBANs, IP addresses, US SSNs, credentials, secrets; dates of birth and names "
        f"after cues) and redacted with the `{manifest['redaction']['policy']}` policy. Findings "
        "redacted in this release, by type:",
        "",
        *_table(("entity type", "findings"), _counted(manifest.get("pii_findings", {}))),
        "",
        _release_scan(manifest),
        "",
        f"**Duplicates.** Exact and near duplicates were removed across all batches; "
        f"{alternates.get('left_out', 0):,} copies under other licences or consent were left out "
        f"and {alternates.get('chosen_over_first_copy', 0):,} clusters are represented by a copy "
        "other than the first one ingested, because its licence is more permissive.",
        "",
        _synthetic(manifest),
    ]


def _synthetic(manifest: dict[str, Any]) -> str:
    """How much of the release was generated, by what, and what the cap kept out."""
    synthetic = manifest.get("synthetic") or {}
    generators = ", ".join(f"{name}: {n:,}" for name, n in sorted(synthetic.get("generators", {}).items()))
    return (
        f"**Synthetic records.** {synthetic.get('records', 0):,} records "
        f"({synthetic.get('share', 0.0):.1%}) were generated, not collected"
        + (f" ({generators})" if generators else "")
        + "; each is marked `synthetic` and names its generator, recipe and parent records in "
        f"`synthetic_origin`, and its batch passed a validation gate against real data. The release "
        f"admits at most {synthetic.get('max_share', 0.1):.0%} synthetic records; "
        f"{synthetic.get('capped', 0):,} more were left out by that cap."
    )


def _release_scan(manifest: dict[str, Any]) -> str:
    scan = manifest.get("release_scan") or {}
    held = scan.get("held_back", {})
    found = ", ".join(f"{kind}: {n:,}" for kind, n in sorted(held.items()))
    return (
        "**Independent scan.** A second scan that shares no logic with the detectors looked at the "
        "released text for identifier-shaped tokens (long digit runs, @-tokens, ids mixing letters "
        f"and digits, names after a title); under its `{scan.get('policy', 'hold')}` policy "
        f"{sum(held.values()):,} records it flagged were held back for review"
        + (f" ({found})" if found else "")
        + "."
    )


def _collection(lake: Lake, manifest: dict[str, Any], sources: Mapping[str, Source]) -> list[str]:
    rows = []
    for source_id in sorted(manifest["counts"]["by_source"]):
        source = sources.get(source_id)
        if source is None:
            rows.append((source_id, "not in the registry", "", "", "", ""))
            continue
        rows.append(
            (
                source_id,
                source.description or "(no description)",
                source.owner,
                source.domain,
                source.consent,
                f"every {source.refresh_cadence_seconds:,} s",
            )
        )
    batches = [
        (b["batch_id"], b["seq"], _raw_file(lake, b["batch_id"]), f"{b['records']:,}")
        for b in manifest["batches"]
    ]
    return [
        "",
        "## Collection process",
        "",
        "Records arrive as files dropped into each source's folder; a sensor turns every new "
        "drop into a batch. Each record keeps its file, line and byte offset.",
        "",
        *_table(("source", "description", "owner", "domain", "consent basis", "refresh"), rows),
        "",
        *_table(("batch", "sequence", "file", "records released from it"), batches),
        "",
        "Batches left out: "
        + ("; ".join(f"{b} ({why})" for b, why in sorted(manifest["excluded_batches"].items())) or "none")
        + ".",
        *_requests(manifest),
    ]


def _requests(manifest: dict[str, Any]) -> list[str]:
    """The collection requests open when the release was cut (from model errors and user
    feedback): the slice, what was wanted and what this release holds."""
    rows = [
        (
            r["slice"],
            r["model"],
            r["task"],
            f"{r['wanted']:,}",
            f"{r['records']:,}",
            "met" if r["met"] else "not met",
        )
        for r in manifest.get("collection_requests", [])
    ]
    return [
        "",
        "### Collection requests",
        "",
        "Slices where models failed (feedback reports), with the records wanted and held here.",
        "",
        *_table(("slice", "model", "task", "records wanted", "records in this release", "status"), rows),
    ]


def _raw_file(lake: Lake, batch_id: str) -> str:
    return str(lake.stats("raw", batch_id).get("file", "")) if lake.has_partition("raw", batch_id) else ""


def _preprocessing(lake: Lake, manifest: dict[str, Any]) -> list[str]:
    reasons: dict[str, Counter[str]] = {tier: Counter() for tier in TIERS}
    versions: dict[str, set[str]] = {tier: set() for tier in TIERS}
    labelers: set[str] = set()
    for batch in manifest["batches"]:
        for tier in TIERS:
            if not lake.has_partition(tier, batch["batch_id"]):
                continue
            stats = lake.stats(tier, batch["batch_id"])
            reasons[tier].update(stats.get("quarantined_by_reason", {}))
            versions[tier].add(str(stats.get("code_version", "unknown")))
            labelers.update(f"{task}: {name}" for task, name in stats.get("labelers", {}).items())
    removed = [(tier, reason, f"{n:,}") for tier in TIERS for reason, n in sorted(reasons[tier].items())]
    return [
        "",
        "## Preprocessing, cleaning and labelling",
        "",
        "Raw records are read as delivered (unreadable lines quarantined); the cleaned tier repairs "
        "mojibake, applies NFC and whitespace normalisation, removes exact and MinHash-LSH near "
        "duplicates across batches, applies the source's quality, spam and relevance rules, and "
        "redacts PII; the annotated tier identifies languages and adds labels. Every removed "
        "record is kept in a quarantine with its reason:",
        "",
        *_table(("tier", "reason", "records"), removed),
        "",
        *_table(("tier", "code versions"), [(t, ", ".join(sorted(versions[t])) or "-") for t in TIERS]),
        "",
        f"Label policy: {_label_policy(manifest)}.",
        "",
        f"Labelers: {', '.join(sorted(labelers)) or 'none'}. The raw data stays in the restricted "
        "raw tier; `data-platform lineage RECORD_ID` shows every step applied to a record.",
    ]


def _label_policy(manifest: dict[str, Any]) -> str:
    policy = manifest.get("label_policy") or {}
    parts = [
        f"{task} confidence >= {floor}" for task, floor in sorted(policy.get("min_confidence", {}).items())
    ]
    parts += [f"{task} confirmed by a person" for task in policy.get("human_confirmed", [])]
    held = sum(policy.get("held_back", {}).values())
    review = sum(policy.get("under_review", {}).values())
    waiting = f"; {review:,} records held back while their labels are under review" if review else ""
    if not parts:
        return "no confidence or confirmation rule" + waiting
    return ", ".join(parts) + f"; {held:,} records held back" + waiting


def _uses(manifest: dict[str, Any], card: ReleaseCard) -> list[str]:
    profile = manifest["licence_profile"]
    return [
        "",
        "## Uses",
        "",
        f"**Intended uses.** {_stated(card.intended_uses)}",
        "",
        f"**Out-of-scope uses.** {_stated(card.out_of_scope_uses)}",
        "",
        f"**Licence profile.** `{profile['name']}`: {profile['description']}. Models trained on "
        f"this release are listed by `data-platform models list --release {manifest['version']}`.",
    ]


def _distribution(manifest: dict[str, Any]) -> list[str]:
    refused = manifest.get("refused_by_licence", {})
    return [
        "",
        "## Distribution",
        "",
        "Parquet parts `records-*.parquet` sorted by record id, `manifest.json`, `ATTRIBUTION.md` "
        "(credit owed to sources whose licences require it) and this datasheet.",
        "",
        *_table(("licence", "records"), _counted(manifest["licences"])),
        "",
        *_table(("consent basis", "records"), _counted(manifest["counts"]["by_consent"])),
        "",
        f"Left out because the profile refuses their licence: {sum(refused.values()):,} records"
        + (f" ({', '.join(f'{k}: {v:,}' for k, v in sorted(refused.items()))})" if refused else "")
        + ".",
    ]


def _maintenance(manifest: dict[str, Any], card: ReleaseCard) -> list[str]:
    taken_down = manifest.get("taken_down", {})
    return [
        "",
        "## Maintenance",
        "",
        f"**Maintainer.** {_stated(card.maintainer)} (contact: {_stated(card.contact)})",
        "",
        f"**Updates.** {_stated(card.update_policy)} Parent version: "
        f"{manifest['parent_version'] or 'none'}. Releases are immutable; a correction is a new version.",
        "",
        "**Takedown and consent.** Requests are filed with `data-platform takedown` into an "
        "append-only ledger and reach every later release (exact and near copies of a text, "
        f"record ids, a source, or an author field). This release left out "
        f"{sum(taken_down.values()):,} records under {len(taken_down)} requests; records whose "
        "person opted out never leave the restricted tiers.",
    ]
