from pathlib import Path

import yaml

from data_platform.cli import main


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
