# Thin targets; each one idea. `make demo` and `make test` set up .venv on first run.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: setup browser sandbox lab demo test test-portable test-fast build release bench

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

lab: setup                         ## JupyterLab on the course (students: open notebooks/)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=.

demo: setup sandbox                ## the main job: grade sample submissions, print the table
	$(BIN)/nngrader demo

test: setup browser sandbox        ## the whole test suite (what CI runs), then the portability run
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory test-portable

# Another BLAS kernel family and no optional SIMD path: outputs nbval compares must not change,
# nor what the sources build. The check fails when the variables did not take effect.
PORTABLE_ENV = OPENBLAS_CORETYPE=Prescott \
               NPY_DISABLE_CPU_FEATURES="$$($(BIN)/python tools/check_numeric_paths.py --dispatched)"

test-portable: setup               ## nbval and the notebook-source checks on other numeric paths
	$(PORTABLE_ENV) $(BIN)/python tools/check_numeric_paths.py --check-forced
	$(PORTABLE_ENV) $(BIN)/python -m pytest solutions tests/test_build.py

test-fast: setup                   ## the quick subset: no notebook runs, no autograding
	$(BIN)/python -m pytest -m "not slow" -n 0

build: setup                       ## course/ sources -> solutions/ (executed) -> notebooks/
	$(BIN)/nngrader build

release: setup                     ## regenerate notebooks/ from solutions/, build the student bundles
	$(BIN)/nngrader release

bench: setup                       ## seconds per solution notebook
	$(BIN)/nngrader bench
