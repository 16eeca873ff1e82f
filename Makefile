# Loket — the two commands a newcomer needs are `make run` and `make test`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test lint typecheck contracts pytest bench clean

$(STAMP): pyproject.toml scripts/system-deps.sh
	@bash scripts/system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

MO := loket/locale/en/LC_MESSAGES/loket.mo

$(MO): loket/locale/en/LC_MESSAGES/loket.po $(STAMP)
	@bash scripts/translations.sh compile

install: $(STAMP) $(MO)

## Start the Loket desktop app on the embedded SQLite database in the user's data folder
## (created on first run, which asks for the office's identity and the first admin).
run: $(STAMP) $(MO)
	@$(BIN)/loket gui

lint: $(STAMP)
	$(BIN)/ruff check loket ui tests bench
	$(BIN)/ruff format --check loket ui tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP) $(MO)
	@bash scripts/cups-pdf-queue.sh  # the CUPS queue tests/ui/test_cups_printing.py prints to
	$(BIN)/pytest -p no:cacheprovider --cov --cov-report=term-missing:skip-covered

## The whole suite: lint, types, import contracts, tests.
test: lint typecheck contracts pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_core.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage $(MO)
