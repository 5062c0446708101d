"""Synthetic records for named gaps: generators and the measures that judge them against real data."""
