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

# When the Python that makes the venv has pip (≥ 22.3: `--python`), that pip installs into a venv made without
# its own copy (saves the ~8 s ensurepip takes); otherwise the venv gets its own pip.
OUTER_PIP := $(shell $(PYTHON) -m pip --python "$$($(PYTHON) -c 'import sys; print(sys.executable)')" --version >/dev/null 2>&1 && echo yes)
ifeq ($(OUTER_PIP),yes)
PIP := $(PYTHON) -m pip --python $(BIN)/python
VENV_ARGS := --without-pip
else
PIP := $(BIN)/python -m pip
VENV_ARGS :=
endif
PIP_INSTALL := $(PIP) install --disable-pip-version-check -q

$(BIN)/python:
	$(PYTHON) -m venv $(VENV_ARGS) $(VENV)

# `make run` installs only what serves (requirements.txt); `make test`/`make lint` add the test and lint
# tooling (requirements-dev.txt: Playwright, Schemathesis, Hypothesis, ruff, mypy …). Nothing is byte-compiled
# at install (--no-compile: ~10 s for files never imported); the first command that starts the service, `db
# upgrade`, writes the bytecode of exactly the modules it imports, even where PYTHONDONTWRITEBYTECODE is set
# (PYTHONDONTWRITEBYTECODE= : empty, so unset for Python), and the commands after it start from that.
$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(PIP_INSTALL) --no-compile -r requirements.txt
	touch $@

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $(VENV)/.installed-run $@

setup-run: $(VENV)/.installed-run

setup: $(VENV)/.installed

migrate: setup-run
	PYTHONDONTWRITEBYTECODE= $(FLASK) db upgrade

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
	$(BIN)/python bench/bench_intake.py
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/bench_public.py
	$(BIN)/python bench/bench_reports.py
	$(BIN)/python bench/bench_masking.py
	$(BIN)/python bench/bench_replica.py

clean:
	rm -rf $(VENV) .pytest_cache
