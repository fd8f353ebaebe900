# Thin targets; each one idea. `make demo` and `make test` set up .venv on first run.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: setup lab demo test test-fast release bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed          ## the virtual environment, with nnlib and the dev tools

lab: setup                         ## JupyterLab on the course (students: open notebooks/)
	$(BIN)/jupyter lab --notebook-dir=.

demo: setup                        ## the main job: grade sample submissions, print the table
	$(BIN)/python -m nnlib.demo

test: setup                        ## the whole test suite (what CI runs)
	$(BIN)/python -m pytest

test-fast: setup                   ## the quick subset: no notebook runs, no autograding
	$(BIN)/python -m pytest -m "not slow" -n 0

release: setup                     ## regenerate notebooks/ from solutions/
	$(BIN)/python -m nnlib.release

bench: setup                       ## seconds per solution notebook
	$(BIN)/python -m nnlib.bench
