"""The round trip through a real Label Studio server: a round exported from the demo lake is
imported into a project (labeling config and pre-annotations), answered by two annotators
through Label Studio's API, exported by Label Studio and imported back as human labels.

Label Studio lives in its own virtualenv (``.label-studio-venv``, made on first use: its pins
must not meet ours); the test skips, saying why, only where that install fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
import requests

from data_platform.annotation.human_labels import consensus, import_inbox, inbox_dir, read_votes
from data_platform.annotation.rounds import export_round
from data_platform.annotation.training import label_sets, labelers_for
from data_platform.lake.store import Lake
from data_platform_tests.conftest import PROJECT_ROOT, _answers, free_port, serving

LABEL_STUDIO = "label-studio==1.23.2"
VENV = PROJECT_ROOT / ".label-studio-venv"
TOKEN = "data-platform-test-token-0123456789"
ADMIN = "annotator.one@example.org"


def label_studio_binary() -> Path:
    binary = VENV / "bin" / "label-studio"
    stamp = VENV / f".installed-{LABEL_STUDIO}"
    if stamp.exists():
        return binary
    steps = [
        [sys.executable, "-m", "venv", str(VENV)],
        [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", LABEL_STUDIO],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            pytest.skip(f"Label Studio could not be installed ({' '.join(step)}): {done.stderr[-500:]}")
    stamp.touch()
    return binary


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = label_studio_binary()
    data = tmp_path_factory.mktemp("label-studio")
    port = free_port()
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(data),
        "LABEL_STUDIO_USERNAME": ADMIN,
        "LABEL_STUDIO_PASSWORD": "not-a-secret-123",
        "LABEL_STUDIO_USER_TOKEN": TOKEN,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
    }
    command = [str(binary), "start", "--no-browser", "--port", str(port), "--data-dir", str(data)]
    url = f"http://127.0.0.1:{port}"
    with serving(command, env, data / "server.log", lambda: _answers(f"{url}/health"), timeout=300):
        yield url


def call(url: str, method: str, path: str, body: object = None) -> object:
    response = requests.request(
        method, url + path, json=body, headers={"Authorization": f"Token {TOKEN}"}, timeout=60
    )
    assert response.ok, f"{method} {path}: {response.status_code} {response.text[:500]}"
    return response.json()


def choices(task: str, value: str) -> dict:
    return {"from_name": task, "to_name": "text", "type": "choices", "value": {"choices": [value]}}


def test_a_round_goes_through_label_studio_and_comes_back_as_human_labels(
    demo, label_studio: str, tmp_path: Path
) -> None:
    lake = Lake(tmp_path / "lake")
    shutil.copytree(demo.lake.root, lake.root)
    ask = ("intent", "tone")
    labelers = labelers_for(lake, ask)
    round_info = export_round(lake, labelers, task="intent", ask=ask, strategy="entropy", size=12)
    config = (round_info.folder / "config.xml").read_text(encoding="utf-8")
    tasks = json.loads((round_info.folder / "tasks.json").read_text(encoding="utf-8"))

    project = call(label_studio, "POST", "/api/projects", {"title": "round trip", "label_config": config})
    imported = call(label_studio, "POST", f"/api/projects/{project['id']}/import", tasks)
    assert imported["task_count"] == 12 and imported["prediction_count"] == 12
    second = call(label_studio, "POST", "/api/users", {"email": "two@example.org", "username": "two"})
    stored = call(label_studio, "GET", f"/api/tasks?project={project['id']}&page_size=100")["tasks"]
    intents = labelers["intent"].label_set
    for position, task in enumerate(sorted(stored, key=lambda t: t["id"])):
        machine = {r["from_name"]: r["value"]["choices"][0] for r in task_predictions(tasks, task)}
        # The first annotator accepts the pre-annotations; the second overrules intent on 3 tasks.
        other = intents[(intents.index(machine["intent"]) + 1) % len(intents)]
        theirs = other if position < 3 else machine["intent"]
        for user, intent in ((None, machine["intent"]), (second["id"], theirs)):
            answer = {"result": [choices("intent", intent), choices("tone", machine["tone"])]}
            call(
                label_studio,
                "POST",
                f"/api/tasks/{task['id']}/annotations",
                answer | ({"completed_by": user} if user else {}),
            )
    export = call(label_studio, "GET", f"/api/projects/{project['id']}/export?exportType=JSON")
    inbox_dir(lake).mkdir(parents=True, exist_ok=True)
    (inbox_dir(lake) / "label-studio-export.json").write_text(json.dumps(export), encoding="utf-8")

    results, rejected = import_inbox(lake, label_sets(lake, ask))
    assert not rejected and results[0].votes == 12 * 2 * 2 and results[0].annotators == 2
    votes = read_votes(lake).filter(pl.col("import_id") == results[0].import_id)
    assert set(votes["round"]) == {round_info.round_id}
    assert votes["annotator"].str.starts_with("label-studio:").all()
    agreed = consensus(votes)
    intent = agreed.filter(pl.col("task") == "intent")
    assert intent["disputed"].sum() == 3 and (~agreed.filter(pl.col("task") == "tone")["disputed"]).all()


def task_predictions(tasks: list[dict], stored: dict) -> list[dict]:
    """The pre-annotation result we sent for the task Label Studio stored."""
    sent = next(t for t in tasks if t["data"]["record_id"] == stored["data"]["record_id"])
    return sent["predictions"][0]["result"]
