"""Firmware image sanity checks: magic byte, ESP32 app descriptor, model and size.

An ESP32 app image starts with a 24-byte image header (magic ``0xE9``) and the 8-byte header
of its first segment; the first segment begins with ``esp_app_desc_t`` (magic ``0xABCD5432``),
so the descriptor sits at offset ``0x20``. ESP8266 images start with ``0xE9`` too (no
descriptor); gzip-compressed ESP8266 builds start with ``1F 8B``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import StrEnum

from . import const as c

ESP_IMAGE_MAGIC = 0xE9
GZIP_MAGIC = b"\x1f\x8b"
APP_DESC_OFFSET = 0x20
APP_DESC_MAGIC = 0xABCD5432
APP_DESC_SIZE = 256
HEADER_BYTES = APP_DESC_OFFSET + APP_DESC_SIZE
"""How many leading bytes :func:`inspect_header` needs to see everything it checks."""


class ImageFormat(StrEnum):
    """What kind of image an upload is."""

    ESP32_APP = "esp32-app"
    ESP_IMAGE = "esp-image"
    GZIP = "gzip"


class ImageError(ValueError):
    """An image that must not be stored; ``code`` names the check that failed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class AppDescriptor:
    """The fields of ``esp_app_desc_t`` the hub shows and checks."""

    version: str
    project_name: str
    secure_version: int
    idf_version: str
    compile_date: str
    compile_time: str


@dataclass(frozen=True, slots=True)
class ImageInfo:
    """What the header says about an image."""

    format: ImageFormat
    descriptor: AppDescriptor | None


def _text(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode("utf-8", errors="replace")


def parse_app_descriptor(header: bytes) -> AppDescriptor | None:
    """The app descriptor at offset 0x20, or None when the image carries none."""
    end = APP_DESC_OFFSET + APP_DESC_SIZE
    if len(header) < end or header[0] != ESP_IMAGE_MAGIC:
        return None
    desc = header[APP_DESC_OFFSET:end]
    magic, secure_version = struct.unpack_from("<II", desc, 0)
    if magic != APP_DESC_MAGIC:
        return None
    return AppDescriptor(
        version=_text(desc[16:48]),
        project_name=_text(desc[48:80]),
        compile_time=_text(desc[80:96]),
        compile_date=_text(desc[96:112]),
        idf_version=_text(desc[112:144]),
        secure_version=secure_version,
    )


def inspect_header(header: bytes, chip: str) -> ImageInfo:
    """Check the magic bytes for ``chip`` and parse the descriptor; raise :class:`ImageError`."""
    if header[:2] == GZIP_MAGIC:
        if chip != c.CHIP_ESP8266:
            raise ImageError("magic", "gzip images are accepted for ESP8266 models only")
        return ImageInfo(ImageFormat.GZIP, None)
    if not header or header[0] != ESP_IMAGE_MAGIC:
        first = f"0x{header[0]:02X}" if header else "nothing"
        raise ImageError("magic", f"magic byte is wrong: {first}, not 0xE9")
    descriptor = parse_app_descriptor(header)
    if descriptor is None:
        return ImageInfo(ImageFormat.ESP_IMAGE, None)
    return ImageInfo(ImageFormat.ESP32_APP, descriptor)


def check_image(
    info: ImageInfo,
    *,
    size: int,
    slot_size: int,
    project_name: str,
    version: str,
) -> None:
    """Refuse an image too big for the slot, or whose descriptor names another project/version."""
    if size > slot_size:
        raise ImageError("size", f"image of {size} bytes exceeds the OTA slot of {slot_size}")
    descriptor = info.descriptor
    if descriptor is None:
        return
    if descriptor.project_name != project_name:
        raise ImageError(
            "model",
            f"image is for project {descriptor.project_name!r}, not {project_name!r}",
        )
    if descriptor.version and descriptor.version.lstrip("vV") != version:
        raise ImageError(
            "version", f"image says version {descriptor.version!r}, upload says {version!r}"
        )
