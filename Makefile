# Developer entry points. `make run` serves the demo on SQLite; `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2

.PHONY: run test check lint types tests bench screenshots clean

$(BIN)/.installed: pyproject.toml devkit/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]' -e ./devkit
	touch $@

## Install, migrate the embedded SQLite database under ./var, seed the demo and serve on :8000
run: $(BIN)/.installed
	$(BIN)/railclaim migrate
	$(BIN)/railclaim demo
	$(BIN)/railclaim serve --host 127.0.0.1 --port 8000

## Every check CI runs: lint, format, types, then all tests on SQLite and PostgreSQL
test: check

check: lint types tests

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

types: $(BIN)/.installed
	$(BIN)/mypy

tests: $(BIN)/.installed
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) -m "not slow"

bench: $(BIN)/.installed
	$(BIN)/python bench/parse_bench.py

## Retake docs/screenshots/*.png in headless Chromium (installed by the test setup if missing)
screenshots: $(BIN)/.installed
	RAILCLAIM_SCREENSHOTS=1 $(BIN)/pytest -q tests/e2e/test_screenshots.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .hypothesis
