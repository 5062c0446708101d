import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from data_platform.cli import main
from data_platform.lake.releases import next_version, read_manifest, version_number
from data_platform.lake.store import Lake


def test_sources_command_reports_rejected_entries_and_exits_non_zero(tmp_path: Path, capsys) -> None:
    entry = {
        "id": "ok_source",
        "owner": "o",
        "licence": "MIT",
        "consent": "contract",
        "domain": "d",
        "kind": "text",
        "format": "csv",
        "drop_folder": "drops",
        "refresh_cadence": "1d",
    }
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": [entry, {**entry, "id": "bad", "licence": "Nope-1"}]}))
    assert main(["sources", str(path)]) == 1
    captured = capsys.readouterr()
    assert "ok       ok_source" in captured.out
    assert "REJECTED" in captured.err and "'bad'" in captured.err and "'licence'" in captured.err
    path.write_text(yaml.safe_dump({"sources": [entry]}))
    assert main(["sources", str(path)]) == 0


def test_sources_command_on_unreadable_registry_exits_2(tmp_path: Path, capsys) -> None:
    assert main(["sources", str(tmp_path / "missing.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_a_release_card_with_an_unknown_or_non_text_field_is_refused(tmp_path: Path) -> None:
    import pytest

    from data_platform.cli import _release_card
    from data_platform.errors import InputFileError

    card = tmp_path / "card.yaml"
    card.write_text(yaml.safe_dump({"purpose": "eval sets", "intended_uses": "fine-tuning"}))
    assert _release_card(str(card)) == {"purpose": "eval sets", "intended_uses": "fine-tuning"}
    card.write_text(yaml.safe_dump({"purpose": "x", "owner": "me"}))
    with pytest.raises(InputFileError, match=r"card.yaml: field 'owner': not a datasheet field"):
        _release_card(str(card))
    card.write_text(yaml.safe_dump({"purpose": ["a", "b"]}))
    with pytest.raises(InputFileError, match="field 'purpose': must be text"):
        _release_card(str(card))


def cli(home: Path, *args: str, **env: str) -> subprocess.Popen:
    """``data-platform ARGS`` as a person types it, on the lake and instance under ``home``."""
    environment = {
        **os.environ,
        "DATA_PLATFORM_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster_home"),
        **env,
    }
    environment = {k: v for k, v in environment.items() if v}
    command = [str(Path(sys.executable).parent / "data-platform"), *args]
    return subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.fixture
def home(demo, tmp_path: Path) -> Path:
    """A copy of the demo's lake and instance, free to change."""
    copy = tmp_path / "home"
    shutil.copytree(demo.lake.root.parent, copy, ignore=shutil.ignore_patterns("drops"))
    return copy


@pytest.mark.slow
def test_two_releases_at_once_get_their_own_versions_and_options(home: Path) -> None:
    lake = Lake(home / "lake")
    # The demo's lake is shared by the session: another test may have cut v2 already.
    new = [f"v{version_number(next_version(lake)) + k}" for k in (0, 1)]
    first, second = (
        cli(home, "release", "--profile", "research"),
        cli(home, "release", "--profile", "commercial"),
    )
    outputs = [process.communicate(timeout=600) for process in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    profiles = {v: read_manifest(lake, v)["licence_profile"]["name"] for v in new}
    assert sorted(profiles.values()) == ["commercial", "research"]
    for out, _ in outputs:
        assert "DEBUG" not in out and "content sha256" in out and "left out:" in out
    again = cli(
        home,
        "release",
        "--version",
        new[0],
        "--profile",
        "research" if profiles[new[0]] == "commercial" else "commercial",
    )
    _, err = again.communicate(timeout=600)
    assert again.returncode == 1 and "already exists with other options" in err and "Traceback" not in err


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (("release", "--version", "v4\n"), {}, "must look like v1, v2"),
        (("release",), {"DAGSTER_HOME": ""}, "DAGSTER_HOME is not set"),
        (("lineage", "abc"), {"DATA_PLATFORM_HOME": "/nonexistent"}, "no lake at /nonexistent/lake"),
    ],
)
def test_bad_settings_and_versions_give_one_line_errors(home: Path, args, env, message) -> None:
    process = cli(home, *args, **env)
    out, err = process.communicate(timeout=600)
    assert process.returncode == 2 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
