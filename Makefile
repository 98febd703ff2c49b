# Everything a fresh machine needs: `make run` and `make test` set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# Prefect's embedded server lives inside the project, quiet and patient on small machines.
export PREFECT_HOME := $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 90

.PHONY: setup run test bench eval train hostile clean

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade "pip>=24"
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

run: setup
	$(BIN)/qingxi run data/raw --out data/clean

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m tools.bench $(BENCH_ARGS)

# The full-size hostile corpus through one real run: wall time, peak RSS of the process tree, checks.
hostile: setup
	$(BIN)/python -m tools.hostile $(HOSTILE_ARGS)

eval: setup
	$(BIN)/python -m tools.evaluate $(EVAL_ARGS)
	$(BIN)/python -m tools.normeval

# Fit the boilerplate step's line model and list-page threshold on data/gold (tools/train.py).
train: setup
	$(BIN)/python -m tools.train

clean:
	rm -rf data/clean .prefect .pytest_cache
