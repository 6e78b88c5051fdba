# Two commands do all the set-up: `make run` and `make test`; `make lint` checks the code's shape.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# The suite runs on SQLite and on this PostgreSQL; unreachable → skipped loudly (failed when CI=true).
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export TEST_DATABASE_URL
FLASK := $(BIN)/flask --app app

.PHONY: run test lint setup setup-run migrate seed bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# `make run` installs only what serves (requirements.txt); `make test`/`make lint` add the test and lint
# tooling (requirements-dev.txt: Playwright, Schemathesis, Hypothesis, ruff, mypy …). --no-compile: Python
# compiles only the modules the service imports, when it first imports them, instead of every installed file.
$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q --no-compile -r requirements.txt
	touch $@

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $(VENV)/.installed-run $@

setup-run: $(VENV)/.installed-run

setup: $(VENV)/.installed

migrate: setup-run
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed --demo

# Without REDIS_URL jobs run in-process; with it, `serve` starts an RQ worker beside the web server.
run: seed
	$(FLASK) serve --host 127.0.0.1 --port $(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# ruff (lint + import order) over the tree, mypy over core/; both configured in pyproject.toml.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/bench_clock.py
	$(BIN)/python bench/bench_sweep.py
	$(BIN)/python bench/bench_hotline.py
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/bench_reports.py
	$(BIN)/python bench/bench_masking.py

clean:
	rm -rf $(VENV) .pytest_cache
