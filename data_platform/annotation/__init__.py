"""Annotation: machine labels (language first) with confidence and labeler provenance."""
