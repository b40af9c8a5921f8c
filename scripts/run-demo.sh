#!/usr/bin/env bash
# Install what is needed, then run the hub with the demo configuration in config/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
if .venv/bin/hub user list -c config | grep -q "^No users"; then
    # No default password: the demo's first administrator gets a random one, shown once.
    password="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')"
    printf '%s\n' "$password" | .venv/bin/hub user add admin --role admin -c config >/dev/null
    echo "Demo administrator created: user 'admin', password '$password' (shown only now)."
fi
echo "Open http://localhost:8123 once the hub says it is running."
exec .venv/bin/hub run -c config "$@"
