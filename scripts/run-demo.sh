#!/usr/bin/env bash
# Install what is needed, then run the hub with the demo configuration in config/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
exec .venv/bin/hub run -c config "$@"
