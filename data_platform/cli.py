"""The ``data-platform`` command: the same domain code as the assets, from a terminal."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl

from data_platform import settings

# Key for PII pseudonyms: read from the environment, never written anywhere.


def _summary(home: Path, version: str) -> str:
    from data_platform.lake.catalog import connect_catalog
    from data_platform.lake.releases import read_manifest
    from data_platform.lake.store import TIERS, Lake

    lake = Lake(home / "lake")
    lines = ["", "records per tier (batches):"]
    for tier in TIERS:
        batches = lake.partitions(tier)
        count = sum(lake.stats(tier, b)["records_out"] for b in batches)
        lines.append(f"  {tier:<10} {count:>7,}  ({len(batches)} batches)")
    manifest = read_manifest(lake, version)
    lines.append(f"  {'released':<10} {manifest['record_count']:>7,}  (release {version})")
    with connect_catalog(lake) as connection:
        rows = connection.execute(
            "select tier, reason, count(*) from quarantine group by all order by tier, count(*) desc"
        ).fetchall()
        [(repaired,)] = connection.execute(
            "select count(*) from cleaned_records where mojibake_fixed"
        ).fetchall()
    lines.append(f"mojibake repaired in the cleaned tier: {repaired:,} records")
    lines.append("quarantined by tier and reason:")
    lines += [f"  {tier:<10} {reason:<20} {n:>6,}" for tier, reason, n in rows]
    if manifest["excluded_batches"]:
        lines.append("batches held back by a failed gate:")
        lines += [f"  {b}: {why}" for b, why in sorted(manifest["excluded_batches"].items())]
    pii = ", ".join(f"{kind} {n:,}" for kind, n in sorted(manifest["pii_findings"].items())) or "none"
    lines.append(f"PII redacted in the release ({manifest['redaction']['policy']}s): {pii}")
    scan = manifest["release_scan"]
    held = ", ".join(f"{kind} {n:,}" for kind, n in scan["held_back"].items()) or "none"
    lines.append(
        f"held back by the independent release scan: {held} (review: {lake.root / scan['review_file']})"
    )
    lines.append(
        f"release {version}: {manifest['record_count']:,} records, "
        f"content sha256 {manifest['content_sha256']}"
    )
    lines.append(f"datasheet: {lake.root / 'releases' / version / 'DATASHEET.md'}")
    return "\n".join(lines)


def cmd_demo(args: argparse.Namespace) -> int:
    from data_platform.demo.distributed import run_distributed_demo
    from data_platform.demo.runner import run_demo
    from data_platform.errors import DataPlatformError

    home = Path(args.home).resolve()
    try:
        if args.distributed:
            outcome = run_distributed_demo(home, workers=args.workers)
            print(_summary(home, outcome.release))
            return 0
        outcome = run_demo(home)
    except DataPlatformError as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    print(_summary(home, outcome.release))
    print(
        "\nOpen the UI on this instance:\n"
        "  make ui            (then browse http://127.0.0.1:3000)\n"
        f"It uses DAGSTER_HOME={home / 'dagster_home'} and DATA_PLATFORM_HOME={home}."
    )
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    import dagster as dg

    from data_platform.definitions import defs
    from data_platform.defs.outcome import QUIET, run_outcome
    from data_platform.lake.releases import (
        check_version,
        next_version,
        read_manifest,
        release_dir,
        release_lock,
        release_summary,
    )
    from data_platform.lake.store import Lake

    lake = Lake(settings.existing_lake_root())
    config = {
        "licence_profile": args.profile,
        "redaction": args.redaction,
        "datasheet": _release_card(args.card),
        "min_label_confidence": _task_floors(args.min_confidence),
        "require_human_confirmation": args.require_human,
        "release_scan": args.scan_policy,
        "max_synthetic_share": args.max_synthetic_share,
    }
    settings.dagster_home()  # a clear error when DAGSTER_HOME is not set
    instance = dg.DagsterInstance.get()
    waiting = lambda: print("another release is being cut on this lake: waiting for it to finish")  # noqa: E731
    # Choosing the next version and cutting it happen under one lock: two commands at once get
    # two versions, each with its own options, one after the other.
    with release_lock(lake, "version", waiting=waiting):
        version = check_version(args.version) if args.version else next_version(lake)
        existed = (release_dir(lake, version) / "manifest.json").exists()
        if not instance.has_dynamic_partition("releases", version):
            instance.add_dynamic_partitions("releases", [version])
        result = defs.resolve_job_def("release_job").execute_in_process(
            instance=instance,
            partition_key=version,
            raise_on_error=False,
            run_config={**QUIET, "ops": {"released_dataset": {"config": config}}},
        )
    if not result.success:
        print(f"release {version}: {run_outcome(result)}", file=sys.stderr)
        return 1
    if existed:
        print(f"release {version} already exists with these options; releases are immutable, nothing was cut")
    print(release_summary(read_manifest(lake, version), release_dir(lake, version)))
    return 0


def _task_floors(pairs: list[str]) -> dict[str, float]:
    """``TASK=VALUE`` pairs as a mapping; a malformed pair ends the command with its text."""
    floors = {}
    for pair in pairs:
        task, _, value = pair.partition("=")
        try:
            floors[task] = float(value)
        except ValueError:
            raise SystemExit(f"--min-confidence expects TASK=NUMBER, got {pair!r}") from None
        if not task or not 0.0 <= floors[task] <= 1.0:
            raise SystemExit(f"--min-confidence expects TASK=NUMBER in [0, 1], got {pair!r}")
    return floors


def _release_card(path: str | None) -> dict[str, str]:
    """The datasheet card (governance/datasheet.py) from a YAML mapping of its fields."""
    import yaml

    from data_platform.errors import InputFileError
    from data_platform.governance.datasheet import ReleaseCard

    if path is None:
        return {}
    try:
        card = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputFileError(path, None, "-", f"not a readable YAML file: {exc}") from exc
    if not isinstance(card, dict):
        raise InputFileError(
            path, None, "-", "must be a mapping of " + ", ".join(ReleaseCard.__dataclass_fields__)
        )
    for field, value in card.items():
        if field not in ReleaseCard.__dataclass_fields__:
            raise InputFileError(path, None, str(field), "not a datasheet field")
        if not isinstance(value, str):
            raise InputFileError(path, None, str(field), "must be text")
    return card


def cmd_sources(args: argparse.Namespace) -> int:
    from data_platform.errors import RegistryError
    from data_platform.sources.registry import load_registry

    try:
        registry = load_registry(args.registry or settings.registry_path())
    except RegistryError as exc:
        print(exc, file=sys.stderr)
        return 2
    for source in registry.sources.values():
        print(f"ok       {source.id}: {source.licence}, {source.kind}, {source.format}, {source.drop_folder}")
    for error in registry.errors:
        print(f"REJECTED {error}", file=sys.stderr)
    return 1 if registry.errors else 0


def cmd_review(args: argparse.Namespace) -> int:
    from data_platform.curation import review
    from data_platform.errors import InputFileError
    from data_platform.lake.store import Lake

    lake = Lake(settings.existing_lake_root())
    if args.export_label_studio:
        tasks, config = review.export_label_studio(lake, Path(args.export_label_studio), args.reviewer)
        print(f"Label Studio tasks: {tasks}\nlabeling config: {config}")
    elif args.import_label_studio:
        try:
            count = review.import_label_studio(lake, Path(args.import_label_studio))
        except (InputFileError, ValueError) as exc:
            print(exc, file=sys.stderr)
            return 2
        print(f"{count} verdicts imported")
    elif not args.report:
        count = review.review_in_terminal(lake, args.reviewer, input, print, args.batch)
        print(f"{count} verdicts recorded")
    precision = review.precision_by_rule(lake)
    if not precision:
        print("no verdicts yet: judge the sampled decisions with `data-platform review` or Label Studio")
    for row in precision:
        low, high = row["ci95"]
        interval = f"95% CI [{low:.3f}, {high:.3f}]"
        print(f"{row['rule']:<32} precision {row['precision']:.3f}  {interval}  n={row['reviewed']}")
    return 0


def _run_on_file(args: argparse.Namespace, work: Callable[[Path, Path], dict]) -> dict | None:
    """Run a one-file command on ``args.input`` into ``args.output_dir``; None (after saying
    why on stderr) when the input is missing or cannot be read."""
    source = Path(args.input)
    if not source.is_file():
        print(f"{source}: no such file", file=sys.stderr)
        return None
    try:
        return work(source, Path(args.output_dir))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return None


def cmd_annotate_round(args: argparse.Namespace) -> int:
    from data_platform.annotation.rounds import export_round
    from data_platform.annotation.training import labelers_for
    from data_platform.lake.store import Lake
    from data_platform.tiers.feedback import request_slice

    lake = Lake(settings.existing_lake_root())
    ask = tuple(args.ask)
    labelers = labelers_for(lake, tuple(dict.fromkeys((args.task, *ask))))
    within = None
    if args.request:
        try:
            within = request_slice(lake, args.request, args.task)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
    info = export_round(
        lake,
        labelers,
        task=args.task,
        ask=ask,
        strategy=args.strategy,
        size=args.size,
        within=within,
        request_id=args.request,
    )
    print(f"{info.round_id}: {info.records} records {info.reasons}")
    print(f"Label Studio files: {info.folder / 'tasks.json'} and {info.folder / 'config.xml'}")
    return 0


def cmd_annotate_import(args: argparse.Namespace) -> int:
    """Import exports (each one whole or not at all), then flag labels for review and retrain the
    labelers; the relabel sensor then relabels the batches concerned."""
    from data_platform.annotation.flags import refresh_flags
    from data_platform.annotation.human_labels import agreement_report, import_export, read_votes
    from data_platform.annotation.training import ensure_labelers, label_sets, registry_tasks
    from data_platform.errors import InputFileError
    from data_platform.lake.store import Lake
    from data_platform.sources.registry import load_registry

    lake = Lake(settings.existing_lake_root())
    registry = load_registry(settings.registry_path())
    sets, failed = label_sets(lake, registry_tasks(registry)), 0
    for name in args.exports:
        try:
            result = import_export(lake, Path(name), sets)
        except InputFileError as exc:
            print(exc, file=sys.stderr)
            failed += 1
            continue
        state = "imported" if result.new else "already imported"
        print(f"{name}: {state} ({result.votes} answers from {result.annotators} annotators)")
    flags = refresh_flags(lake, registry.labelers)
    ensure_labelers(lake, registry.labelers)
    print(agreement_report(read_votes(lake)).select("task", "items", "krippendorff_alpha", "fleiss_kappa"))
    print(f"labels under review: {flags.height}")
    return 2 if failed else 0


def cmd_annotate_simulate(args: argparse.Namespace) -> int:
    from data_platform.annotation.simulate_file import simulate_file
    from data_platform.errors import InputFileError

    try:
        summary = _run_on_file(
            args,
            lambda source, output: simulate_file(
                source,
                output,
                text_field=args.text_field,
                label_field=args.label_field,
                test=Path(args.test) if args.test else None,
                seed_size=args.seed_size,
                batch_size=args.batch_size,
                rounds=args.rounds,
                progress=not args.no_progress,
            ),
        )
    except InputFileError as exc:
        print(exc, file=sys.stderr)
        return 2
    if summary is None:
        return 2
    print(json.dumps(summary["labels_to_reach_random_final"], indent=2))
    output = Path(args.output_dir)
    print(f"curves: {output / 'curves.json'}, plot: {output / 'learning_curves.png'}")
    return 0


def cmd_synthesize(args: argparse.Namespace) -> int:
    import dagster as dg

    from data_platform.definitions import defs
    from data_platform.defs.outcome import QUIET
    from data_platform.errors import UnsafePathError
    from data_platform.lake.store import Lake
    from data_platform.sources.registry import load_registry
    from data_platform.synthetic.generators import ChatCompletionGenerator, Generator, Recombiner
    from data_platform.tiers.feedback import read_requests, report_key
    from data_platform.tiers.synthetic import read_validation, write_candidates

    lake = Lake(settings.existing_lake_root())
    task, conditions = args.task, _conditions(args.slice)
    if args.request:
        found = read_requests(lake).filter(pl.col("request_id") == args.request)
        if found.is_empty():
            print(f"no collection request {args.request!r}", file=sys.stderr)
            return 2
        request = found.row(0, named=True)
        task, conditions = request["task"], json.loads(request["conditions"])
    if not conditions:
        print("name the slice: --slice expected=LABEL (repeatable) or --request ID", file=sys.stderr)
        return 2
    if args.generator == "chat" and not (args.endpoint and args.model):
        print("--generator chat needs --endpoint and --model", file=sys.stderr)
        return 2
    generator: Generator = (
        ChatCompletionGenerator(args.endpoint, args.model, seed=args.seed)
        if args.generator == "chat"
        else Recombiner(seed=args.seed)
    )
    default_name = "-".join([task, *conditions.values(), str(args.seed)])
    name = args.name or re.sub(r"[^A-Za-z0-9_-]", "_", default_name)[:80]
    try:
        registry = load_registry(settings.registry_path())
        path, made = write_candidates(lake, registry, name, task, conditions, generator, args.count)
    except (ValueError, UnsafePathError) as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"{made} synthetic texts for {task} {conditions} written to {path}")
    key = report_key(path)
    settings.dagster_home()
    instance = dg.DagsterInstance.get()
    if not instance.has_dynamic_partition("synthetic", key):
        instance.add_dynamic_partitions("synthetic", [key])
    result = defs.resolve_job_def("synthetic_job").execute_in_process(
        instance=instance, partition_key=key, raise_on_error=False, run_config=QUIET
    )
    verdict = read_validation(lake, key)
    _print_validation(verdict)
    if not result.success:
        print(f"synthetic batch {key}: refused by its gate; nothing was promoted", file=sys.stderr)
        return 1
    print(f"synthetic batch {key}: passed, promoted as a drop of the synthetic source")
    return 0


def _conditions(pairs: list[str]) -> dict[str, str]:
    conditions = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name or not value:
            raise SystemExit(
                f"--slice expects ATTRIBUTE=VALUE (expected, language, source, length), got {pair!r}"
            )
        conditions[name] = value
    return conditions


def _print_validation(verdict: dict) -> None:
    utility = verdict.get("utility")
    print(
        f"  against {verdict['real_records']} real records: length JS {verdict['length_js']}, "
        f"word-mix JS {verdict['vocabulary_js']}, real-vs-synthetic AUC {verdict['auc']}, "
        f"near copies {verdict['copied']}, near repeats {verdict['repeated']}"
    )
    if utility:
        without, with_batch = utility["macro_f1_without"], utility["macro_f1_with"]
        print(f"  labeler macro-F1 on held-out real examples: {without} without, {with_batch} with")
    else:
        print(f"  utility {verdict['utility_note']}")
    for why in verdict["failures"]:
        print(f"  fails: {why}")


def cmd_curate(args: argparse.Namespace) -> int:
    from data_platform.curation.cleaning import CleaningRules
    from data_platform.curation.curate import curate_file
    from data_platform.curation.near_dedup import NearDupRules
    from data_platform.curation.quality import QUALITY_PROFILES
    from data_platform.text.minhash import MinHashParams

    quality = QUALITY_PROFILES[args.quality].for_language(args.language)
    near_dup = NearDupRules(params=MinHashParams(exact_jaccard=args.exact_jaccard), threshold=args.threshold)
    rules = CleaningRules(min_chars=args.min_chars, near_dup=near_dup, quality=quality)
    summary = _run_on_file(
        args,
        lambda source, output: curate_file(
            source,
            output,
            rules=rules,
            id_field=args.id_field,
            text_field=args.text_field,
            progress=not args.no_progress,
        ),
    )
    if summary is None:
        return 2
    print(json.dumps(summary, indent=2, sort_keys=True))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from data_platform.governance import audit
    from data_platform.lake.store import Lake

    if not args.name:
        for query in audit.load_queries().values():
            print(query.usage())
        return 0
    try:
        lake = Lake(settings.existing_lake_root())
        result = audit.run_audit(lake, args.name, audit.parse_params(args.param))
    except audit.AuditError as exc:
        print(exc, file=sys.stderr)
        return 2
    if result.height == 0 and args.format == "table":
        given = ", ".join(f"{k}={v}" for k, v in audit.parse_params(args.param).items()) or "no parameters"
        print(f"{args.name}: no rows ({given}); `data-platform audit` lists each query's parameters")
    elif args.format == "csv":
        print(result.write_csv(), end="")
    elif args.format == "json":
        print(result.write_json())
    else:
        with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=80):
            print(result)
    return 0


def cmd_pii(args: argparse.Namespace) -> int:
    from data_platform.governance.pii import key_from_env
    from data_platform.governance.pii_file import pii_file

    key = key_from_env()
    summary = _run_on_file(
        args,
        lambda source, output: pii_file(
            source,
            output,
            id_field=args.id_field,
            text_field=args.text_field,
            mode=args.mode,
            key=key,
            progress=not args.no_progress,
        ),
    )
    if summary is None:
        return 2
    for problem in summary["unreadable"]:
        print(problem, file=sys.stderr)
    print(json.dumps({k: v for k, v in summary.items() if k != "unreadable"}, indent=2, sort_keys=True))
    return 2 if summary["unreadable"] else 0


def cmd_takedown(args: argparse.Namespace) -> int:
    from data_platform.governance.impact import record_impact, takedown_report
    from data_platform.governance.takedown import Scope, file_takedown
    from data_platform.lake.store import Lake

    lake = Lake(settings.existing_lake_root())
    field, _, value = (args.field or "").partition("=")
    text = Path(args.text_file).read_text(encoding="utf-8") if args.text_file else args.text
    scope = Scope(tuple(args.record_id), args.source, field or None, value if field else None, text)
    try:
        entry = file_takedown(lake, scope, reason=args.reason)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    report = takedown_report(lake, entry["request_id"])
    record_impact(lake, report, computed_at=entry["received"])
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
        return 0
    print(f"takedown {entry['request_id']} filed: {_scope_text(entry)}")
    print("  every release cut from now on leaves out what it reaches")
    unknown = _unknown_record_ids(lake, scope.record_ids)
    if unknown:
        print(f"  not in the lake (yet): {len(unknown)} of the record ids, e.g. {unknown[0]}")
    if not report["releases"]:
        print("  no earlier release holds a record it reaches")
    for held in report["releases"]:
        trained = ", ".join(held["models"]) or "no registered model"
        print(f"  release {held['release']} holds {held['records']:,} of them (trained: {trained})")
    return 0


def _scope_text(entry: dict) -> str:
    if entry["record_ids"]:
        return f"{len(entry['record_ids'])} record id(s)"
    if entry.get("text_sha256"):
        return f"a text and its near copies (normalised sha256 {entry['text_sha256'][:12]}...)"
    if entry["field"]:
        return f"records delivered with {entry['field']}={entry['value']}"
    return f"every record of source {entry['source_id']}"


def _unknown_record_ids(lake, record_ids: tuple[str, ...]) -> list[str]:
    """Which of ``record_ids`` no raw partition holds."""
    if not record_ids:
        return []
    wanted = pl.Series(list(record_ids)).implode()
    found: set[str] = set()
    for batch in lake.partitions("raw"):
        ids = lake.scan_records("raw", batch).select("record_id").filter(pl.col("record_id").is_in(wanted))
        found |= set(ids.collect()["record_id"].to_list())
    return sorted(set(record_ids) - found)


def cmd_lineage(args: argparse.Namespace) -> int:
    from data_platform.governance.lineage import describe, record_lineage
    from data_platform.lake.store import Lake

    try:
        lineage = record_lineage(Lake(settings.existing_lake_root()), args.record_id)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(json.dumps(lineage, indent=2, default=str) if args.json else describe(lineage))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from data_platform.evaluation.release_diff import describe_diff, release_diff
    from data_platform.lake.releases import check_version, release_dir
    from data_platform.lake.store import Lake
    from data_platform.tiers.released import read_release_side

    lake = Lake(settings.existing_lake_root())
    versions = [check_version(v) for v in (args.earlier, args.later)]
    for version in versions:
        if not (release_dir(lake, version) / "manifest.json").is_file():
            print(f"no release {version} in {lake.root / 'releases'}", file=sys.stderr)
            return 2
    diff = release_diff(*(read_release_side(lake, v) for v in versions))
    if args.records:
        print(diff.changes.write_csv(), end="")
    else:
        print(json.dumps(diff.summary(), indent=2) if args.json else describe_diff(diff))
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from data_platform.governance import models
    from data_platform.lake.store import Lake

    lake = Lake(settings.existing_lake_root())
    if args.action == "register":
        missing = [flag for flag in ("name", "version", "release") if not getattr(args, flag)]
        if missing:
            print(f"models register needs --{', --'.join(missing)}", file=sys.stderr)
            return 2
        try:
            entry = models.register_model(lake, args.name, args.version, args.release, args.notes)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        print(json.dumps(entry, sort_keys=True))
        return 0
    for entry in models.models(lake, release=args.release, name=args.name):
        print(json.dumps(entry, sort_keys=True))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="data-platform", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="generate the demo drops and run the whole graph")
    demo.add_argument("--home", default=os.environ.get(settings.HOME_ENV, ".demo"), help="demo home folder")
    demo.add_argument(
        "--distributed",
        action="store_true",
        help="run it on PostgreSQL, Redis and Celery workers started here, and keep them up for the UI",
    )
    demo.add_argument("--workers", type=int, default=2, help="Celery workers with --distributed (default 2)")
    demo.set_defaults(run=cmd_demo)
    release = commands.add_parser("release", help="cut a release from every gated annotated batch")
    release.add_argument("--version", help="version to cut (default: the next vN)")
    release.add_argument(
        "--profile", choices=("commercial", "research"), default="research", help="licence profile"
    )
    release.add_argument(
        "--redaction",
        choices=("placeholder", "pseudonym"),
        default="placeholder",
        help="PII as [TYPE] placeholders, or the cleaned tier's keyed pseudonyms [TYPE:hmac]",
    )
    release.add_argument(
        "--min-confidence",
        action="append",
        default=[],
        metavar="TASK=VALUE",
        help="hold back records whose TASK label is less confident than VALUE",
    )
    release.add_argument(
        "--require-human",
        action="append",
        default=[],
        metavar="TASK",
        help="hold back records whose TASK label no human confirmed",
    )
    release.add_argument(
        "--scan-policy",
        choices=("hold", "stop"),
        default="hold",
        help="records in which the independent release scan finds an identifier the PII detectors "
        "left: hold them back for review, or stop the release",
    )
    release.add_argument(
        "--max-synthetic-share",
        type=float,
        default=0.1,
        metavar="SHARE",
        help="largest share of the release synthetic records may make (default 0.1); the rest stay out",
    )
    release.add_argument(
        "--card",
        metavar="YAML",
        help="datasheet text: purpose, intended_uses, out_of_scope_uses, maintainer, contact, update_policy",
    )
    release.set_defaults(run=cmd_release)
    review = commands.add_parser("review", help="judge sampled cleaning decisions; precision per rule")
    review.add_argument(
        "--reviewer", default=os.environ.get("USER", "reviewer"), help="who gives the verdicts"
    )
    review.add_argument("--batch", help="only this batch's samples")
    review.add_argument("--export-label-studio", metavar="DIR", help="write Label Studio tasks and config")
    review.add_argument(
        "--import-label-studio", metavar="FILE", help="read verdicts from a Label Studio export"
    )
    review.add_argument("--report", action="store_true", help="only print precision per rule")
    review.set_defaults(run=cmd_review)

    annotate = commands.add_parser("annotate", help="annotation tools")
    annotate_commands = annotate.add_subparsers(dest="annotate_command", required=True)
    simulate = annotate_commands.add_parser(
        "simulate", help="active-learning curves per strategy on a labeled csv/jsonl file"
    )
    simulate.add_argument("input", help="labeled csv, jsonl or jsonl.gz file")
    simulate.add_argument("output_dir", help="folder for curves.json and learning_curves.png")
    simulate.add_argument("--text-field", required=True)
    simulate.add_argument("--label-field", required=True)
    simulate.add_argument("--test", help="labeled test file (default: hold out 20% of the input)")
    simulate.add_argument("--seed-size", type=int, default=300, help="labels before the first round")
    simulate.add_argument("--batch-size", type=int, default=300, help="labels asked per round")
    simulate.add_argument("--rounds", type=int, default=10)
    simulate.add_argument("--no-progress", action="store_true", help="no per-round lines on stderr")
    simulate.set_defaults(run=cmd_annotate_simulate)
    round_ = annotate_commands.add_parser(
        "round", help="export the next active-learning round for Label Studio"
    )
    round_.add_argument("--task", default="intent", help="the task whose uncertainty picks the records")
    round_.add_argument("--ask", nargs="+", default=["intent", "tone"], help="the tasks annotators answer")
    round_.add_argument("--strategy", default="margin", choices=["random", "margin", "entropy", "diversity"])
    round_.add_argument("--size", type=int, default=100, help="records in the round")
    round_.add_argument("--request", help="a collection request id: pick only records of its slice")
    round_.set_defaults(run=cmd_annotate_round)
    import_ = annotate_commands.add_parser(
        "import", help="import Label Studio JSON exports as human labels, flag for review, retrain"
    )
    import_.add_argument("exports", nargs="+", help="Label Studio JSON export files")
    import_.set_defaults(run=cmd_annotate_import)
    synthesize = commands.add_parser(
        "synthesize", help="generate synthetic records for a slice, validate them against real data, promote"
    )
    synthesize.add_argument("--task", default="intent", help="the label task the slice is about")
    synthesize.add_argument(
        "--slice",
        action="append",
        default=[],
        metavar="ATTRIBUTE=VALUE",
        help="e.g. expected=transfer (repeatable)",
    )
    synthesize.add_argument("--request", help="a collection request id: its task and slice")
    synthesize.add_argument("--count", type=int, default=200, help="synthetic records to make")
    synthesize.add_argument("--generator", choices=("recombine", "chat"), default="recombine")
    synthesize.add_argument("--endpoint", help="chat: base URL of an OpenAI-compatible API (…/v1)")
    synthesize.add_argument("--model", help="chat: the model name; the key is read from $OPENAI_API_KEY")
    synthesize.add_argument("--seed", type=int, default=0)
    synthesize.add_argument("--name", help="the batch's file name in the inbox (default from task and slice)")
    synthesize.set_defaults(run=cmd_synthesize)
    curate = commands.add_parser("curate", help="clean and deduplicate one jsonl/jsonl.gz/parquet file")
    curate.add_argument("input", help="input file with an id and a text field")
    curate.add_argument("output_dir", help="folder for kept.jsonl, quarantined.jsonl, summary.json")
    curate.add_argument("--id-field", default="id")
    curate.add_argument("--text-field", default="text")
    curate.add_argument("--min-chars", type=int, default=5, help="shorter texts are removed")
    curate.add_argument("--threshold", type=float, default=0.8, help="near-duplicate Jaccard similarity")
    curate.add_argument(
        "--exact-jaccard",
        action="store_true",
        help="verify candidates by exact Jaccard, not the MinHash estimate",
    )
    curate.add_argument(
        "--quality",
        choices=("documents", "short-text", "off"),
        default="documents",
        help="Gopher/C4/FineWeb and spam rules for documents (default), lenient ones for short texts, none",
    )
    curate.add_argument("--language", default="en", help="ISO 639 code: stop words for the Gopher rule")
    curate.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    curate.set_defaults(run=cmd_curate)
    pii = commands.add_parser("pii", help="find and redact PII in one jsonl/jsonl.gz/parquet file")
    pii.add_argument("input", help="input file with an id and a text field")
    pii.add_argument("output_dir", help="folder for findings.parquet, redacted.jsonl, summary.json")
    pii.add_argument("--id-field", default="id")
    pii.add_argument("--text-field", default="text")
    pii.add_argument(
        "--mode",
        choices=("placeholder", "pseudonym"),
        default="placeholder",
        help="[TYPE] placeholders, or keyed pseudonyms [TYPE:hmac] (key from $DATA_PLATFORM_PII_KEY)",
    )
    pii.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    pii.set_defaults(run=cmd_pii)
    audit = commands.add_parser("audit", help="run a named audit query from sql/audit.sql (none: list them)")
    audit.add_argument(
        "name", nargs="?", help="query name; leave out to list the queries and their parameters"
    )
    audit.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="bound parameter")
    audit.add_argument("--format", choices=("table", "csv", "json"), default="table")
    audit.set_defaults(run=cmd_audit)
    takedown = commands.add_parser("takedown", help="record a takedown request; report what it touched")
    scope = takedown.add_mutually_exclusive_group(required=True)
    scope.add_argument("--record-id", action="append", default=[], help="a record id (repeatable)")
    scope.add_argument("--source", help="every record of this source")
    scope.add_argument("--field", metavar="KEY=VALUE", help="records delivered with this field value")
    scope.add_argument("--text", help="this text and its near-duplicate copies")
    scope.add_argument("--text-file", help="the text to take down, from a file")
    takedown.add_argument("--reason", default="", help="why (kept in the ledger)")
    takedown.add_argument("--json", action="store_true", help="print the full report as JSON")
    takedown.set_defaults(run=cmd_takedown)
    lineage = commands.add_parser("lineage", help="where a record came from and what was done to it")
    lineage.add_argument("record_id")
    lineage.add_argument("--json", action="store_true", help="machine-readable output")
    lineage.set_defaults(run=cmd_lineage)
    diff = commands.add_parser(
        "diff", help="records added, removed and changed between two releases, and why"
    )
    diff.add_argument("earlier", help="release version, e.g. v1")
    diff.add_argument("later", help="release version, e.g. v2")
    diff.add_argument("--json", action="store_true", help="machine-readable summary")
    diff.add_argument(
        "--records", action="store_true", help="one CSV row per added, removed or changed record"
    )
    diff.set_defaults(run=cmd_diff)
    model_cmd = commands.add_parser("models", help="register which release trained a model, or list them")
    model_cmd.add_argument("action", choices=("register", "list"))
    model_cmd.add_argument("--name", help="model name")
    model_cmd.add_argument("--version", help="model version (register)")
    model_cmd.add_argument("--release", help="release version it was trained on (register; filter for list)")
    model_cmd.add_argument("--notes", default="", help="free text kept with the entry")
    model_cmd.set_defaults(run=cmd_models)
    sources = commands.add_parser("sources", help="validate the source registry")
    sources.add_argument("registry", nargs="?", help="registry YAML (default: $DATA_PLATFORM_REGISTRY)")
    sources.set_defaults(run=cmd_sources)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a command; an error the platform raises on purpose (bad input, settings, an unsafe
    name) ends it with one line on stderr and exit code 2, not a traceback."""
    from data_platform.errors import DataPlatformError

    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except DataPlatformError as exc:
        print(f"data-platform: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
