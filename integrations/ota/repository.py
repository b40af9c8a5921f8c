"""The firmware repository: checked uploads stored under ``<config>/ota/``, listed, deleted.

An upload streams into a temporary file while it is hashed and counted (file work runs in an
executor); nothing is kept unless every check passes: file name, size limit, magic bytes,
the model's OTA slot, the app descriptor's project name and version, and the publisher's
Ed25519 signature over the SHA-256 digest.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hub.api import Clock

from . import const as c
from .image import HEADER_BYTES, ImageError, check_image, inspect_header
from .models import Image
from .signing import SignatureError, decode_signature, verify_digest
from .store import OtaStore

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,127}")


@dataclass(frozen=True, slots=True)
class UploadMeta:
    """What the uploader says about an image."""

    model: str
    version: str
    signature: str
    release_notes: str = ""
    filename: str | None = None


def check_filename(name: str | None) -> None:
    """Refuse file names that try to leave the folder or hide (``../x``, ``a/b``, ``.x``)."""
    if name is None:
        return
    if ".." in name or "/" in name or "\\" in name or not _SAFE_NAME.fullmatch(name):
        raise ImageError("filename", f"file name {name!r} is not allowed")


class Repository:
    """Images by id, their files, and the checks uploads must pass."""

    def __init__(
        self,
        folder: Path,
        store: OtaStore,
        clock: Clock,
        *,
        keys: list[Ed25519PublicKey],
        models: dict[str, dict[str, Any]],
        max_size: int,
    ) -> None:
        self.folder = folder
        self._store = store
        self._clock = clock
        self._keys = keys
        self._models = models
        self._max_size = max_size
        self._images: dict[str, Image] = {}
        self.on_change: Callable[[str], None] = lambda model: None

    def load(self, images: list[Image]) -> None:
        """Take the images read from the database."""
        self._images = {image.id: image for image in images}

    def get(self, image_id: str) -> Image | None:
        """An image by id."""
        return self._images.get(image_id)

    def images(self, model: str | None = None) -> list[Image]:
        """Images, newest upload first."""
        found = [i for i in self._images.values() if model is None or i.model == model]
        return sorted(found, key=lambda i: i.uploaded_at, reverse=True)

    def find(self, model: str, version: str) -> Image | None:
        """The image of ``model`` at ``version``."""
        for image in self._images.values():
            if image.model == model and image.version == version:
                return image
        return None

    def path(self, image: Image) -> Path:
        """Where the image's bytes are."""
        return self.folder / image.filename

    async def add(self, meta: UploadMeta, chunks: AsyncIterator[bytes], user: str) -> Image:
        """Check and store an upload; raise :class:`ImageError` naming the failed check."""
        check_filename(meta.filename)
        settings = self._models.get(meta.model)
        if settings is None:
            raise ImageError("model", f"model {meta.model!r} is not configured under ota: models")
        if self.find(meta.model, meta.version) is not None:
            raise ImageError("exists", f"{meta.model} {meta.version} is already stored")
        try:
            decode_signature(meta.signature)
        except SignatureError as err:
            raise ImageError("signature", str(err)) from err
        limit = min(self._max_size, settings[c.CONF_SLOT_SIZE])
        image_id = uuid.uuid4().hex
        final = self.folder / f"{image_id}.bin"
        partial = self.folder / f"{image_id}.part"
        loop = asyncio.get_running_loop()
        try:
            header, digest, size = await self._receive(partial, chunks, limit, settings)
            info = inspect_header(header, settings[c.CONF_CHIP])
            check_image(
                info,
                size=size,
                slot_size=settings[c.CONF_SLOT_SIZE],
                project_name=settings.get(c.CONF_PROJECT_NAME, meta.model),
                version=meta.version,
            )
            if not self._keys:
                raise ImageError("signature", "no publisher key is configured")
            if not verify_digest(self._keys, digest, meta.signature):
                raise ImageError("signature", "the signature does not match a publisher key")
            await loop.run_in_executor(None, partial.replace, final)
        finally:
            await loop.run_in_executor(None, lambda: partial.unlink(missing_ok=True))
        descriptor = info.descriptor
        image = Image(
            id=image_id,
            model=meta.model,
            version=meta.version,
            sha256=digest.hex(),
            size=size,
            signature=meta.signature.strip(),
            format=str(info.format),
            project_name=descriptor.project_name if descriptor else None,
            idf_version=descriptor.idf_version if descriptor else None,
            release_notes=meta.release_notes,
            filename=final.name,
            uploaded_by=user,
            uploaded_at=self._clock.time(),
        )
        try:
            await self._store.add_image(image)
        except Exception:
            await loop.run_in_executor(None, lambda: final.unlink(missing_ok=True))
            raise
        self._images[image.id] = image
        self.on_change(image.model)
        return image

    async def _receive(
        self,
        partial: Path,
        chunks: AsyncIterator[bytes],
        limit: int,
        settings: dict[str, Any],
    ) -> tuple[bytes, bytes, int]:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, lambda: self.folder.mkdir(parents=True, exist_ok=True))
        handle: BinaryIO = await loop.run_in_executor(None, partial.open, "xb")
        hasher = hashlib.sha256()
        header = b""
        size = 0
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise ImageError(
                        "size", f"the image exceeds {limit} bytes (OTA slot or upload limit)"
                    )
                if len(header) < HEADER_BYTES:
                    header += chunk[: HEADER_BYTES - len(header)]
                    inspect_header(header, settings[c.CONF_CHIP])
                await loop.run_in_executor(None, _write_hash, handle, hasher, chunk)
        finally:
            await loop.run_in_executor(None, handle.close)
        if size == 0:
            raise ImageError("empty", "the upload is empty")
        return header, hasher.digest(), size

    async def remove(self, image_id: str) -> Image | None:
        """Delete an image's row and file; None when unknown."""
        image = self._images.pop(image_id, None)
        if image is None:
            return None
        await self._store.delete_image(image_id)
        path = self.path(image)
        await asyncio.get_running_loop().run_in_executor(None, lambda: path.unlink(missing_ok=True))
        self.on_change(image.model)
        return image


def _write_hash(handle: BinaryIO, hasher: Any, chunk: bytes) -> None:
    handle.write(chunk)
    hasher.update(chunk)
