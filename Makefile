PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-compat lint docs bench bench-quick soak clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# The optional sweeps engine (bayes, hyperband) for its tests. Its numpy<2 pin cannot
	# resolve beside pandas 3, which the dev extra has; it runs on numpy 2, so it goes in
	# without its pins, with the rest of what it needs.
	$(BIN)/python -m pip install --quiet --no-deps 'sweeps>=0.3'
	$(BIN)/python -m pip install --quiet scipy scikit-learn jsonschema jsonref
	touch $(STAMP)

## Start the emulator on 127.0.0.1:8080 (in memory) with a seeded demo project.
run: $(STAMP)
	$(BIN)/wandb-emulator serve --host 127.0.0.1 --port 8080 --seed 0 --entity demo --project demo-project --artifacts --sweeps 2

## Run the whole test suite (the linters and the docs build first).
test: $(STAMP) docs
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 -q

## Run the real-SDK scenario suite under each wandb release of the matrix against one
## emulator; venvs are cached in $${XDG_CACHE_HOME:-~/.cache}/wandb-emulator/compat.
## Writes docs/compatibility.md.
test-compat: $(STAMP)
	$(BIN)/python -m compat

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Build the docs site into site/; --strict fails on broken links, anchors and pages
## missing from the nav (not --quiet: it would hide those warnings from --strict).
## NO_MKDOCS_2_WARNING silences mkdocs-material's banner about its successor.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

## The full soak (32 real SDK loggers x 5,000 steps and 8 readers against one
## `serve --data-dir`; minutes): prints and writes bench-results/soak-full.json.
## `make test` runs a short version of it.
soak: $(STAMP)
	WANDB_EMULATOR_SOAK=full $(BIN)/python -m pytest -q -p no:xdist tests/reliability/test_soak.py

## Full benchmark suite (minutes); bench-quick finishes in under a minute.
## The packages are byte-compiled first, as an installed package is.
bench: $(STAMP)
	$(BIN)/python -m compileall -q emulator client fixtures
	$(BIN)/python -m benchmarks

bench-quick: $(STAMP)
	$(BIN)/python -m compileall -q emulator client fixtures
	$(BIN)/python -m benchmarks --quick

clean:
	rm -rf $(VENV) build site *.egg-info .pytest_cache .ruff_cache
