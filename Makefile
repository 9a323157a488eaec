# DPI Atlas. The README's commands: `make run` (dashboard), `make test` (every test) and
# `make serve` (the production set-up: nginx in front of one streamlit process per core).
# All start from nothing: they create .venv, install what they need and build what is missing.
# Offline? Point the ETL at a mirror of the upstream files: `make run DPI_MIRROR=/path/to/mirror`.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
DB := $(or $(DPI_DB),data/dpi.duckdb)
PYTEST_ARGS ?=
NO_TESTS_OK ?=
PORT ?= 8080
HOST ?= 0.0.0.0
REPLICAS ?=

.PHONY: help venv install install-dev data run serve chromium nginx test lint format bench \
  bench-load rehearse clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) \
	  | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# --- environment ------------------------------------------------------------------------------

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
	  echo "DPI Atlas needs Python 3.11, '$(PYTHON)' is not: make ... PYTHON=python3.11" >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)

# uv installs ~9x faster than pip; if it cannot be had, pip does the same job.
# (A .venv made by `uv venv` has no pip: ensurepip brings it, offline.)
$(BIN)/uv: | $(BIN)/python
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --default-pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION) \
	  || echo "warning: could not install uv; installing with pip instead (slower)"

define install_requirements
	if [ -x $(BIN)/uv ]; then \
	  $(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode -r $(1); \
	else \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(1); \
	fi
	touch $@
endef

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/uv
	$(call install_requirements,requirements.txt)

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/uv
	$(call install_requirements,requirements-dev.txt)

venv: $(BIN)/uv  ## create .venv (with uv in it)

install: $(VENV)/.installed-runtime  ## install the runtime requirements into .venv

install-dev: $(VENV)/.installed-dev  ## install runtime + test/lint requirements into .venv

# --- data and app -----------------------------------------------------------------------------

data: install  ## build the warehouse (DPI_DB, default data/dpi.duckdb) if it is missing
	@if [ -f "$(DB)" ]; then \
	  echo "$(DB) exists (delete it or run '$(BIN)/python -m etl build' to rebuild)"; \
	else \
	  $(BIN)/python -m etl build --db "$(DB)"; \
	fi

run: data  ## start the dashboard on http://localhost:8501
	DPI_DB="$(DB)" $(BIN)/streamlit run atlas/server.py --server.address 127.0.0.1

# nginx on HOST:PORT in front of REPLICAS streamlit processes (default: one per core) on
# loopback ports, all reading DPI_DB; Ctrl-C stops everything (scripts/serve.py).
serve: data nginx  ## production: nginx on PORT (8080) in front of one streamlit per core
	DPI_DB="$(DB)" $(BIN)/python scripts/serve.py --port "$(PORT)" --host "$(HOST)" \
	  $(if $(REPLICAS),--replicas "$(REPLICAS)")

# --- checks -----------------------------------------------------------------------------------

chromium:  ## install Debian's chromium for the browser tests, if missing
	@bash scripts/install_debian.sh chromium

nginx:  ## install Debian's nginx for make serve, if missing
	@bash scripts/install_debian.sh nginx

test: install-dev chromium nginx  ## run every test (unit, integration, app, browser, serve)
	@rc=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ] && [ -n "$(NO_TESTS_OK)" ]; then \
	  echo "warning: pytest collected no tests"; rc=0; \
	fi; \
	exit $$rc

lint: install-dev  ## ruff check + ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev data chromium  ## time the ETL and the app
	$(BIN)/python bench/etl.py
	$(BIN)/python bench/app.py

bench-load: install-dev data nginx  ## fresh visitors at once: one process, then make serve
	$(BIN)/python bench/load.py --db "$(DB)"
	$(BIN)/python bench/load.py --db "$(DB)" --serve "$(or $(REPLICAS),$(shell nproc))"

rehearse: install-dev data chromium  ## walk a deck's slides offline in Chromium (DECK=file.toml)
	DPI_DB="$(DB)" $(BIN)/python -m atlas.present.rehearse --deck "$(or $(DECK),data/decks/global-story.toml)"

clean:  ## remove test artifacts and tool caches (keeps .venv, data and the warehouse)
	rm -rf test-artifacts .pytest_cache .ruff_cache
