# Two commands do all the set-up on a fresh machine:
#   make demo   the main job on the bundled example deck (offline)
#   make test   the whole test suite (PostgreSQL too when EVIDENCE_TEST_DATABASE_URL is set)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo serve test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	EVIDENCE_DATABASE_URL=$${EVIDENCE_DATABASE_URL:-sqlite:///demo.db} $(BIN)/evidence demo

serve: $(STAMP)
	EVIDENCE_DATABASE_URL=$${EVIDENCE_DATABASE_URL:-sqlite:///demo.db} $(BIN)/evidence serve

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check evidence api tests bench migrations
	$(BIN)/mypy evidence api

bench: $(STAMP)
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/read_docx.py

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm
