# Thin targets; each one idea. `make demo` and `make test` set up .venv on first run.
# Debian's Python when there is one: a venv built from it runs for every user (the grader
# account, a TA), unlike one built from a Python in root's home folder.
PYTHON ?= $(shell [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo python3)
VENV   := .venv
BIN    := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)
# `make lab PORT=8899 BROWSER=no`
PORT    ?= 8888
BROWSER ?= yes
# The ordinary user `make test` creates (when root) to run the sandbox tests without root.
TEST_USER ?= nngrader-ci

.PHONY: setup browser sandbox hub-install hub lab demo test test-portable test-as-user test-fast build release bench

$(VENV)/.installed: pyproject.toml lib/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e './lib[jupyter]' -e '.[dev]'
	chmod -R a+rX $(VENV)
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

lab: setup                         ## JupyterLab on the course (students: open notebooks/); PORT=, BROWSER=no
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=. --ServerApp.port=$(PORT) \
	  $(if $(filter no,$(BROWSER)),--no-browser) $(if $(filter 0,$(shell id -u)),--allow-root)

demo: setup sandbox                ## the main job: grade sample submissions, print the table
	$(BIN)/nngrader demo

test: setup browser sandbox hub-install ## the whole test suite (what CI runs): root, then an ordinary user, then other numeric paths
	$(BIN)/python -m pytest -m "not as_user"
	$(MAKE) --no-print-directory test-as-user
	$(MAKE) --no-print-directory test-portable

test-as-user: setup sandbox        ## the class workflow and the hostile subset as an ordinary user (created when root)
	bash tools/test-as-user $(TEST_USER)

# Another BLAS kernel family and no optional SIMD path: outputs nbval compares must not change,
# nor what the sources build. The check fails when the variables did not take effect.
PORTABLE_ENV = OPENBLAS_CORETYPE=Prescott \
               NPY_DISABLE_CPU_FEATURES="$$($(BIN)/python tools/check_numeric_paths.py --dispatched)"

test-portable: setup               ## nbval and the notebook-source checks on other numeric paths
	$(PORTABLE_ENV) $(BIN)/python tools/check_numeric_paths.py --check-forced
	$(PORTABLE_ENV) $(BIN)/python -m pytest solutions tests/grader/test_build.py

test-fast: setup                   ## the quick subset: no notebook runs, no autograding
	$(BIN)/python -m pytest -m "not slow" -n 0

build: setup                       ## course/ sources -> solutions/ (executed) -> notebooks/
	$(BIN)/nngrader build

release: setup                     ## regenerate notebooks/ from solutions/, build the student bundles
	$(BIN)/nngrader release

bench: setup                       ## seconds per solution notebook
	$(BIN)/nngrader bench
