"""``hub ota keygen``, ``hub ota sign`` and ``hub ota upload``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from .signing import generate_key, load_private_key, sign_image


def _configure_keygen(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("ota-publisher"), help="file prefix")


def _keygen(args: argparse.Namespace) -> int:
    private_path = args.out.with_suffix(".pem")
    if private_path.exists():
        print(f"error: {private_path} exists; choose another --out", file=sys.stderr)
        return 1
    pem, public = generate_key()
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    args.out.with_suffix(".pub").write_text(public + "\n")
    print(f"private key: {private_path} (keep it secret)")
    print("add to configuration.yaml:\n  ota:\n    publisher_keys:")
    print(f"      - {public}")
    return 0


def _configure_sign(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("image", type=Path, help="firmware image (.bin or .bin.gz)")
    parser.add_argument("--key", type=Path, required=True, help="private key from 'hub ota keygen'")
    parser.add_argument("--out", type=Path, help="signature file (default: IMAGE.sig)")


def _sign(args: argparse.Namespace) -> int:
    key = load_private_key(args.key.read_bytes())
    signature = sign_image(key, args.image.read_bytes())
    out = args.out or args.image.with_name(args.image.name + ".sig")
    out.write_text(signature + "\n")
    print(f"{out}: {signature}")
    return 0


def _configure_upload(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("image", type=Path, help="firmware image")
    parser.add_argument("--model", required=True, help="device model the image is for")
    parser.add_argument("--version", required=True, help="semantic version, e.g. 1.4.0")
    parser.add_argument(
        "--signature", required=True, help="base64 signature, or a file written by 'hub ota sign'"
    )
    parser.add_argument("--notes", default="", help="release notes")
    parser.add_argument("--url", help="hub URL (default: $FIELDHUB_URL or http://127.0.0.1:8123)")
    parser.add_argument("--token", help="operator access token (default: $FIELDHUB_TOKEN)")


def _upload(args: argparse.Namespace) -> int:
    token = args.token or os.environ.get("FIELDHUB_TOKEN")
    if not token:
        print("error: give --token or set FIELDHUB_TOKEN", file=sys.stderr)
        return 2
    signature = args.signature
    if Path(signature).is_file():
        signature = Path(signature).read_text().strip()
    query = urllib.parse.urlencode(
        {
            "model": args.model,
            "version": args.version,
            "signature": signature,
            "release_notes": args.notes,
            "filename": args.image.name,
        }
    )
    base = args.url or os.environ.get("FIELDHUB_URL") or "http://127.0.0.1:8123"
    request = urllib.request.Request(
        f"{base.rstrip('/')}/api/ota/images?{query}",
        data=args.image.read_bytes(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/octet-stream"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            image = json.loads(response.read())
    except urllib.error.HTTPError as err:
        print(f"error: {err.code} {err.read().decode(errors='replace')}", file=sys.stderr)
        return 1
    except urllib.error.URLError as err:
        print(f"error: cannot reach the hub at {base}: {err.reason}", file=sys.stderr)
        return 1
    print(f"stored {image['model']} {image['version']} as {image['id']} (sha256 {image['sha256']})")
    return 0


def register_commands(register: Callable[..., None]) -> None:
    """Register the ``hub ota`` commands."""
    register("ota keygen", "create an Ed25519 publisher key pair", _configure_keygen, _keygen)
    register("ota sign", "sign a firmware image", _configure_sign, _sign)
    register("ota upload", "upload a signed image to a running hub", _configure_upload, _upload)
