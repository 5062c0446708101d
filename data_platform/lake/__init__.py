"""Storage only: lake paths, atomic partition writes, quarantine columns, gate verdicts, ledgers,
release folders and manifests, the DuckDB catalog. Imports nothing above errors and settings."""
