# Amparo — the two commands are `make demo` and `make test`.
# They need only Python 3.11+ and git: the virtualenv is made from requirements-dev.lock (the
# runtime lock, requirements.lock, plus the test and lint tools). Production installs
# requirements.lock alone (see README, "Running in production").
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.amparo-installed
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
IS_311 := -c 'import sys; sys.exit(sys.version_info < (3, 11))'
# The first Python 3.11+ on the PATH (override with `make PYTHON=/path/to/python3.12`).
PYTHON ?= $(firstword $(foreach p,python3 python3.13 python3.12 python3.11,$(shell command -v $(p) >/dev/null 2>&1 && $(p) $(IS_311) 2>/dev/null && echo $(p))))

.PHONY: setup demo test lint messages clean

setup: $(STAMP)

$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	@if ! { test -x $(BIN)/python && $(BIN)/python $(IS_311); }; then \
	  if [ -z "$(PYTHON)" ] || ! $(PYTHON) $(IS_311) 2>/dev/null; then \
	    echo "Amparo needs Python 3.11 or newer: install it, or run make PYTHON=/path/to/python3.11" >&2; exit 1; \
	  fi; \
	  rm -rf $(VENV); \
	  $(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV)/ (on Debian or Ubuntu: apt-get install python3-venv)" >&2; exit 1; }; \
	fi
	@$(PIP) install --require-hashes -r requirements-dev.lock 2>&1 | { grep -v "^WARNING: Location" || true; }
	@$(PIP) install --no-deps -e . 2>&1 | { grep -v "^WARNING: Location" || true; }
	@$(BIN)/python -c "import amparo, django"
	@touch $(STAMP)
	@echo "Amparo environment ready in $(VENV)/"

demo: setup
	@tools/ensure-fonts.sh
	@$(BIN)/amparo demo $(DEMO_ARGS)

# In parallel (one worker per core) with the slowest tests listed; PYTEST_ARGS adds to or
# overrides these, e.g. make test PYTEST_ARGS="-n 0 tests/cases".
PYTEST_ARGS ?=
test: setup
	@tools/ensure-fonts.sh
	@browser=$$(tools/ensure-browser.sh $(BIN)) || exit 1; \
	  AMPARO_CHROMIUM="$$browser" $(BIN)/python -m pytest -n auto --durations=20 $(PYTEST_ARGS)

lint: setup
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/mypy amparo config
	@PYTHONPATH=. $(BIN)/lint-imports

messages: setup
	@$(BIN)/amparo messages

clean:
	rm -rf $(VENV) var/
