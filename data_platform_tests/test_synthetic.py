"""Synthetic data: generators, memorisation, the release cap and the validation gate, on small
frames whose answers are worked out by hand, and on real CLINC150 utterances."""

from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import polars as pl
import pytest

from data_platform.demo.generator import SAMPLE_DIR
from data_platform.synthetic.generators import ChatCompletionGenerator, Recombiner, overlap, word_set
from data_platform.synthetic.memorisation import memorisation
from data_platform.synthetic.policy import over_cap, synthetic_allowed
from data_platform.tiers.synthetic_gate import SyntheticPolicy, validate_batch


def _clinc(intent: str) -> pl.DataFrame:
    with gzip.open(Path(SAMPLE_DIR) / "intent_training.jsonl.gz", "rt") as lines:
        rows = [json.loads(line) for line in lines]
    return pl.DataFrame(rows).filter(pl.col("intent") == intent).select(record_id="id", text="text")


def test_crossover_splices_two_parents_at_a_shared_word() -> None:
    parents = pl.DataFrame(
        {
            "record_id": ["a", "b"],
            "text": ["please move my money to savings now", "can you move all cash into checking today"],
        }
    )
    made = Recombiner(seed=3, slot_probability=0.0).generate(parents, 5, slice_name="expected=transfer")
    # The only word inside both records is "move": the children are a's head with b's tail and
    # b's head with a's tail.
    assert set(made["text"].to_list()) <= {
        "please move all cash into checking today",
        "can you move my money to savings now",
    }
    assert made.height >= 1
    for row in made.iter_rows(named=True):
        recipe = json.loads(row["recipe"])
        assert recipe["operator"] == "crossover" and recipe["slice"] == "expected=transfer"
        assert sorted(row["parents"]) == ["a", "b"]
        assert row["generator"] == "recombine-v1"


def test_slot_filling_uses_a_word_real_records_put_between_the_same_neighbours() -> None:
    parents = pl.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "text": [
                "send fifty dollars to my mum please",
                "send ten dollars to my brother please",
                "i want to send money today",
            ],
        }
    )
    made = Recombiner(seed=0, slot_probability=1.0).generate(parents, 10, slice_name="s")
    slotted = [json.loads(r)["slot"] for r in made["recipe"].to_list() if "slot" in json.loads(r)]
    assert slotted, "some child took a slot filler"
    for text in made["text"].to_list():
        assert text not in parents["text"].to_list()


def test_recombined_clinc_utterances_are_new_and_traced() -> None:
    real = _clinc("transfer")
    made = Recombiner(seed=1).generate(real, 30, slice_name="expected=transfer")
    assert made.height == 30
    assert made["text"].is_unique().all()
    assert not set(made["text"].to_list()) & set(real["text"].to_list())
    assert memorisation(made["text"], real).copied == 0
    assert set(made["parents"].explode().to_list()) <= set(real["record_id"].to_list())


def test_memorisation_finds_light_edits_and_repeats() -> None:
    real = pl.DataFrame(
        {
            "record_id": ["r1", "r2"],
            "text": [
                "how much money is in my checking account right now",
                "book me a table for two at eight",
            ],
        }
    )
    synthetic = pl.Series(
        [
            "How much money is in my checking account right now?",  # case and punctuation only
            "what is the weather like in paris in the spring",  # new
            "what is the weather like in paris in the spring",  # repeats the one before
        ]
    )
    found = memorisation(synthetic, real)
    assert found.matches["real_id"].to_list() == ["r1", None, None]
    assert found.matches["similarity"][0] == pytest.approx(1.0)
    assert found.matches["repeats_earlier"].to_list() == [False, False, True]
    assert found.copied == 1 and found.repeated == 1
    assert found.novel.to_list() == [False, True, False]


def test_word_overlap() -> None:
    assert overlap(word_set("a b c"), word_set("b c d")) == pytest.approx(2 / 4)


def test_synthetic_cap_keeps_the_share_and_the_same_records_on_a_recut() -> None:
    # 13 collected records admit floor(13 * 0.1 / 0.9) = 1 synthetic one: 1 of 14 is 7% <= 10%.
    assert synthetic_allowed(13, 0.1) == 1
    assert synthetic_allowed(9, 0.1) == 1  # exactly 10%
    assert synthetic_allowed(8, 0.1) == 0
    assert synthetic_allowed(5, 0.0) == 0
    records = pl.DataFrame(
        {"record_id": [f"{i:02d}" for i in range(20)], "synthetic": [i % 3 == 0 for i in range(20)]}
    )
    capped = over_cap(records, 0.1)
    kept_synthetic = records.filter(pl.col("synthetic") & capped.is_null())["record_id"].to_list()
    assert kept_synthetic == ["00"]  # the lowest record id stays
    assert capped.is_not_null().sum() == 6
    assert over_cap(records.reverse(), 0.1).reverse().to_list() == capped.to_list()
    with pytest.raises(ValueError, match="between 0 and 1"):
        synthetic_allowed(5, 1.5)


def test_gate_passes_recombined_utterances_and_refuses_near_copies() -> None:
    real = _clinc("pto_request")
    made = Recombiner(seed=1).generate(real, 20, slice_name="expected=pto_request")
    passed = validate_batch(made["text"], real, None, task="intent", conditions={"expected": "pto_request"})
    assert passed.passed, passed.failures
    assert passed.copied == 0 and passed.length_js is not None
    copies = real["text"].str.to_uppercase() + " please"
    refused = validate_batch(copies, real, None, task="intent", conditions={"expected": "pto_request"})
    assert not refused.passed
    assert refused.copied_share > 0.9
    assert any(f.startswith("memorisation:") for f in refused.failures)
    assert "not measured" in refused.utility_note


def test_gate_refuses_texts_off_the_slice_distribution() -> None:
    real = _clinc("pto_request")
    off = _clinc("book_flight")["text"]
    verdict = validate_batch(off, real, None, task="intent", conditions={"expected": "pto_request"})
    assert any(f.startswith("word mix:") for f in verdict.failures), verdict.failures
    assert verdict.vocabulary_js is not None and verdict.vocabulary_js > SyntheticPolicy().max_vocabulary_js


def test_real_utterances_with_their_words_reordered_are_copies() -> None:
    import random

    real = _clinc("pto_request")
    rng = random.Random(0)
    salad = [text.split() for text in real["text"].to_list()]
    for words in salad:
        rng.shuffle(words)
    verdict = validate_batch(
        pl.Series([" ".join(w) for w in salad]),
        real,
        None,
        task="intent",
        conditions={"expected": "pto_request"},
    )
    # No trigram survives the shuffle; the word sets do.
    assert verdict.copied_share == 1.0 and any(f.startswith("memorisation:") for f in verdict.failures)


def test_gate_needs_enough_real_records() -> None:
    real = _clinc("pto_request").head(5)
    verdict = validate_batch(pl.Series(["a new text"]), real, None, task="intent", conditions={})
    assert verdict.failures == ["only 5 real records in the slice; at least 20 are needed to judge it"]


def test_utility_compares_the_labeler_with_and_without_the_batch() -> None:
    with gzip.open(Path(SAMPLE_DIR) / "intent_training.jsonl.gz", "rt") as lines:
        rows = [json.loads(line) for line in lines]
    examples = pl.DataFrame(rows).filter(
        pl.col("intent").is_in(["pto_request", "transfer", "book_flight", "balance"])
    )
    real = _clinc("pto_request")
    made = Recombiner(seed=1).generate(real, 20, slice_name="expected=pto_request")
    verdict = validate_batch(
        made["text"],
        real,
        (examples["text"].to_list(), examples["intent"].to_list()),
        task="intent",
        conditions={"expected": "pto_request"},
    )
    utility = verdict.utility
    assert utility is not None
    assert utility.synthetic_added == 20 and utility.test_examples == 20
    assert 0 < utility.macro_f1_without <= 1 and 0 < utility.macro_f1_with <= 1
    # Mislabelled texts (flights called time off) must cost the labeler.
    wrong = validate_batch(
        _clinc("book_flight")["text"],
        real,
        (examples["text"].to_list(), examples["intent"].to_list()),
        task="intent",
        conditions={"expected": "pto_request"},
    )
    assert wrong.utility is not None and wrong.utility.f1_change < 0
    assert any(f.startswith("utility:") for f in wrong.failures)
    # The labeler trained on real examples calls them flights, not time off.
    assert wrong.utility.label_agreement < 0.2 and any(f.startswith("off the slice:") for f in wrong.failures)
    assert utility.label_agreement > 0.8


class _Endpoint(BaseHTTPRequestHandler):
    """An OpenAI-compatible endpoint that answers with numbered lines (the edge: a remote model)."""

    seen: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Endpoint.seen.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        # Numbered and bulleted lines, and a repeat that differs only in case.
        lines = [
            "1. i need a day off next friday",
            "2. put me down for leave on monday",
            "- I need a day off next friday",
        ]
        content = "\n".join(lines)
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


def test_chat_completion_generator_talks_to_an_openai_compatible_endpoint(monkeypatch) -> None:
    server = HTTPServer(("127.0.0.1", 0), _Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("TEST_KEY", "sk-test")
    try:
        generator = ChatCompletionGenerator(
            f"http://127.0.0.1:{server.server_port}/v1", "local-model", api_key_env="TEST_KEY", batch=2
        )
        made = generator.generate(_clinc("pto_request"), 2, slice_name="expected=pto_request")
    finally:
        server.shutdown()
    assert made["text"].to_list() == ["i need a day off next friday", "put me down for leave on monday"]
    request = _Endpoint.seen[0]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer sk-test"
    assert request["body"]["model"] == "local-model"
    recipe = json.loads(made["recipe"][0])
    assert recipe["operator"] == "chat" and "expected=pto_request" in recipe["prompt"]
    assert made["generator"][0] == "chat:local-model" and len(made["parents"][0]) == 20


def test_candidate_lines_are_refused_with_line_and_field(tmp_path: Path) -> None:
    from data_platform.tiers.synthetic import read_candidates

    origin = {"generator": "g", "recipe": {}, "parents": ["r1"], "task": "intent", "slice": {"expected": "x"}}
    lines = [
        json.dumps({"id": "a", "text": "fine text", "synthetic": origin}),
        "{broken",
        json.dumps({"id": "b", "text": "", "synthetic": origin}),
        json.dumps({"id": "c", "text": "no parents", "synthetic": {**origin, "parents": []}}),
        json.dumps({"id": "d", "text": "bad slice", "synthetic": {**origin, "slice": {"expected": 3}}}),
        "",
        json.dumps({"id": "e", "text": "also fine", "synthetic": origin}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    candidates = read_candidates(path)
    assert candidates.rows["id"].to_list() == ["a", "e"] and candidates.rows["line"].to_list() == [1, 7]
    assert candidates.rejected.select("line", "field").rows() == [
        (2, "-"),
        (3, "text"),
        (4, "synthetic.parents"),
        (5, "synthetic.slice"),
    ]
    assert candidates.rejected["detail"][0].startswith(f"{path}: line 2:")
    assert candidates.task == "intent" and candidates.conditions == {"expected": "x"}
    mixed = tmp_path / "mixed.jsonl"
    other = {**origin, "slice": {"expected": "y"}}
    mixed.write_text(
        json.dumps({"id": "a", "text": "t", "synthetic": origin})
        + "\n"
        + json.dumps({"id": "b", "text": "u", "synthetic": other})
        + "\n"
    )
    with pytest.raises(ValueError, match="one task and slice"):
        read_candidates(mixed)
