"""The released tier: immutable dataset versions built from every annotated batch that passed
its gate.

A release folder holds the records sorted by id in Parquet parts and a ``manifest.json``:
version, parent version, creation time, code version, counts per source, language and kind,
licences and consent bases, the batches included (and those left out, with why), and a content
hash over the sorted per-record hashes, so anyone can recompute it from the files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from data_platform.annotation import flags
from data_platform.errors import DataPlatformError, ReleaseExistsError
from data_platform.evaluation.release_diff import DIFF_COLUMNS, LEFT_OUT_SCHEMA, ReleaseSide, release_diff
from data_platform.evaluation.slices import request_coverage
from data_platform.governance import licences, redaction, release_scan, takedown
from data_platform.governance.datasheet import ReleaseCard, datasheet_markdown
from data_platform.lake.atomic import canonical_json, staged_folder
from data_platform.lake.releases import (
    LEFT_OUT_FILE,
    content_hash,
    list_releases,
    read_manifest,
    release_dir,
    release_lock,
    version_number,
)
from data_platform.lake.store import PARQUET_OPTIONS, Lake
from data_platform.sources.registry import Source
from data_platform.synthetic.policy import MAX_SYNTHETIC_SHARE, over_cap
from data_platform.text.hashing import sha256_column
from data_platform.tiers.feedback import read_requests
from data_platform.tiers.publication import write_publication_files
from data_platform.tiers.schema import ANNOTATED_SCHEMA, RELEASE_COLUMNS, with_missing_columns

PART_ROWS = 250_000
LEFT_OUT_COLUMNS = list(LEFT_OUT_SCHEMA)


@dataclass(frozen=True)
class LabelPolicy:
    """What a release asks of its labels, per task: a minimum confidence, or a human's
    confirmation. A record labelled for such a task that falls short is held back (counted in
    the manifest); records without a label of that task are not affected."""

    min_confidence: dict[str, float] = field(default_factory=dict)
    human_confirmed: tuple[str, ...] = ()

    def held_back(self, records: pl.DataFrame) -> pl.Series:
        """Per record, the first task whose policy it fails, or null."""
        entry = pl.element().struct
        reason = pl.lit(None, pl.String)
        rules = [
            *(
                (task, entry.field("confidence") >= floor)
                for task, floor in sorted(self.min_confidence.items())
            ),
            *((task, entry.field("human_confirmed")) for task in self.human_confirmed),
        ]
        for task, passes in reversed(rules):
            of_task = pl.col("labels").list.eval(entry.field("task") == task).list.any()
            passing = (
                pl.col("labels").list.eval((entry.field("task") == task) & passes.fill_null(False)).list.any()
            )
            reason = pl.when(of_task & ~passing).then(pl.lit(task)).otherwise(reason)
        if not rules:
            return pl.Series("held_back", [None] * records.height, dtype=pl.String)
        return records.select(reason.alias("held_back"))["held_back"]


@dataclass(frozen=True)
class Release:
    version: str
    path: Path
    manifest: dict[str, Any]
    created_now: bool


def record_hashes(frame: pl.DataFrame) -> pl.Series:
    """Per-record hash over id, released (redacted) content and labels: what a consumer trains on."""
    turns = pl.col("turns").list.eval(
        pl.format("{}\x1f{}", pl.element().struct.field("speaker"), pl.element().struct.field("text"))
    )
    content = sha256_column(frame.select(pl.coalesce("text", turns.list.join("\x1e")))[:, 0])
    payload = pl.concat_str(
        pl.col("record_id"),
        pl.lit(content),
        pl.col("labels").list.eval(pl.element().struct.json_encode()).list.join("\x1e"),
        separator="\x1f",
    )
    return sha256_column(frame.select(payload.alias("payload"))["payload"]).alias("record_sha256")


def cut_release(
    lake: Lake,
    version: str,
    *,
    created_at: str,
    code_version: str,
    licence_profile: str = "research",
    redaction_policy: str = "placeholder",
    card: ReleaseCard | None = None,
    sources: Mapping[str, Source] | None = None,
    label_policy: LabelPolicy | None = None,
    scan_policy: str = "hold",
    max_synthetic_share: float = MAX_SYNTHETIC_SHARE,
) -> Release:
    """Build release ``version``, or return it unchanged if it already exists (releases are
    immutable). Raise ReleaseExistsError if the folder exists without a manifest. Records whose
    licence the profile refuses (governance/licences.py) stay out, counted in the manifest;
    ATTRIBUTION.md credits the sources whose licences require it. Records any takedown request
    in the ledger reaches stay out too, counted per request. Text arrives redacted from the
    cleaned tier; ``redaction_policy`` keeps its pseudonyms or turns them into placeholders.
    Records the independent release scan (governance/release_scan.py) flags are held back for
    review, or stop the cut, by ``scan_policy``. Synthetic records beyond ``max_synthetic_share``
    of the release stay out (synthetic/policy.py). Croissant metadata and a Hugging Face dataset
    card (README.md) sit beside the records (tiers/publication.py). DATASHEET.md is written from
    the manifest, the lake's stats, ``card`` and ``sources``."""
    policy = licences.profile(licence_profile)
    label_policy = label_policy or LabelPolicy()
    folder = release_dir(lake, version)
    # Under the lock, two cuts of one version never interleave, and an existing version is
    # returned only when it was cut with the options asked for now.
    with release_lock(lake):
        if (folder / "manifest.json").exists():
            existing = read_manifest(lake, version)
            _require_same_options(
                version,
                existing,
                policy.name,
                redaction_policy,
                label_policy,
                scan_policy,
                max_synthetic_share,
            )
            return Release(version, folder, existing, created_now=False)
        if folder.exists():
            raise ReleaseExistsError(f"{folder} exists but holds no manifest; inspect it before retrying")
        records, manifest, left_out = _release_content(
            lake,
            version,
            created_at,
            code_version,
            policy,
            redaction_policy,
            label_policy,
            scan_policy,
            max_synthetic_share,
        )
        card = card or ReleaseCard()
        with staged_folder(folder) as staging:
            datasheet = datasheet_markdown(lake, manifest, records, card, sources)
            (staging / "DATASHEET.md").write_text(datasheet, encoding="utf-8")
            write_publication_files(staging, folder, manifest, datasheet, card)
            (staging / "ATTRIBUTION.md").write_text(
                licences.attribution_markdown(records, version, policy), encoding="utf-8"
            )
            for part, start in enumerate(range(0, max(records.height, 1), PART_ROWS)):
                records.slice(start, PART_ROWS).write_parquet(
                    staging / f"records-{part:05d}.parquet", **PARQUET_OPTIONS
                )
            left_out.write_parquet(staging / LEFT_OUT_FILE, **PARQUET_OPTIONS)
            (staging / "manifest.json").write_text(canonical_json(manifest), encoding="utf-8")
    return Release(version, folder, manifest, created_now=True)


def _require_same_options(
    version: str,
    manifest: dict[str, Any],
    profile: str,
    redaction_policy: str,
    label_policy: LabelPolicy,
    scan_policy: str,
    max_synthetic_share: float,
) -> None:
    """An existing version may be asked for again only with the options it was cut with."""
    had = (
        manifest["licence_profile"]["name"],
        manifest["redaction"]["policy"],
        manifest["label_policy"]["min_confidence"],
        sorted(manifest["label_policy"]["human_confirmed"]),
        manifest.get("release_scan", {}).get("policy", "not scanned"),
        manifest.get("synthetic", {}).get("max_share", MAX_SYNTHETIC_SHARE),
    )
    asked = (
        profile,
        redaction_policy,
        dict(label_policy.min_confidence),
        sorted(label_policy.human_confirmed),
        scan_policy,
        max_synthetic_share,
    )
    if had != asked:
        names = (
            "licence profile",
            "redaction",
            "minimum confidence",
            "human confirmation",
            "scan policy",
            "synthetic share",
        )
        differ = "; ".join(
            f"{n} {h!r} (asked: {a!r})" for n, h, a in zip(names, had, asked, strict=True) if h != a
        )
        raise ReleaseExistsError(
            f"release {version} already exists with other options: {differ}. Releases are immutable: "
            "cut a new version (leave the version out to get the next one)"
        )


def _release_content(
    lake: Lake,
    version: str,
    created_at: str,
    code_version: str,
    policy: licences.LicenceProfile,
    redaction_policy: str,
    label_policy: LabelPolicy,
    scan_policy: str,
    max_synthetic_share: float,
) -> tuple[pl.DataFrame, dict[str, Any], pl.DataFrame]:
    """The records of release ``version``, its manifest and the records it left out."""
    included, excluded = _gated_batches(lake)
    key_id = _pseudonym_key(lake, included) if redaction_policy == "pseudonym" else None
    records, superseded = _release_records(lake, included)
    left = LeftOut([superseded])
    refused = licences.licence_refusals(records["licence"], policy)
    # Counted per licence; a record with no licence recorded counts as "None".
    refused_licence = records.select(
        pl.when(refused.is_not_null()).then(pl.col("licence").fill_null("None"))
    ).to_series()
    records, refused_by_licence = left.leave_out(records, refused_licence, "licence")
    requests = takedown.takedowns(lake)
    records, taken_down = left.leave_out(
        records, takedown.matching_requests(lake, records, requests), "takedown"
    )
    records, held_back = left.leave_out(records, label_policy.held_back(records), "label_policy")
    records, under_review = left.leave_out(records, flags.under_review(lake, records), "under_review")
    records = redaction.apply_policy(records, redaction_policy)
    # After redaction, on what consumers would get; before choosing one record per duplicate
    # cluster, so a clean alternate can stand for a held-back one.
    scanned, scan_held_back = release_scan.apply_policy(lake, version, records, scan_policy)
    left.add(records.join(scanned, on="record_id", how="anti"), "release_scan", pl.lit("see the review file"))
    records, alternates = _cluster_survivors(scanned)
    left.add(
        scanned.join(records, on="record_id", how="anti"),
        "duplicate_alternate",
        pl.format("cluster of {}", pl.coalesce("duplicate_of", "record_id")),
    )
    records, capped = left.leave_out(records, over_cap(records, max_synthetic_share), "synthetic_cap")
    records = records.with_columns(record_sha256=record_hashes(records)).select(RELEASE_COLUMNS)
    parents = [v for v in list_releases(lake) if version_number(v) < version_number(version)]
    manifest = _manifest(
        lake,
        version,
        parents[-1] if parents else None,
        created_at,
        code_version,
        records,
        included,
        excluded,
        superseded.height,
    )
    manifest["licence_profile"] = {"name": policy.name, "description": policy.description}
    manifest["refused_by_licence"] = refused_by_licence
    manifest["taken_down"] = taken_down
    manifest["duplicate_alternates"] = alternates
    manifest["label_policy"] = {
        "min_confidence": label_policy.min_confidence,
        "human_confirmed": list(label_policy.human_confirmed),
        "held_back": held_back,
        "under_review": under_review,
    }
    manifest["redaction"] = {"policy": redaction_policy, "key_id": key_id}
    manifest["synthetic"] = _synthetic_section(records, max_synthetic_share, sum(capped.values()))
    manifest["release_scan"] = {
        "policy": scan_policy,
        "held_back": scan_held_back,
        "review_file": str(release_scan.review_path(lake, version).relative_to(lake.root)),
    }
    manifest["pii_findings"] = _counts(
        records.select(pl.col("pii").list.eval(pl.element().struct.field("entity_type")))
        .explode("pii")
        .drop_nulls(),
        "pii",
    )
    left_out = left.frame()
    # What feedback asked to collect (tiers/feedback.py), counted in this release.
    manifest["collection_requests"] = request_coverage(read_requests(lake), records)
    if manifest["parent_version"] is not None:
        manifest["diff_from_parent"] = _diff_from(
            lake, manifest["parent_version"], records, left_out, manifest
        )
    return records, manifest, left_out


def _synthetic_section(records: pl.DataFrame, max_share: float, capped: int) -> dict[str, Any]:
    """How many released records are synthetic, from which generators, and how many the cap kept out."""
    synthetic = records.filter(pl.col("synthetic").fill_null(False))
    generators = synthetic.select(
        pl.col("synthetic_origin").str.json_path_match("$.generator").fill_null("unknown").alias("generator")
    )
    return {
        "max_share": max_share,
        "records": synthetic.height,
        "share": round(synthetic.height / records.height, 6) if records.height else 0.0,
        "capped": capped,
        "generators": _counts(generators, "generator"),
    }


def _diff_from(
    lake: Lake, parent: str, records: pl.DataFrame, left_out: pl.DataFrame, manifest: dict[str, Any]
) -> dict[str, Any]:
    """The manifest's section on what changed since the parent release (evaluation/release_diff.py)."""
    earlier = read_release_side(lake, parent)
    now = ReleaseSide(
        manifest["version"],
        records,
        left_out,
        [b["batch_id"] for b in manifest["batches"]],
        manifest["excluded_batches"],
    )
    return release_diff(earlier, now).summary()


def read_release_side(lake: Lake, version: str) -> ReleaseSide:
    """A cut release as one side of a diff: its records, what it left out and its batches."""
    folder = release_dir(lake, version)
    manifest = read_manifest(lake, version)
    records = pl.read_parquet(sorted(folder.glob("records-*.parquet")), columns=DIFF_COLUMNS)
    # Releases cut before the left-out file existed show their removals as unexplained.
    left_path = folder / LEFT_OUT_FILE
    left_out = pl.read_parquet(left_path) if left_path.is_file() else pl.DataFrame(schema=LEFT_OUT_SCHEMA)
    batches = [b["batch_id"] for b in manifest["batches"]]
    return ReleaseSide(version, records, left_out, batches, manifest["excluded_batches"])


@dataclass
class LeftOut:
    """Every record of the included batches that the release left out, with the reason code
    and its detail (the licence, the takedown request, the task...): ``left_out.parquet``."""

    parts: list[pl.DataFrame]

    def leave_out(
        self, records: pl.DataFrame, why: pl.Series, reason: str
    ) -> tuple[pl.DataFrame, dict[str, int]]:
        """The records whose ``why`` is null, and how many were left out per value of ``why``."""
        self.add(records.filter(why.is_not_null()), reason, pl.lit(why.filter(why.is_not_null())))
        return records.filter(why.is_null()), _counts(why.drop_nulls().to_frame("why"), "why")

    def add(self, records: pl.DataFrame, reason: str, detail: pl.Expr) -> None:
        self.parts.append(
            records.select(*LEFT_OUT_COLUMNS[:3], reason=pl.lit(reason), detail=detail.cast(pl.String))
        )

    def frame(self) -> pl.DataFrame:
        return pl.concat(self.parts).sort("record_id", "reason")


def _cluster_survivors(records: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int]]:
    """One record per duplicate cluster (a kept record and its alternates, curation/alternates.py)
    among those the profile admitted: the most permissive licence, then the earliest batch and
    line. Returns the survivors sorted by id and how many alternates were left out and how
    many clusters are represented by an alternate instead of the first kept copy."""
    ranked = records.with_columns(
        _cluster=pl.coalesce("duplicate_of", "record_id"),
        _rank=licences.permissiveness_ranks(records["licence"]),
    )
    survivors = (
        ranked.sort("_cluster", "_rank", "_seq", "origin_line")
        .unique("_cluster", keep="first")
        .sort("record_id")
        .drop("_cluster", "_rank")
    )
    counts = {
        "left_out": records.height - survivors.height,
        "chosen_over_first_copy": survivors.filter(pl.col("duplicate_of").is_not_null()).height,
    }
    return survivors, counts


def _pseudonym_key(lake: Lake, batches: list[str]) -> str | None:
    """The one key every batch was pseudonymised under; pseudonyms made under different keys
    (or placeholders) would not link the same value, so such a release is refused."""
    modes = {b: lake.stats("cleaned", b).get("pii", {}) for b in batches}
    keys = {m.get("key_id") for m in modes.values()}
    placeholders = sorted(b for b, m in modes.items() if m.get("mode") != "pseudonym")
    if placeholders or len(keys) > 1:
        raise DataPlatformError(
            "a pseudonym release needs every batch cleaned with pseudonyms under one key "
            f"(set DATA_PLATFORM_PII_KEY and re-clean): placeholders in {placeholders[:5]}, "
            f"key ids {sorted(k for k in keys if k)}"
        )
    return next(iter(keys), None)


def _gated_batches(lake: Lake) -> tuple[list[str], dict[str, str]]:
    """Batches whose annotated gate passed, and every other batch of the lake with the tier that
    stopped it (a batch stopped by its raw gate is named too, not only annotated ones)."""
    included, excluded = [], {}
    for batch_id in lake.partitions("raw"):
        if lake.gate_passed("annotated", batch_id):
            included.append(batch_id)
        else:
            excluded[batch_id] = _why_not_promoted(lake, batch_id)
    return included, excluded


def _why_not_promoted(lake: Lake, batch_id: str) -> str:
    for tier in ("raw", "cleaned", "annotated"):
        if not lake.has_partition(tier, batch_id):
            return f"no {tier} partition yet (not ingested that far)"
        verdict = lake.gate_verdict(tier, batch_id)
        if verdict is None:
            return f"no gate verdict for the current {tier} data"
        if not verdict.get("passed"):
            return f"{tier} gate failed: " + ", ".join(verdict.get("failed_expectations", []))
    return "annotated gate not passed"


def _release_records(lake: Lake, batches: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Union of the batches; a record id delivered again in a later batch supersedes the
    earlier copy (sources re-deliver corrected records under the same key). Also the
    superseded copies, as left-out rows."""
    if not batches:
        empty = pl.DataFrame(schema=ANNOTATED_SCHEMA).with_columns(_seq=pl.lit(0, pl.Int64))
        return empty.select(*RELEASE_COLUMNS[:-1], "meta", "_seq"), pl.DataFrame(schema=LEFT_OUT_SCHEMA)
    sequences = lake.batch_sequences()
    frame = pl.concat(
        [
            with_missing_columns(lake.scan_records("annotated", b), "annotated").with_columns(
                _seq=pl.lit(sequences[b])
            )
            for b in batches
        ],
        how="diagonal_relaxed",
    ).collect()
    latest = frame.sort(["record_id", "_seq"], descending=[False, True]).unique(
        "record_id", keep="first", maintain_order=True
    )
    superseded = (
        frame.join(latest.select("record_id", "_seq"), on=["record_id", "_seq"], how="anti")
        .join(latest.select("record_id", later="batch_id"), on="record_id")
        .select(
            *LEFT_OUT_COLUMNS[:3],
            reason=pl.lit("superseded"),
            detail=pl.format("delivered again in {}", "later"),
        )
    )
    return latest.select(*RELEASE_COLUMNS[:-1], "meta", "_seq"), superseded


def _counts(records: pl.DataFrame, column: str) -> dict[str, int]:
    if records.height == 0:
        return {}
    counted = records.group_by(column).len().sort(column)
    return {str(k): int(n) for k, n in counted.iter_rows()}


def _manifest(
    lake: Lake,
    version: str,
    parent: str | None,
    created_at: str,
    code_version: str,
    records: pl.DataFrame,
    included: list[str],
    excluded: dict[str, str],
    superseded: int,
) -> dict[str, Any]:
    sequences = lake.batch_sequences()
    return {
        "version": version,
        "parent_version": parent,
        "created_at": created_at,
        "code_version": code_version,
        "record_count": records.height,
        "superseded_records": superseded,
        "counts": {
            "by_source": _counts(records, "source_id"),
            "by_lang": _counts(records, "lang"),
            "by_kind": _counts(records, "kind"),
            "by_consent": _counts(records, "consent"),
        },
        "licences": _counts(records, "licence"),
        "batches": [
            {
                "batch_id": b,
                "seq": sequences[b],
                "annotated_digest": lake.stats("annotated", b)["digest"],
                "records": lake.stats("annotated", b)["records_out"],
            }
            for b in included
        ],
        "excluded_batches": excluded,
        "content_sha256": content_hash(records["record_sha256"].sort()) if records.height else None,
        "content_hash_method": (
            "sha256 over the sorted record_sha256 values, each followed by a newline; "
            "record_sha256 = sha256(record_id US sha256(released content) US labels as JSON joined "
            "by RS); released content = text, or each turn as speaker US text joined by RS"
        ),
    }
