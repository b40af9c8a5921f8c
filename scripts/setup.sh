#!/usr/bin/env bash
# Install everything Fieldhub needs on a Debian machine with Python 3.11.
#   scripts/setup.sh run    - what the hub and its demo need
#   scripts/setup.sh test   - that plus the test tools and the real servers the tests start
# System packages are installed with apt-get when running as root; the Python packages go
# into .venv; the web UI is built with npm when its sources are present.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-run}"

apt_wanted() {
    local files=(scripts/apt-packages-run.txt)
    if [ "$MODE" = "test" ]; then
        files+=(scripts/apt-packages-test.txt)
        [ -f firmware/tank_node/test/apt-packages.txt ] && files+=(firmware/tank_node/test/apt-packages.txt)
        [ -f frontend/apt-packages.txt ] && files+=(frontend/apt-packages.txt)
    fi
    cat "${files[@]}" 2>/dev/null | sed 's/#.*//' | awk 'NF' | sort -u
}

install_system_packages() {
    local missing=()
    for pkg in $(apt_wanted); do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: missing system packages (${missing[*]}); run as root to install them" >&2
        return 0
    fi
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python() {
    local python="${PYTHON:-python3}"
    if [ ! -x .venv/bin/python ]; then
        "$python" -m venv .venv
        .venv/bin/pip install -q --upgrade pip
    fi
    if [ "$MODE" = "test" ]; then
        .venv/bin/pip install -q -e ".[test]"
    else
        .venv/bin/pip install -q -e .
    fi
    # The sample third-party plugin: the demo's test signal, and what CI proves outsiders can do.
    .venv/bin/pip install -q -e docs/integration-authors/example-plugin
}

build_ui() {
    [ -f frontend/package.json ] || return 0
    if ! command -v npm >/dev/null && [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    fi
    command -v npm >/dev/null || { echo "setup: npm not found; the web UI is not built" >&2; return 1; }
    if [ ! -f hub/http/static/index.html ] || [ -n "$(find frontend/src frontend/package.json -newer hub/http/static/index.html 2>/dev/null | head -1)" ]; then
        # npm ci refuses a lock file without other platforms' optional packages (rollup's native
        # builds); npm install then resolves the same locked versions for this platform.
        (cd frontend \
            && { npm ci --no-audit --no-fund --loglevel=error 2>/dev/null \
                 || npm install --no-audit --no-fund --loglevel=error; } \
            && npm run build --silent)
    fi
}

install_system_packages
install_python
build_ui
