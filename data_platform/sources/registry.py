"""The source registry: a YAML file describing every source the platform ingests.

Each entry is validated on its own: a bad entry is reported with the file, source id and field
and left out, while the other sources stay usable (one typo must not stop every ingestion).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import yaml
from license_expression import ExpressionError, get_spdx_licensing

from data_platform.errors import RegistryError, SourceSpecError
from data_platform.sources.limits import JsonLimits
from data_platform.sources.schema import KINDS
from data_platform.sources.targets import CoverageTarget, parse_coverage

FORMATS = ("jsonl", "jsonl.gz", "csv", "parquet")
CADENCE_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
SOURCE_ID_PATTERN = re.compile(r"[a-z][a-z0-9_-]{0,63}")  # fullmatch: "a\n" is no id
LANG_PATTERN = re.compile(r"[a-z]{2,3}")
SERVES_PATTERN = re.compile(r"[a-z_]+(:[A-Za-z0-9_-]+)?=\S.*")
COMPLETION_RULES = ("marker", "stable")
# What the drop sensor does with a file whose name holds personal data: ingest it under a hashed
# batch key (the name appears nowhere), or leave it in the folder and report it.
FILE_NAME_PII_POLICIES = ("hash", "refuse")
# The quality profiles a source may pick; curation/quality.py holds the rules of each.
QUALITY_PROFILE_NAMES = ("documents", "short-text", "off")
_LICENSING = get_spdx_licensing()


@dataclass(frozen=True)
class RelevanceRules:
    """What a source declares relevant (``relevance:``); curation/relevance.py applies it."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: str | None = None
    min_score: float = 0.5

    @property
    def active(self) -> bool:
        return bool(self.include or self.exclude or self.examples)


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable regular expression, or None."""
    try:
        pl.Series([""]).str.contains(pattern)
    except pl.exceptions.ComputeError as exc:
        return str(exc).splitlines()[0]
    return None


@dataclass(frozen=True)
class FieldMap:
    """Where the canonical fields are found in a source's input records."""

    id: str | None = None
    text: str = "text"
    turns: str = "turns"
    speaker: str = "speaker"
    turn_text: str = "text"
    lang: str | None = None
    # A field (dotted path for nested objects) of the input record that says the person behind
    # it withdrew consent (true, yes, 1, opt-out, withdrawn): the cleaned tier quarantines such
    # records as consent_opt_out, so they stay only in the restricted tiers.
    opt_out: str | None = None


@dataclass(frozen=True)
class Source:
    id: str
    owner: str
    licence: str
    consent: str
    domain: str
    languages: tuple[str, ...]
    kind: str
    format: str
    drop_folder: Path
    refresh_cadence_seconds: int
    fields: FieldMap = field(default_factory=FieldMap)
    completion: str = "stable"
    pii_in_file_names: str = "hash"
    settle_seconds: int = 30
    min_chars: int = 5
    # Resource limits applied to every input unit before it is parsed (sources/limits.py): a line
    # or row over any of them is quarantined with the limit it broke, never handed to a parser.
    max_record_bytes: int = 8 << 20
    max_field_bytes: int | None = None  # None: as large as a record may be
    max_json_depth: int = 64
    max_number_digits: int = 256
    max_quarantine_rate: float = 0.5
    description: str = ""
    # Quality rule profile (curation/quality.py): web-document rules, or those for short texts.
    quality: str = "documents"
    # A saved text scorer (curation/scoring.py) and the score a record needs to stay.
    quality_model: Path | None = None
    min_quality_score: float = 0.5
    relevance: RelevanceRules = field(default_factory=RelevanceRules)
    # Label tasks the annotated tier runs on this source's records (keys of ``labelers:``), and
    # the share of a batch's records each task must label for the annotated gate to pass.
    label_tasks: tuple[str, ...] = ()
    min_label_coverage: float = 0.99
    # Krippendorff's alpha that annotators must reach per task where they labelled enough of a
    # batch's records (0.667: Krippendorff's floor for tentative conclusions).
    min_agreement: Mapping[str, float] = field(default_factory=dict)
    # Slices this source can supply, as ``attribute=value`` (language=de, expected=transfer):
    # its drops are queued first while a collection request asks for such records.
    serves: tuple[str, ...] = ()
    # Records made by a generator (synthetic/), not collected: each delivers its generator,
    # recipe and parent records under ``synthetic`` and is tagged synthetic in every tier.
    synthetic: bool = False

    @property
    def json_limits(self) -> JsonLimits:
        field_bytes = self.max_record_bytes if self.max_field_bytes is None else self.max_field_bytes
        return JsonLimits(int(self.max_json_depth), int(self.max_number_digits), int(field_bytes))

    def agreement_floor(self, task: str) -> float:
        return self.min_agreement.get(task, DEFAULT_MIN_AGREEMENT)


@dataclass(frozen=True)
class LabelerSpec:
    """A trained labeler: the task, its labeled examples (JSON lines, maybe gzipped), the fields
    holding text and label (a list of labels when ``multi_label``). ``tone`` is not trained: it
    reads the emotion labeler (annotation/tone.py)."""

    task: str
    examples: Path
    text_field: str = "text"
    label_field: str = "label"
    multi_label: bool = False


# Tasks whose labeler is built from another's: tone reads emotion's probabilities.
DERIVED_TASKS = {"tone": "emotion"}
DEFAULT_MIN_AGREEMENT = 0.667


@dataclass(frozen=True)
class Registry:
    path: Path
    sources: dict[str, Source]
    errors: tuple[SourceSpecError, ...]
    labelers: dict[str, LabelerSpec] = field(default_factory=dict)
    coverage: tuple[CoverageTarget, ...] = ()

    @property
    def domains(self) -> dict[str, str]:
        """source id -> domain, for evaluation by domain."""
        return {source_id: source.domain for source_id, source in self.sources.items()}

    def get(self, source_id: str) -> Source:
        if source_id not in self.sources:
            rejected = [e for e in self.errors if e.source_id == source_id]
            why = f": rejected ({rejected[0]})" if rejected else ""
            raise KeyError(f"{self.path}: no usable source {source_id!r}{why}")
        return self.sources[source_id]


def adhoc_source(
    source_id: str,
    fmt: str,
    folder: Path,
    *,
    kind: str = "text",
    fields: FieldMap | None = None,
    **settings: Any,
) -> Source:
    """A source outside any registry (one-off CLI runs, benchmarks): governance fields unknown."""
    return Source(
        id=source_id,
        owner="unregistered",
        licence="LicenseRef-Unknown",
        consent="unknown",
        domain="unknown",
        languages=(),
        kind=kind,
        format=fmt,
        drop_folder=folder,
        refresh_cadence_seconds=86400,
        fields=fields or FieldMap(id="id"),
        **settings,
    )


def _relative_to(folder: Path, value: str) -> Path:
    """A path from the registry: relative paths are relative to the registry file's folder."""
    path = Path(value)
    return path if path.is_absolute() else folder / path


def _parse_relevance(spec: Any, folder: Path, fail: Any) -> RelevanceRules:
    if spec is None:
        return RelevanceRules()
    if not isinstance(spec, Mapping) or not set(spec) <= {"include", "exclude", "examples", "min_score"}:
        raise fail("relevance", "must be a mapping of include, exclude, examples, min_score")
    patterns = {}
    for key in ("include", "exclude"):
        values = spec.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise fail(f"relevance.{key}", "must be a list of regular expressions")
        for value in values:
            if problem := pattern_problem(value):
                raise fail(f"relevance.{key}", f"{value!r} is not a valid regular expression: {problem}")
        patterns[key] = tuple(values)
    examples = spec.get("examples")
    if examples is not None:
        examples = _relative_to(folder, str(examples))
        if not examples.is_file():
            raise fail("relevance.examples", f"{examples} is not a file")
    min_score = spec.get("min_score", 0.5)
    if not isinstance(min_score, int | float) or isinstance(min_score, bool) or not 0 <= min_score <= 1:
        raise fail("relevance.min_score", "must be a number between 0 and 1")
    return RelevanceRules(
        include=patterns["include"],
        exclude=patterns["exclude"],
        examples=None if examples is None else str(examples.resolve()),
        min_score=float(min_score),
    )


def normalise_licence(expression: str) -> str:
    """Parse an SPDX expression; unknown ids raise ValueError, ``LicenseRef-*`` ids are allowed.

    SPDX reserves ``LicenseRef-`` for licences outside its list, so a source under a bespoke
    agreement can still be registered, explicitly.
    """
    try:
        parsed = _LICENSING.parse(expression, validate=False, strict=True)
    except ExpressionError as exc:
        raise ValueError(f"not a valid SPDX licence expression: {expression!r} ({exc})") from exc
    if parsed is None:
        raise ValueError("empty licence expression")
    unknown = [key for key in _LICENSING.unknown_license_keys(parsed) if not key.startswith("LicenseRef-")]
    if unknown:
        raise ValueError(f"unknown SPDX licence id(s) {', '.join(unknown)} in {expression!r}")
    return str(parsed)


def parse_cadence(value: str) -> int:
    match = re.fullmatch(r"(\d+)\s*([mhdw])", str(value).strip())
    if not match:
        raise ValueError(f"refresh cadence {value!r} must look like 30m, 6h, 1d or 2w")
    return int(match.group(1)) * CADENCE_UNITS[match.group(2)]


def load_registry(path: Path | str) -> Registry:
    """Read and validate the registry; raise RegistryError only if nothing can be read."""
    path = Path(path).resolve()
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read the source registry ({exc})") from exc
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML ({exc})") from exc
    entries = (document or {}).get("sources") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise RegistryError(f"{path}: expected a top-level 'sources:' list")
    labelers = _parse_labelers(path, document.get("labelers") or {})
    coverage, errors = parse_coverage(path, document.get("coverage"))
    sources: dict[str, Source] = {}
    for position, entry in enumerate(entries, start=1):
        try:
            source = _parse_source(path, position, entry)
            missing = [t for t in source.label_tasks if DERIVED_TASKS.get(t, t) not in labelers]
            if missing:
                raise SourceSpecError(
                    str(path), source.id, "label_tasks", f"no labeler for {missing} under 'labelers:'"
                )
            if source.id in sources:
                raise SourceSpecError(str(path), source.id, "id", "duplicate source id")
            sources[source.id] = source
        except SourceSpecError as exc:
            errors.append(exc)
    return Registry(
        path=path, sources=sources, errors=tuple(errors), labelers=labelers, coverage=tuple(coverage)
    )


def _parse_labelers(path: Path, section: Any) -> dict[str, LabelerSpec]:
    """The ``labelers:`` mapping (task -> examples, text_field, label_field, multi_label); a bad
    entry makes the registry unusable, since sources name these tasks."""
    if not isinstance(section, Mapping):
        raise RegistryError(f"{path}: 'labelers:' must map task names to their training examples")
    specs = {}
    for task, entry in section.items():
        where = f"{path}: labelers.{task}"
        if task in DERIVED_TASKS:
            raise RegistryError(f"{where}: {task} is built from {DERIVED_TASKS[task]}, not trained")
        if not isinstance(entry, Mapping) or not set(entry) <= set(LabelerSpec.__dataclass_fields__) - {
            "task"
        }:
            raise RegistryError(f"{where}: expected examples, text_field, label_field, multi_label")
        if "examples" not in entry:
            raise RegistryError(f"{where}.examples: is required")
        examples = _relative_to(path.parent, str(entry["examples"]))
        if not examples.is_file():
            raise RegistryError(f"{where}.examples: {examples} is not a file")
        specs[str(task)] = LabelerSpec(
            task=str(task),
            examples=examples.resolve(),
            text_field=str(entry.get("text_field", "text")),
            label_field=str(entry.get("label_field", "label")),
            multi_label=bool(entry.get("multi_label", False)),
        )
    return specs


def _parse_source(path: Path, position: int, entry: Any) -> Source:
    label = str(entry.get("id", f"#{position}")) if isinstance(entry, Mapping) else f"#{position}"

    def fail(field_name: str, problem: str) -> SourceSpecError:
        return SourceSpecError(str(path), label, field_name, problem)

    if not isinstance(entry, Mapping):
        raise fail("-", "each source must be a mapping")

    def required(name: str) -> Any:
        value = entry.get(name)
        if value in (None, ""):
            raise fail(name, "is required")
        return value

    source_id = str(required("id"))
    if not SOURCE_ID_PATTERN.fullmatch(source_id):
        raise fail("id", "must match [a-z][a-z0-9_-]* (it becomes part of partition keys)")
    try:
        licence = normalise_licence(str(required("licence")))
    except ValueError as exc:
        raise fail("licence", str(exc)) from exc
    kind = str(required("kind"))
    if kind not in KINDS:
        raise fail("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    fmt = str(required("format"))
    if fmt not in FORMATS:
        raise fail("format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
    languages = entry.get("languages") or []
    if not isinstance(languages, list) or not all(
        isinstance(lang, str) and LANG_PATTERN.fullmatch(lang) for lang in languages
    ):
        raise fail("languages", "must be a list of ISO 639 codes such as [en, de]")
    try:
        cadence = parse_cadence(required("refresh_cadence"))
    except ValueError as exc:
        raise fail("refresh_cadence", str(exc)) from exc
    completion = str(entry.get("completion", "stable"))
    if completion not in COMPLETION_RULES:
        raise fail("completion", f"{completion!r} is not one of {', '.join(COMPLETION_RULES)}")
    file_name_policy = str(entry.get("pii_in_file_names", "hash"))
    if file_name_policy not in FILE_NAME_PII_POLICIES:
        raise fail(
            "pii_in_file_names", f"{file_name_policy!r} is not one of {', '.join(FILE_NAME_PII_POLICIES)}"
        )
    quality = str(entry.get("quality") or ("short-text" if kind == "conversation" else "documents"))
    if quality not in QUALITY_PROFILE_NAMES:
        raise fail("quality", f"{quality!r} is not one of {', '.join(QUALITY_PROFILE_NAMES)}")
    relevance = _parse_relevance(entry.get("relevance"), path.parent, fail)
    label_tasks = entry.get("label_tasks") or []
    if not isinstance(label_tasks, list) or not all(isinstance(t, str) for t in label_tasks):
        raise fail("label_tasks", "must be a list of task names such as [intent, emotion, tone]")
    min_agreement = entry.get("min_agreement") or {}
    if not isinstance(min_agreement, Mapping) or not all(
        task in label_tasks and isinstance(v, int | float) and -1.0 <= v <= 1.0
        for task, v in min_agreement.items()
    ):
        raise fail("min_agreement", "must map label tasks of this source to an alpha between -1 and 1")
    serves = entry.get("serves") or []
    if not isinstance(serves, list) or not all(
        isinstance(s, str) and SERVES_PATTERN.fullmatch(s) for s in serves
    ):
        raise fail("serves", "must be a list of slice conditions such as [language=de, expected=transfer]")
    synthetic = entry.get("synthetic", False)
    if not isinstance(synthetic, bool):
        raise fail("synthetic", "must be true or false")
    if synthetic and kind != "text":
        raise fail("synthetic", "synthetic sources deliver text records")
    quality_model = entry.get("quality_model")
    if quality_model is not None:
        quality_model = _relative_to(path.parent, str(quality_model))
        if not quality_model.is_file():
            raise fail("quality_model", f"{quality_model} is not a file")
    fields = entry.get("fields") or {}
    if not isinstance(fields, Mapping) or not set(fields) <= set(FieldMap.__dataclass_fields__):
        raise fail("fields", f"may only map {', '.join(FieldMap.__dataclass_fields__)}")
    opt_out = fields.get("opt_out")
    if opt_out is not None and not all(part.isidentifier() for part in str(opt_out).split(".")):
        raise fail(
            "fields.opt_out", f"{opt_out!r} must be a field name or a dotted path such as user.opt_out"
        )
    field_names: dict[str, Any] = {k: (None if v is None else str(v)) for k, v in fields.items()}
    drop_folder = _relative_to(path.parent, str(required("drop_folder")))
    numbers: dict[str, Any] = {}
    for name, low, high in (
        ("settle_seconds", 0, 86400),
        ("min_chars", 0, 1_000_000),
        ("max_record_bytes", 1, 1 << 31),
        ("max_field_bytes", 1, 1 << 31),
        ("max_json_depth", 1, 10_000),
        ("max_number_digits", 1, 4_300),
        ("max_quarantine_rate", 0.0, 1.0),
        ("min_quality_score", 0.0, 1.0),
        ("min_label_coverage", 0.0, 1.0),
    ):
        value = entry.get(name, Source.__dataclass_fields__[name].default)
        if value is None and name == "max_field_bytes":
            continue
        if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
            raise fail(name, f"must be a number between {low} and {high}")
        numbers[name] = value
    return Source(
        id=source_id,
        owner=str(required("owner")),
        licence=licence,
        consent=str(required("consent")),
        domain=str(required("domain")),
        languages=tuple(languages),
        kind=kind,
        format=fmt,
        drop_folder=drop_folder.resolve(),
        refresh_cadence_seconds=cadence,
        fields=FieldMap(**field_names),
        completion=completion,
        pii_in_file_names=file_name_policy,
        description=str(entry.get("description", "")),
        quality=quality,
        quality_model=quality_model,
        relevance=relevance,
        label_tasks=tuple(label_tasks),
        min_agreement={task: float(v) for task, v in min_agreement.items()},
        serves=tuple(serves),
        synthetic=synthetic,
        **numbers,
    )
