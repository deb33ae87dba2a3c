# Two commands for a newcomer: `make run` and `make test`.
#   make run                                  demo claims -> output/
#   make run INPUT_DIR=path OUTPUT_DIR=path VARS='{...}'   your own files
#   make test                                 lint, dbt build, pytest
#   make daily INPUT_DIR=path                 add a day's files to the last run
#   make test-postgres                        the same build on PostgreSQL
#   make test-spark                           the same build on local Spark
#   make bench                                1M and 10M lines, timed
#   make bench-spill                          100M lines in bounded memory

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INPUT_DIR ?=
OUTPUT_DIR ?= output
VARS ?= {}
STAMP := $(VENV)/.installed

.PHONY: run daily test lint venv clean

# Passed to the recipes through the environment, so that quotes or
# semicolons in a value stay text and never reach the shell as code.
export INPUT_DIR OUTPUT_DIR VARS

$(STAMP): requirements.txt requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check \
		-r requirements.txt -c requirements.lock
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m infusion_edits.cli run --input-dir "$$INPUT_DIR" \
		--output-dir "$$OUTPUT_DIR" --vars "$$VARS"

daily: $(STAMP)
	$(BIN)/python -m infusion_edits.cli run --daily --input-dir "$$INPUT_DIR" \
		--output-dir "$$OUTPUT_DIR" --vars "$$VARS"

lint: $(STAMP)
	$(BIN)/ruff check infusion_edits pytests scripts
	$(BIN)/ruff format --check infusion_edits pytests scripts
	$(BIN)/sqlfluff lint models tests analyses
	$(BIN)/sqlfluff lint --config sqlfluff-daily.cfg models tests
	$(BIN)/python -m infusion_edits.line_length

test: lint
	$(BIN)/python -m infusion_edits.cli run \
		--output-dir build/test-output \
		--database target/test.duckdb
	$(BIN)/pytest

clean:
	rm -rf target build output logs

include mk/postgres.mk
include mk/spark.mk
include mk/bench.mk
