"""The floors of docs/architecture.md, as import-linter checks them (contract in
pyproject.toml): the tree keeps them, and an upward import added on purpose breaks them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from data_platform_tests.conftest import PROJECT_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess[str]:
    """import-linter over the ``data_platform`` package found in ``package_parent``."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(PROJECT_ROOT / "pyproject.toml"), "--no-cache"],
        cwd=package_parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_of_the_package(parent: Path) -> Path:
    shutil.copytree(
        PROJECT_ROOT / "data_platform", parent / "data_platform", ignore=shutil.ignore_patterns("__pycache__")
    )
    return parent / "data_platform"


def test_the_tree_keeps_its_floors() -> None:
    result = lint_imports(PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    paths = copy_of_the_package(tmp_path) / "lake" / "paths.py"
    paths.write_text(paths.read_text() + "\nfrom data_platform.tiers import released  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "data_platform.lake.paths -> data_platform.tiers.released" in result.stdout


def test_a_package_without_a_floor_breaks_the_contract(tmp_path: Path) -> None:
    """The contract is exhaustive: a new package (here feedback/) must be given a floor in
    pyproject.toml, or nothing would check its imports."""
    package = copy_of_the_package(tmp_path) / "feedback"
    package.mkdir()
    (package / "__init__.py").write_text('"""Coverage and drift."""\n')
    (package / "drift.py").write_text("from data_platform.lake import releases  # noqa: F401\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "data_platform.feedback" in result.stdout and "not listed as layers" in result.stdout
