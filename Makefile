# Two commands for a fresh clone (Python 3.11+ only): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_HOME := $(CURDIR)/.demo
STAMP := $(VENV)/.installed

.PHONY: setup demo demo-distributed test ui bench lint check clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,distributed,kubernetes]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	DATA_PLATFORM_HOME=$(DEMO_HOME) $(BIN)/data-platform demo --home $(DEMO_HOME)

# The same demo on PostgreSQL, Redis and two Celery workers (Debian's postgresql and redis-server),
# kept up for the UI until Ctrl-C.
demo-distributed: $(STAMP)
	$(BIN)/data-platform demo --distributed --home $(CURDIR)/.demo-distributed

test: $(STAMP)
	$(BIN)/python -m pytest

ui: $(STAMP)
	@test -d $(DEMO_HOME)/dagster_home || { echo "run 'make demo' first"; exit 1; }
	DAGSTER_HOME=$(DEMO_HOME)/dagster_home DATA_PLATFORM_HOME=$(DEMO_HOME) \
		$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

# The peers (datatrove with spaCy, rensa, xxhash) live in their own environment: their pins must
# not leak into ours, and none of their code is part of the project.
BENCH_VENV := .bench-venv
$(BENCH_VENV)/.installed-2:
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet 'datatrove[processing]==0.10.1' spacy orjson rensa==0.5.0 xxhash \
		presidio-analyzer==2.2.366 scrubadub==2.0.1
	touch $@

bench: $(STAMP) $(BENCH_VENV)/.installed-2
	$(BIN)/python -m pip install --quiet -e '.[dev,distributed,kubernetes,bench]'
	$(BIN)/python -m data_platform_tests.benchmarks.bench_ingest
	$(BIN)/python -m data_platform_tests.benchmarks.bench_langid
	$(BIN)/python -m data_platform_tests.benchmarks.bench_minhash
	$(BIN)/python -m data_platform_tests.benchmarks.bench_clean
	$(BIN)/python -m data_platform_tests.benchmarks.bench_curation
	$(BIN)/python -m data_platform_tests.benchmarks.bench_incremental
	$(BIN)/python -m data_platform_tests.benchmarks.bench_pii
	$(BIN)/python -m data_platform_tests.benchmarks.bench_labelers
	$(BIN)/python -m data_platform_tests.benchmarks.bench_agreement
	$(BIN)/python -m data_platform_tests.benchmarks.bench_label_errors
	$(BIN)/python -m data_platform_tests.benchmarks.bench_active_learning
	$(BIN)/python -m data_platform_tests.benchmarks.bench_evaluation
	$(BIN)/python -m data_platform_tests.benchmarks.bench_synthetic
	$(BIN)/python -m data_platform_tests.benchmarks.bench_pipeline
	$(BIN)/python -m data_platform_tests.benchmarks.bench_distributed

lint: $(STAMP)
	$(BIN)/ruff check data_platform data_platform_tests
	$(BIN)/ruff format --check data_platform data_platform_tests

# What CI checks before the tests: lint, format, the import floors and types.
check: lint
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(BENCH_VENV) .label-studio-venv .demo .demo-distributed .bench .pytest_cache
