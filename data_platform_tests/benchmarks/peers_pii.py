"""PII peers, run in the benchmark's own environment (.bench-venv): presidio and scrubadub.

    .bench-venv/bin/python peers_pii.py TOOL CORPUS.jsonl OUT_DIR

Reads JSON lines with ``text``; writes ``findings.jsonl`` (row, entity_type, start, end, in
characters) and ``result.json`` (seconds, documents). Imports nothing from data_platform.

- presidio: presidio-analyzer's predefined recognizers for the structured types, called
  directly (no NLP engine, so no spaCy model and no context words): CreditCardRecognizer,
  EmailRecognizer, IbanRecognizer, IpRecognizer, PhoneRecognizer (libphonenumber's matcher),
  UsSsnRecognizer. Every result is kept (score threshold 0, AnalyzerEngine's default).
- scrubadub: ``scrubadub.Scrubber()`` with its default detectors (credential, credit card,
  email, phone, twitter, url, social security number), ``iter_filth`` per text.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

SCRUBADUB_TYPES = {
    "email": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "credit_card": "CREDIT_CARD",
    "social_security_number": "US_SSN",
    "credential": "URL_CREDENTIALS",
}


def presidio(texts: list[str]) -> list[tuple[int, str, int, int]]:
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        EmailRecognizer,
        IbanRecognizer,
        IpRecognizer,
        PhoneRecognizer,
        UsSsnRecognizer,
    )

    recognizers = [
        CreditCardRecognizer(),
        EmailRecognizer(),
        IbanRecognizer(),
        IpRecognizer(),
        PhoneRecognizer(),
        UsSsnRecognizer(),
    ]
    found = []
    for row, text in enumerate(texts):
        for recognizer in recognizers:
            for result in recognizer.analyze(text, recognizer.supported_entities, None):
                found.append((row, result.entity_type, result.start, result.end))
    return found


def scrubadub_tool(texts: list[str]) -> list[tuple[int, str, int, int]]:
    import scrubadub

    scrubber = scrubadub.Scrubber()
    found = []
    for row, text in enumerate(texts):
        for filth in scrubber.iter_filth(text):
            kind = SCRUBADUB_TYPES.get(filth.type)
            if kind:
                found.append((row, kind, filth.beg, filth.end))
    return found


TOOLS = {"presidio": presidio, "scrubadub": scrubadub_tool}


def main() -> None:
    tool, corpus, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]
    started = time.perf_counter()
    found = TOOLS[tool](texts)
    seconds = time.perf_counter() - started
    with (out / "findings.jsonl").open("w") as handle:
        for row, kind, start, end in found:
            handle.write(json.dumps({"row": row, "entity_type": kind, "start": start, "end": end}) + "\n")
    (out / "result.json").write_text(
        json.dumps({"documents": len(texts), "seconds": round(seconds, 3)}) + "\n"
    )


if __name__ == "__main__":
    main()
