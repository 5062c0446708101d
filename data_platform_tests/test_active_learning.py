"""Active-learning strategies and the simulation command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from data_platform.annotation.active_learning import entropy_order, k_center_greedy, margin_order, pick
from data_platform.cli import main

TOPICS = {
    "billing": ["invoice", "charge", "refund", "payment", "bill", "card", "fee"],
    "travel": ["flight", "hotel", "train", "booking", "trip", "airport", "visa"],
    "cooking": ["recipe", "oven", "bake", "flour", "sauce", "pan", "salt"],
    "weather": ["rain", "sunny", "forecast", "snow", "wind", "storm", "cloud"],
}


def test_uncertainty_orders_put_the_least_sure_first() -> None:
    proba = np.array([[0.9, 0.05, 0.05], [0.4, 0.35, 0.25], [0.34, 0.33, 0.33], [0.6, 0.4, 0.0]])
    assert margin_order(proba).tolist()[:2] == [2, 1]
    assert entropy_order(proba).tolist()[0] == 2 and entropy_order(proba).tolist()[-1] == 0


def test_k_center_greedy_spreads_over_the_space() -> None:
    # Two tight clusters far apart and one labelled point in the first: the farthest pick is in
    # the second cluster, the next one back near the first.
    points = np.array([[1.0, 0.0], [0.99, 0.14], [0.98, 0.2], [0.0, 1.0], [0.1, 0.99]])
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    picked = k_center_greedy(points, labelled=np.array([0]), pool=np.array([1, 2, 3, 4]), size=2)
    assert picked[0] in (3, 4) and picked[1] != picked[0]
    rng = np.random.default_rng(0)
    assert len(set(pick("random", 3, np.arange(10), np.array([], int), None, points, rng).tolist())) == 3
    with pytest.raises(ValueError, match="unknown strategy"):
        pick("oracle", 3, np.arange(10), np.array([], int), None, points, rng)


def test_simulate_command_writes_curves_and_a_plot(tmp_path: Path, capsys) -> None:
    rng = np.random.default_rng(5)
    rows = []
    for i in range(800):
        topic = list(TOPICS)[i % 4]
        words = (
            " ".join(rng.choice(TOPICS[topic], size=2))
            + " "
            + " ".join(rng.choice(["the", "a", "my", "so"], 3))
        )
        rows.append({"utterance": f"{words} {i % 7}", "topic": topic})
    source = tmp_path / "labeled.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out"
    args = [
        "annotate",
        "simulate",
        str(source),
        str(out),
        "--text-field",
        "utterance",
        "--label-field",
        "topic",
    ]
    code = main([*args, "--seed-size", "20", "--batch-size", "20", "--rounds", "3", "--no-progress"])
    assert code == 0
    summary = json.loads((out / "curves.json").read_text())
    assert [c["strategy"] for c in summary["curves"]] == ["random", "margin", "entropy", "diversity"]
    for curve in summary["curves"]:
        assert curve["labels"] == [20, 40, 60, 80]
        assert all(0.0 <= f1 <= 1.0 for f1 in curve["macro_f1"])
    assert summary["pool"] == 640 and summary["test_records"] == 160
    assert (out / "learning_curves.png").read_bytes()[:4] == b"\x89PNG"
    assert "random" in json.loads(capsys.readouterr().out.split("curves:")[0])

    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"utterance": "a", "topic": "x"}\n{"utterance": null, "topic": "y"}\n')
    assert (
        main(
            [
                "annotate",
                "simulate",
                str(broken),
                str(out),
                "--text-field",
                "utterance",
                "--label-field",
                "topic",
            ]
        )
        == 2
    )
    assert "broken.jsonl:2: field 'utterance/topic': empty" in capsys.readouterr().err
