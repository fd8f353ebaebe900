# Thin targets; each one idea. `make demo` and `make test` set up .venv on first run.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: setup browser sandbox hub-install hub lab demo test test-fast release bench

$(VENV)/.installed: pyproject.toml lib/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e './lib[jupyter]' -e '.[dev]'
	touch $@

setup: $(VENV)/.installed          ## the virtual environment: nnlib (students), nngrader (instructors), dev tools

browser:                           ## Debian's chromium for the browser test (installed when root, as in CI)
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || echo "chromium is missing and this is not root: the browser test will be skipped"

sandbox:                           ## Debian's bubblewrap: autograding runs student code in it (installed when root)
	@command -v bwrap >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; } \
	  || echo "bubblewrap is missing and this is not root: autograding will refuse to run student code"

# The course hub's shared environment (deploy/hub/install.sh): JupyterHub, configurable-http-proxy,
# the course packages, from Debian's python3, readable by every user. Re-run when the code changes.
HUB_PREFIX ?= /opt/nn-course
export NN_HUB_PREFIX := $(HUB_PREFIX)
HUB_SOURCES := pyproject.toml lib/pyproject.toml $(wildcard deploy/hub/*) $(shell find lib -name '*.py' -o -name '*.tsv')
$(HUB_PREFIX)/.installed: $(HUB_SOURCES)
	deploy/hub/install.sh $(HUB_PREFIX)
	touch $@

hub-install:                       ## the hub's shared environment (root); `make test` needs it for the hub tests
	@if [ "$$(id -u)" = 0 ]; then $(MAKE) --no-print-directory $(HUB_PREFIX)/.installed; \
	  else echo "not root: the course hub is not installed and the hub tests will be skipped"; fi

hub: sandbox hub-install           ## the course hub on 127.0.0.1 with demo users (Ctrl-C stops it)
	deploy/hub/demo.sh

lab: setup                         ## JupyterLab on the course (students: open notebooks/)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=.

demo: setup sandbox                ## the main job: grade sample submissions, print the table
	$(BIN)/nngrader demo

test: setup browser sandbox hub-install        ## the whole test suite (what CI runs)
	$(BIN)/python -m pytest

test-fast: setup                   ## the quick subset: no notebook runs, no autograding
	$(BIN)/python -m pytest -m "not slow" -n 0

release: setup                     ## regenerate notebooks/ from solutions/
	$(BIN)/nngrader release

bench: setup                       ## seconds per solution notebook
	$(BIN)/nngrader bench
