"""What a release or batch contains against what it should: coverage, diversity and drift."""
