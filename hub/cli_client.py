"""How CLI commands talk to a running hub: its REST API with a token."""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any


def hub_url(args: argparse.Namespace) -> str:
    """The URL of the running hub: ``--url``, ``$FIELDHUB_URL``, or localhost:8123."""
    return str(
        getattr(args, "url", None) or os.environ.get("FIELDHUB_URL") or "http://127.0.0.1:8123"
    )


def call_service(args: argparse.Namespace, domain: str, service: str, data: dict[str, Any]) -> int:
    """POST /api/services/{domain}/{service}; print the outcome; return an exit code."""
    token = getattr(args, "token", None) or os.environ.get("FIELDHUB_TOKEN")
    if not token:
        print(
            "error: give --token or set FIELDHUB_TOKEN (create one with 'hub token create')",
            file=sys.stderr,
        )
        return 2
    url = f"{hub_url(args).rstrip('/')}/api/services/{domain}/{service}"
    request = urllib.request.Request(
        url,
        data=json.dumps(data).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
    except urllib.error.HTTPError as err:
        print(f"error: {err.code} {err.read().decode(errors='replace')}", file=sys.stderr)
        return 1
    except urllib.error.URLError as err:
        print(f"error: cannot reach the hub at {url}: {err.reason}", file=sys.stderr)
        return 1
    print(f"{domain}.{service} done")
    return 0
