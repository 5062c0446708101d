"""Annotation: language identification, machine labels with confidence and labeler provenance,
human labels, agreement and active learning. A domain: imports text/, lake/, sources/ and
interchange/, never curation or governance."""
