"""Storage: lake paths, atomic partition writes, gate verdicts, batch ledger, DuckDB catalog."""
