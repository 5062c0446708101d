"""The built wheel carries everything the platform reads at run time (the top-level sql/ as
data_platform/sql): installed into a fresh virtualenv outside the source tree, it runs
`data-platform audit` and cuts a release on a copy of the demo's lake."""

import json
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
from setuptools import find_packages

from data_platform.lake.releases import read_manifest
from data_platform.lake.store import Lake
from data_platform_tests.conftest import PROJECT_ROOT


def test_the_listed_packages_are_the_packages_on_disk() -> None:
    listed = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    on_disk = find_packages(str(PROJECT_ROOT), include=["data_platform", "data_platform.*"])
    assert sorted(listed) == sorted([*on_disk, "data_platform.sql"])


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    """A virtualenv outside the source tree with the wheel installed; the third-party
    dependencies are read from the test's own environment (a .pth line), so nothing is
    downloaded, and no path of the source tree is on its sys.path."""
    run(
        sys.executable, "-m", "pip", "wheel", PROJECT_ROOT, "--no-deps", "-w", tmp_path / "dist", cwd=tmp_path
    )
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    run(
        venv / "bin" / "python",
        "-m",
        "pip",
        "install",
        "--no-deps",
        "--quiet",
        *(tmp_path / "dist").glob("*.whl"),
        cwd=tmp_path,
    )
    site = run(
        venv / "bin" / "python",
        "-c",
        "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        cwd=tmp_path,
    )
    (Path(site.strip()) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


@pytest.mark.slow
@pytest.mark.integration
def test_the_wheel_runs_audit_and_a_release_outside_the_tree(demo, installed: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(demo.lake.root.parent, home, ignore=shutil.ignore_patterns("drops"))
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {
        "DATA_PLATFORM_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster_home"),
        "PATH": "/usr/bin:/bin",
    }
    where = run(
        installed / "bin" / "python",
        "-c",
        "import data_platform.sql as s; print(s.__file__)",
        cwd=outside,
        env=env,
    )
    assert where.startswith(str(installed)), where
    cli = installed / "bin" / "data-platform"
    assert "record_lineage --param record_id=" in run(cli, "audit", cwd=outside, env=env)
    quarantined = json.loads(
        run(cli, "audit", "quarantine_reasons", "--format", "json", cwd=outside, env=env)
    )
    assert quarantined and all("reason" in row for row in quarantined)
    released = run(cli, "release", "--profile", "research", cwd=outside, env=env)
    assert "content sha256" in released
    version = released.split(":", 1)[0].removeprefix("release ")
    assert read_manifest(Lake(home / "lake"), version)["record_count"] > 0
