#!/usr/bin/env bash
# Install the course hub's software on one Debian 12 machine (run as root; idempotent).
#
#   deploy/hub/install.sh [PREFIX]        PREFIX defaults to /opt/nn-course
#
# What it does, each step only when needed:
#   1. Debian packages: python3-venv (the environment), bubblewrap (the grading sandbox),
#      nodejs + npm (configurable-http-proxy) when node is missing.
#   2. PREFIX/env: ONE Python environment for the hub, every student, the instructors and
#      the grader account, built from Debian's /usr/bin/python3 (a normal user cannot run
#      an interpreter kept in root's home) and readable by everyone: JupyterHub, JupyterLab,
#      nbgrader, the student package nnlib and the instructor package nngrader.
#   3. PREFIX/proxy: configurable-http-proxy from npm (the Jupyter project's proxy).
#   4. PREFIX/env/etc/jupyter: nbgrader's exchange and course for every user of the
#      environment (the Assignments tab reads them from there); formgrader, the course list
#      and "create assignment" are switched off for everyone: the grader account switches
#      formgrader back on for itself (deploy/hub/course.sh).
set -euo pipefail

PREFIX=${1:-/opt/nn-course}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON=/usr/bin/python3

[ "$(id -u)" = 0 ] || { echo "install.sh: run as root (it installs Debian packages and a shared environment)" >&2; exit 1; }

need_apt=()
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
command -v bwrap >/dev/null || need_apt+=(bubblewrap)
if [ "${NN_WITH_PROXY:-1}" = 1 ]; then      # NN_WITH_PROXY=0: a course image (deploy/k8s/)
    command -v node >/dev/null || need_apt+=(nodejs npm)
    command -v npm >/dev/null || need_apt+=(npm)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "install.sh: apt-get install ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

umask 022                                   # everything below is readable by every user
mkdir -p "$PREFIX"
if [ ! -x "$PREFIX/env/bin/python" ]; then
    echo "install.sh: creating $PREFIX/env from $PYTHON"
    "$PYTHON" -m venv "$PREFIX/env"
    "$PREFIX/env/bin/python" -m pip install --quiet --upgrade pip
fi
# The course's own packages are copied (not linked to this checkout): students and the
# grader account read them from the environment, never from an instructor's home.
echo "install.sh: installing JupyterHub and the course packages into $PREFIX/env"
"$PREFIX/env/bin/python" -m pip install --quiet "$REPO/lib[jupyter]" "$REPO[hub]"
# Re-copy the course code even when its version number did not change.
"$PREFIX/env/bin/python" -m pip install --quiet --no-deps --force-reinstall "$REPO/lib" "$REPO"

# configurable-http-proxy 5 needs Node 20; Debian 12's own nodejs is 18, which 4.x supports.
CHP_VERSION="^5"
if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    CHP_VERSION="^4.6"
fi
if [ "${NN_WITH_PROXY:-1}" = 1 ] && [ ! -x "$PREFIX/proxy/node_modules/.bin/configurable-http-proxy" ]; then
    echo "install.sh: npm install configurable-http-proxy@$CHP_VERSION into $PREFIX/proxy"
    mkdir -p "$PREFIX/proxy"
    npm install --silent --no-audit --no-fund --prefix "$PREFIX/proxy" "configurable-http-proxy@$CHP_VERSION"
fi

mkdir -p "$PREFIX/env/etc/jupyter"
cp "$REPO/deploy/hub/global_nbgrader_config.py" "$PREFIX/env/etc/jupyter/nbgrader_config.py"
export PATH="$PREFIX/env/bin:$PATH"
for ext in formgrader course_list; do
    jupyter server extension disable --sys-prefix "nbgrader.server_extensions.$ext" >/dev/null 2>&1
done
for ext in formgrader course-list create-assignment; do
    jupyter labextension disable --level=sys_prefix "@jupyter/nbgrader:$ext" >/dev/null 2>&1
done
# JupyterLab for a class: no news pop-up and no update check (nothing fetched from the
# internet), every cell of a notebook kept in the page (find-in-page sees the whole notebook).
mkdir -p "$PREFIX/env/share/jupyter/lab/settings"
cp "$REPO/deploy/hub/lab_overrides.json" "$PREFIX/env/share/jupyter/lab/settings/overrides.json"
chmod -R a+rX "$PREFIX"
echo "install.sh: done ($PREFIX)"
