"""Model artefacts in a format that cannot run code when it is loaded.

A pickle runs whatever its bytes say when it is loaded, so a file name carrying the content's
hash proves integrity, not origin: anyone who can write into the lake could plant one. Artefacts
are therefore stored with skops (https://skops.readthedocs.io), which rebuilds objects from a
JSON schema and NumPy arrays and refuses every type outside a trusted list, and they are read
only from their own folder, never through a symlink.

skops names shared objects by their memory address (``__id__`` and the array files), which
would change the bytes, and so the content-hash version, on every run; ``_canonical`` numbers
them in order of appearance and fixes the zip timestamps, so the same model gives the same bytes.

Loading a skops file audits and rebuilds every object (a labeler's vocabulary entry by entry):
seconds per process, paid by every run that labels a batch. What inference needs is kept beside
it as a sidecar of plain arrays, ``<stem>.<sha256[:12]>.npz``, read with pickles refused (so it
cannot run code either) and checked against the hash in its name; it records the version of the
artefact it was derived from.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from data_platform.errors import InputFileError, UnsafePathError
from data_platform.lake.atomic import write_bytes_atomic
from data_platform.lake.paths import inside

SUFFIX = ".skops"
SIDECAR_SUFFIX = ".npz"
SIDECAR_META = "__meta__"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_ARRAY_FILE = re.compile(r"([0-9]+)(\.[a-z]+)")


def artefact_bytes(obj: Any) -> bytes:
    """``obj`` in skops format, the same bytes for the same content."""
    import skops.io as skops_io  # imported on use: it pulls in scikit-learn and pandas

    return _canonical(skops_io.dumps(obj))


def save_artefact(folder: Path, stem: str, obj: Any) -> Path:
    """``<folder>/<stem>-<sha256[:12]>.skops``: the name carries the content's hash."""
    payload = artefact_bytes(obj)
    path = inside(folder, f"{stem}-{hashlib.sha256(payload).hexdigest()[:12]}{SUFFIX}", what="artefact")
    write_bytes_atomic(path, payload)
    return path


def artefact_version(path: Path) -> str:
    return path.stem.rsplit("-", 1)[-1]


def load_artefact(folder: Path, name: str, trusted: Sequence[str]) -> Any:
    """The artefact ``name`` of ``folder``: a regular file there (no symlink, no path elsewhere),
    in skops format, whose hash matches its name, holding no type outside skops' own safe set
    and ``trusted``."""
    path = inside(folder, name, what="artefact")
    return read_artefact(path, trusted, hashed_name=True)


def read_artefact(path: Path, trusted: Sequence[str], *, hashed_name: bool = False) -> Any:
    """A skops artefact at ``path`` (a regular file, not a symlink) holding no type outside
    skops' own safe set and ``trusted``; with ``hashed_name`` its hash must match its name."""
    payload = _checked_payload(path, hashed_name)
    import skops.io as skops_io
    from skops.io.exceptions import UntrustedTypesFoundException

    try:
        # skops audits every type before it builds anything and refuses what is not trusted:
        # one pass over the tree (a separate get_untrusted_types was a third of a load).
        return skops_io.loads(payload, trusted=list(trusted))
    except UntrustedTypesFoundException as exc:
        untrusted = sorted(set(skops_io.get_untrusted_types(data=payload)) - set(trusted))
        raise InputFileError(str(path), None, "-", f"holds untrusted types {untrusted}") from exc
    except (zipfile.BadZipFile, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise InputFileError(str(path), None, "-", f"not a readable skops artefact ({exc})") from exc


def save_sidecar(artefact: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> Path:
    """Write the arrays inference needs beside ``artefact`` (its version recorded in the meta)."""
    buffer = io.BytesIO()
    meta = {**meta, "artefact_version": artefact_version(artefact)}
    members: dict[str, Any] = {**arrays, SIDECAR_META: np.array(json.dumps(meta, sort_keys=True))}
    np.savez(buffer, **members)
    payload = buffer.getvalue()
    path = artefact.with_name(f"{artefact.stem}.{hashlib.sha256(payload).hexdigest()[:12]}{SIDECAR_SUFFIX}")
    write_bytes_atomic(path, payload)
    return path


def load_sidecar(folder: Path, name: str) -> tuple[dict[str, np.ndarray], dict[str, Any]] | None:
    """The arrays and meta of a sidecar of the artefact ``name`` of ``folder`` (which passes the
    checks of ``load_artefact`` but the audit of its types: the sidecar holds no objects) whose
    content matches the hash in its name and which was derived from this version of it; None
    when there is none."""
    artefact = inside(folder, name, what="artefact")
    _checked_payload(artefact, hashed_name=True)
    for path in sorted(artefact.parent.glob(f"{artefact.stem}.*{SIDECAR_SUFFIX}")):
        if path.is_symlink() or not path.is_file():
            continue
        payload = path.read_bytes()
        named = path.name.removesuffix(SIDECAR_SUFFIX).rsplit(".", 1)[-1]
        if hashlib.sha256(payload).hexdigest()[:12] != named:
            continue
        try:
            with np.load(io.BytesIO(payload), allow_pickle=False) as stored:
                arrays = {name: stored[name] for name in stored.files}
            meta = json.loads(str(arrays.pop(SIDECAR_META)))
        except (ValueError, KeyError, OSError, zipfile.BadZipFile, json.JSONDecodeError):
            continue
        if meta.get("artefact_version") == artefact_version(artefact):
            return arrays, meta
    return None


def _checked_payload(path: Path, hashed_name: bool) -> bytes:
    if path.suffix != SUFFIX:
        raise InputFileError(str(path), None, "-", f"not a {SUFFIX} artefact; train and save it again")
    if path.is_symlink() or not path.is_file():
        raise UnsafePathError(f"artefact {path} is not a regular file")
    payload = path.read_bytes()
    if hashed_name and hashlib.sha256(payload).hexdigest()[:12] != artefact_version(path):
        raise InputFileError(str(path), None, "-", "content does not match the hash in its name")
    return payload


def _canonical(payload: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(payload))
    schema = json.loads(source.read("schema.json"))
    numbers: dict[str, str] = {}

    def renumber(value: str) -> str:
        return numbers.setdefault(value, str(len(numbers) + 1))

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, item in node.items():
            if key == "__id__" and isinstance(item, int):
                out[key] = int(renumber(str(item)))
            elif key == "file" and isinstance(item, str) and (match := _ARRAY_FILE.fullmatch(item)):
                out[key] = renumber(match.group(1)) + match.group(2)
            else:
                out[key] = walk(item)
        return out

    canonical = walk(schema)
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as out:
        out.writestr(
            zipfile.ZipInfo("schema.json", _FIXED_TIME), json.dumps(canonical, indent=2, sort_keys=True)
        )
        for info in sorted(source.infolist(), key=lambda i: _member_name(i.filename, numbers)):
            if info.filename != "schema.json":
                member = zipfile.ZipInfo(_member_name(info.filename, numbers), _FIXED_TIME)
                out.writestr(member, source.read(info))
    return target.getvalue()


def _member_name(name: str, numbers: dict[str, str]) -> str:
    match = _ARRAY_FILE.fullmatch(name)
    return numbers[match.group(1)] + match.group(2) if match and match.group(1) in numbers else name
