VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin

.PHONY: install run check test bench clean

# The venv is rebuilt whenever pyproject.toml changes.
$(BIN)/creative-intake: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/creative-intake

## With no subcommand: the Slack app when SLACK_BOT_TOKEN is set, the terminal console otherwise.
run: install
	$(BIN)/creative-intake

## Lint, format, strict types and the import contracts (the architecture's dependency rules).
check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python benchmarks/rules_accuracy.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache
