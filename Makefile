# Amparo — the two commands are `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.amparo-installed

.PHONY: setup demo test lint messages clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock 2>&1 | { grep -v "^WARNING: Location" || true; }
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e . 2>&1 | { grep -v "^WARNING: Location" || true; }
	@$(BIN)/python -c "import amparo, django"
	@touch $(STAMP)
	@echo "Amparo environment ready in $(VENV)/"

demo: setup
	@$(BIN)/amparo demo

test: setup
	@$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/mypy amparo config

messages: setup
	@$(BIN)/amparo messages

clean:
	rm -rf $(VENV) var/
