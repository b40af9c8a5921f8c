#!/usr/bin/env bash
# Install what is needed, then run linters, the type checker and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
echo "== ruff"
.venv/bin/ruff check hub integrations tests scripts
.venv/bin/ruff format --check hub integrations tests scripts
echo "== mypy"
.venv/bin/mypy hub
echo "== pytest"
.venv/bin/python -m pytest tests docs/integration-authors/example-plugin/tests "$@"
