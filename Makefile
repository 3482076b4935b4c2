PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-compat lint bench bench-quick clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Start the emulator on 127.0.0.1:8080 (in memory) with a seeded demo project.
run: $(STAMP)
	$(BIN)/wandb-emulator serve --host 127.0.0.1 --port 8080 --seed 0 --entity demo --project demo-project --artifacts

## Run the whole test suite.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 -q

## Run the real-SDK scenario suite under each wandb release of the matrix against one
## emulator; venvs are cached in $${XDG_CACHE_HOME:-~/.cache}/wandb-emulator/compat.
## Writes docs/compatibility.md.
test-compat: $(STAMP)
	$(BIN)/python -m compat

lint: $(STAMP)
	$(BIN)/ruff check .

## Full benchmark suite (minutes); bench-quick finishes in under a minute.
## The packages are byte-compiled first, as an installed package is.
bench: $(STAMP)
	$(BIN)/python -m compileall -q emulator client fixtures
	$(BIN)/python -m benchmarks

bench-quick: $(STAMP)
	$(BIN)/python -m compileall -q emulator client fixtures
	$(BIN)/python -m benchmarks --quick

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
