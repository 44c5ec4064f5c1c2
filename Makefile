# Pulso: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint airflow bench clean

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.txt -e .
	@touch $(STAMP)

install: $(STAMP)

## The main job end to end on the demo entity (SQLite, sample data, reports, local outbox).
demo: install
	@$(BIN)/pulso demo

## The test suite (SQLite and the local PostgreSQL, a local SMTP server, headless Chromium).
test: install
	$(BIN)/ruff check .
	$(BIN)/pytest -q -p no:cacheprovider

lint: install
	$(BIN)/ruff check .

## Airflow with the project's DAGs and plugin at http://127.0.0.1:8080 (PostgreSQL; PULSO_METADATA_DB=sqlite for SQLite).
airflow: install
	$(BIN)/python -m pulso.dev.local_airflow

bench: install
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf var .airflow
