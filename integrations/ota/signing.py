"""Ed25519 publisher keys: the signature covers the raw 32-byte SHA-256 digest of the image."""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SIGNATURE_BYTES = 64


class SignatureError(ValueError):
    """A signature or key that cannot be used."""


def generate_key() -> tuple[bytes, str]:
    """A new publisher key pair: (private key PEM, public key as base64 of the raw 32 bytes)."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem, public_key_text(private.public_key())


def public_key_text(key: Ed25519PublicKey) -> str:
    """The form publisher keys take in ``configuration.yaml``: base64 of the raw key."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    """Read a PEM private key written by :func:`generate_key`."""
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SignatureError("the key is not an Ed25519 private key")
    return key


def load_public_key(text: str) -> Ed25519PublicKey:
    """A publisher key from base64 of the raw 32 bytes, or a PEM public key."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise SignatureError("the PEM key is not an Ed25519 public key")
        return key
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as err:
        raise SignatureError("a publisher key must be base64 or PEM") from err
    if len(raw) != 32:
        raise SignatureError("an Ed25519 public key has 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def sign_digest(key: Ed25519PrivateKey, digest: bytes) -> str:
    """Base64 signature over a SHA-256 digest."""
    return base64.b64encode(key.sign(digest)).decode()


def sign_image(key: Ed25519PrivateKey, image: bytes) -> str:
    """Base64 signature over the SHA-256 digest of ``image``."""
    return sign_digest(key, hashlib.sha256(image).digest())


def decode_signature(text: str) -> bytes:
    """The 64 raw bytes of a base64 signature; raise :class:`SignatureError` otherwise."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as err:
        raise SignatureError("the signature is not base64") from err
    if len(raw) != SIGNATURE_BYTES:
        raise SignatureError(f"an Ed25519 signature has {SIGNATURE_BYTES} bytes")
    return raw


def verify_digest(keys: list[Ed25519PublicKey], digest: bytes, signature: str) -> bool:
    """True when one of ``keys`` signed ``digest``."""
    try:
        raw = decode_signature(signature)
    except SignatureError:
        return False
    for key in keys:
        try:
            key.verify(raw, digest)
        except InvalidSignature:
            continue
        return True
    return False
