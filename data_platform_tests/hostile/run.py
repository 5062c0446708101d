"""The hostile corpus through the platform as users run it: one source per case in a registry,
one drop sensor tick, one real ingest run (raw -> cleaned -> annotated, gated) per batch.

``run_corpus(home)`` returns one ``Outcome`` per case, judged against what the case promises;
``python -m data_platform_tests.hostile.run [HOME]`` prints the table kept in
docs/reliability.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import yaml

from data_platform.definitions import build_definitions
from data_platform.defs.ingest.sensors import drop_sensor
from data_platform.defs.outcome import QUIET, run_outcome
from data_platform.defs.resources import resources_for
from data_platform.lake.store import Lake
from data_platform.sources.readers import record_id_for
from data_platform_tests.hostile.corpus import Case, write_corpus


@dataclass
class Outcome:
    case: Case
    batch_id: str
    run: str
    records_in: int = 0
    kept: int = 0
    quarantined: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    cleaned_kept: int | None = None
    problems: list[str] = field(default_factory=list)


def land(home: Path) -> tuple[list[Case], Path]:
    """The corpus in ``home/drops`` and a registry with one source per case."""
    cases = write_corpus(home / "drops")
    sources = [
        {
            "id": case.source_id,
            "owner": "hostile corpus",
            "licence": "CC0-1.0",
            "consent": "contract",
            "domain": "support",
            "languages": [],
            "kind": case.record_kind,
            "format": case.format,
            "drop_folder": f"drops/{case.source_id}",
            "refresh_cadence": "1d",
            "settle_seconds": 0,
            "fields": {"id": "id"},
            "quality": "off",
            # A file of hostile lines is mostly quarantine by design: the gate's rate limit
            # would stop the batch before the tiers this harness watches.
            "max_quarantine_rate": 1.0,
        }
        for case in cases
    ]
    registry = home / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    return cases, registry


def run_corpus(home: Path, say=lambda _: None, *, tiers: tuple[str, ...] = ()) -> list[Outcome]:
    """Every case through a sensor tick and a run of its batch; ``tiers`` limits the run to
    those assets (raw and cleaned are what the judge reads), else the whole ingest job."""
    cases, registry = land(home)
    lake = Lake(home / "lake")
    defs = build_definitions(resources_for(lake.root, registry))
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance, definitions=defs, resources=defs.resources)
        requests = drop_sensor(context).run_requests
        keys = [r.partition_key for r in requests]
        instance.add_dynamic_partitions("batches", keys)
        by_source = {key.partition(":")[0]: key for key in keys}
        outcomes = []
        for position, case in enumerate(cases, start=1):
            batch = by_source.get(case.source_id)
            if batch is None:
                outcomes.append(
                    Outcome(case, "", "not picked up", problems=["the sensor did not request it"])
                )
                continue
            result = defs.resolve_job_def("ingest_job").execute_in_process(
                instance=instance,
                partition_key=batch,
                raise_on_error=False,
                run_config=QUIET,
                asset_selection=[dg.AssetKey(f"{tier}_records") for tier in tiers] or None,
            )
            outcomes.append(judge(case, batch, run_outcome(result), lake))
            say(f"[{position}/{len(cases)}] {case.kind}: {outcomes[-1].run}")
    return outcomes


def judge(case: Case, batch: str, run: str, lake: Lake) -> Outcome:
    """What happened to the case's records, and every broken promise."""
    outcome = Outcome(case, batch, run)
    if run.startswith("FAILED"):
        outcome.problems.append(f"crash: {run}")
    if not lake.has_partition("raw", batch):
        outcome.problems.append("no raw partition")
        return outcome
    stats = lake.stats("raw", batch)
    quarantine = lake.scan_quarantine("raw", batch).collect()
    kept = set(lake.scan_records("raw", batch).select("record_id").collect()["record_id"])
    outcome.records_in, outcome.kept, outcome.quarantined = stats["records_in"], len(kept), quarantine.height
    outcome.reasons = Counter(quarantine["reason"].to_list())
    if lake.has_partition("cleaned", batch):
        outcome.cleaned_kept = lake.stats("cleaned", batch)["records_out"]
    ids = {
        name: record_id_for(case.source_id, name) for name in case.good_ids | case.maybe_ids | case.repeat_ids
    }
    lost = sorted(name for name in case.good_ids if ids[name] not in kept)
    if lost:
        outcome.problems.append(f"good records lost: {lost[:5]}")
    allowed = {ids[name] for name in case.good_ids | case.maybe_ids | case.repeat_ids}
    # Raw keeps a record as delivered (an empty text too); it must not get past the cleaned tier.
    stray = kept - allowed
    if stray and lake.has_partition("cleaned", batch):
        cleaned = set(lake.scan_records("cleaned", batch).select("record_id").collect()["record_id"])
        if stray & cleaned:
            outcome.problems.append(
                f"{len(stray & cleaned)} records that are not good reached the cleaned tier"
            )
    if stats["records_in"] != len(kept) + quarantine.height:
        outcome.problems.append("units in != kept + quarantined")
    units = len(kept) + quarantine.height
    if case.units is not None and units != case.units and not (case.units == 0 and units == 1):
        outcome.problems.append(f"{units} units accounted, the file holds {case.units}")
    if case.whole_file_bad and (kept or quarantine.height != 1):
        outcome.problems.append("an unreadable file is one quarantine entry")
    if quarantine.height and quarantine["detail"].is_null().any():
        outcome.problems.append("a quarantine entry without detail")
    return outcome


def markdown(outcomes: list[Outcome]) -> str:
    rows = [
        "| kind | format | what the run did | records in | kept (raw) | quarantined (raw) | reasons "
        "| kept (cleaned) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(o.reasons.items())) or "-"
        cleaned = "-" if o.cleaned_kept is None else f"{o.cleaned_kept:,}"
        note = f" **{'; '.join(o.problems)}**" if o.problems else ""
        rows.append(
            f"| {o.case.kind} | {o.case.format} | {o.run}{note} | {o.records_in:,} | {o.kept:,} "
            f"| {o.quarantined:,} | {reasons} | {cleaned} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "home", nargs="?", help="folder for the drops and the lake (default: a temporary one)"
    )
    args = parser.parse_args()
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="hostile-"))
    started = time.perf_counter()
    outcomes = run_corpus(home, say=print)
    print(markdown(outcomes))
    failing = sum(bool(o.problems) for o in outcomes)
    print(f"\n{len(outcomes)} kinds, {failing} with a broken promise, {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
