"""Every path built from a name the platform does not control goes through ``inside``.

Partition keys arrive from the UI and from Dagster's unauthenticated GraphQL API, release
versions from the command line, file names from drop folders, labeler files from a JSON state
file: a ``..``, a separator, a NUL or a symlink in any of them must never make the platform read
or write outside the folder it meant.
"""

from __future__ import annotations

from pathlib import Path

from data_platform.errors import UnsafePathError

# Names are kept well under NAME_MAX (255 bytes): atomic writes add a staging prefix and a
# 32-digit suffix, and state files add an extension.
MAX_NAME_BYTES = 200


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be one path component, or None when it can."""
    if not isinstance(name, str) or not name:
        return "it is empty"
    if name in (".", ".."):
        return "it names a folder above or this one"
    if any(character in name for character in "/\\\x00"):
        return "it holds a path separator or a NUL"
    if any(ord(character) < 32 or ord(character) == 127 for character in name):
        return "it holds a control character"
    if name != name.strip():
        return "it starts or ends with whitespace"
    if name.startswith("."):
        return "it is hidden (starts with a dot)"
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return "it is not valid UTF-8"
    if size > MAX_NAME_BYTES:
        return f"it is {size} bytes long, over {MAX_NAME_BYTES}"
    return None


def safe_name(name: str, what: str) -> str:
    """``name`` if it can be one path component; UnsafePathError saying why otherwise."""
    if problem := name_problem(name):
        raise UnsafePathError(f"{what} {name!r} cannot name a file or folder: {problem}")
    return name


def inside(root: Path, *names: str, what: str = "name") -> Path:
    """``root/names...``: each name one safe component, and the result (symlinks followed)
    inside ``root``."""
    path = root.joinpath(*(safe_name(name, what) for name in names))
    if not path.resolve().is_relative_to(root.resolve()):
        raise UnsafePathError(f"{what} {'/'.join(names)!r} leads outside {root}")
    return path
