"""Where the platform keeps its data: one setting, DATA_PLATFORM_HOME, decides it all."""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

from data_platform import __version__

HOME_ENV = "DATA_PLATFORM_HOME"
REGISTRY_ENV = "DATA_PLATFORM_REGISTRY"
DEFAULT_HOME = ".data_platform"


def platform_home() -> Path:
    """Root of the lake and the default registry; relative defaults resolve against the cwd."""
    return Path(os.environ.get(HOME_ENV, DEFAULT_HOME)).resolve()


def lake_root() -> Path:
    return platform_home() / "lake"


def registry_path() -> Path:
    return Path(os.environ.get(REGISTRY_ENV, platform_home() / "sources.yaml")).resolve()


@functools.cache
def code_version() -> str:
    """Package version plus the git commit of the checkout, when there is one (asked once per
    process: every partition written records it)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return __version__
    return f"{__version__}+g{commit}"
