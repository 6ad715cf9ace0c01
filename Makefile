# minutes — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Debian packages: Tesseract with its Norwegian model reads scanned PDFs; LibreOffice Calc and
# poppler render the workbook in the tests. Installed when missing and we may (root with apt-get);
# otherwise a note says what to install, and the features that need them report it.
DEBIAN_PACKAGES := tesseract-ocr tesseract-ocr-nor tesseract-ocr-eng libreoffice-calc poppler-utils

.PHONY: install system-deps run test lint bench clean

install: system-deps $(STAMP)

system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian packages:$$missing"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing) >/dev/null \
		|| echo "note: could not install$$missing; scanned PDFs and the workbook render test need them"; \
	else echo "note: missing Debian packages:$$missing (sudo apt-get install$$missing)"; fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev,bench]'
	touch $(STAMP)

run: install
	$(BIN)/minutes run data/raw --out data/out

test: install
	$(BIN)/python -m pytest

# All figures on a 1000-document archive, RSS growth 1000 -> 5000 documents; the first run makes the
# archives (some minutes). Quicker: `make bench BENCH_ARGS="--docs 200 --growth '' --skip excel"`.
BENCH_ARGS ?=
bench: install
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check pipeline extractors tests
	$(BIN)/mypy pipeline extractors
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) data/out
