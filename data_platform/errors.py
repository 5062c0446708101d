"""Exception types. Messages name the file, line (or source id) and field at fault."""

from __future__ import annotations


class DataPlatformError(Exception):
    """Base class for every error this package raises on purpose."""


class SettingsError(DataPlatformError):
    """The environment does not say where the lake or the Dagster instance is."""


class RegistryError(DataPlatformError):
    """The source registry file cannot be used at all (unreadable, not YAML, wrong shape)."""


class SourceSpecError(DataPlatformError):
    """One entry of the registry (a source, or a coverage target) is invalid; the others stay
    usable."""

    def __init__(
        self, registry: str, source_id: str, field: str, problem: str, entry: str = "source"
    ) -> None:
        self.registry, self.source_id, self.field, self.problem = registry, source_id, field, problem
        super().__init__(f"{registry}: {entry} {source_id!r}, field {field!r}: {problem}")


class GateNotPassedError(DataPlatformError):
    """A tier was asked to build from an upstream partition whose quality gate did not pass."""


class EarlierBatchPendingError(DataPlatformError):
    """A batch cannot be cleaned yet: a batch numbered before it is still being ingested."""


class ReleaseExistsError(DataPlatformError):
    """A release version is immutable and already exists with other content."""


class InputFileError(DataPlatformError):
    """A file the platform reads on a user's behalf (examples, verdicts) has a bad line."""

    def __init__(self, path: str, line: int | None, field: str, problem: str) -> None:
        self.path, self.line, self.field, self.problem = path, line, field, problem
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: field {field!r}: {problem}")


class UnsafePathError(DataPlatformError):
    """A name from outside the platform (partition key, version, file name, id) would make a path
    that leaves its root folder or cannot name a file there."""


def describe_error(exc: BaseException) -> str:
    """A short, single-line account of an unexpected failure (a quarantine detail, a rejected
    file's reason): the exception's type and the start of its message."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message[:200]}" if message else type(exc).__name__
