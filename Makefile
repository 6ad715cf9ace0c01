# minutes — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

run: install
	$(BIN)/minutes run data/raw --out data/out

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check pipeline extractors tests
	$(BIN)/mypy pipeline extractors

clean:
	rm -rf $(VENV) data/out
