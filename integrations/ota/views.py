"""REST routes: images, the device download and report endpoints, rollouts, devices, audit."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import voluptuous as vol
from aiohttp import BodyPartReader, web

from hub.api import Hub, request_user

from . import const as c
from .engine import Report, RolloutError
from .image import ImageError
from .manager import OtaManager
from .models import FwState, Image
from .repository import UploadMeta
from .runtime import RUNTIME
from .schema import ROLLOUT_SCHEMA, model_name, semver

CHUNK = 64 * 1024
_FIELD_LIMIT = 8192
_STATUS = {"size": 413, "exists": 409}
_ACTIONS = ("pause", "resume", "abort", "approve")

REPORT_SCHEMA = vol.Schema(
    {
        vol.Required("device_id"): str,
        vol.Required("fw_state"): vol.In([s.value for s in FwState]),
        vol.Required("version"): semver,
        vol.Optional("progress", default=0): vol.All(int, vol.Range(min=0, max=100)),
        vol.Optional("error"): vol.Any(None, vol.All(str, vol.Length(max=32))),
        vol.Optional("detail"): vol.Any(None, vol.All(str, vol.Length(max=128))),
    }
)


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def _manager(hub: Hub) -> OtaManager:
    runtime = hub.data.get(RUNTIME)
    if runtime is None:
        raise web.HTTPServiceUnavailable(reason="ota is not set up")
    return runtime


def _meta(fields: Mapping[str, str], filename: str | None) -> UploadMeta:
    try:
        return UploadMeta(
            model=model_name(fields.get("model", "")),
            version=semver(fields.get("version", "")),
            signature=fields.get("signature", ""),
            release_notes=fields.get("release_notes", "")[:4000],
            filename=filename,
        )
    except vol.Invalid as err:
        raise ImageError("invalid", str(err)) from err


async def _raw_chunks(request: web.Request) -> AsyncIterator[bytes]:
    while chunk := await request.content.read(CHUNK):
        yield chunk


async def _part_chunks(part: BodyPartReader) -> AsyncIterator[bytes]:
    while chunk := await part.read_chunk(CHUNK):
        yield chunk


def register_views(hub: Hub, register: Callable[..., None]) -> None:
    """Register every OTA route."""

    async def list_images(request: web.Request) -> web.Response:
        manager = _manager(hub)
        model = request.query.get("model")
        return web.json_response([i.as_dict() for i in manager.repository.images(model)])

    async def upload(request: web.Request) -> web.Response:
        manager = _manager(hub)
        user = request_user(request).name
        limit = manager.config[c.CONF_MAX_IMAGE_SIZE]
        if request.content_length is not None and request.content_length > limit + _FIELD_LIMIT:
            return _error(413, "size", f"the upload exceeds {limit} bytes")
        try:
            if request.content_type.startswith("multipart/"):
                image = await _upload_multipart(request, manager, user)
            else:
                meta = _meta(dict(request.query), request.query.get("filename"))
                image = await manager.repository.add(meta, _raw_chunks(request), user)
        except ImageError as err:
            return _error(_STATUS.get(err.code, 400), err.code, err.message)
        manager.engine.image_added(image)
        detail = {"model": image.model, "version": image.version}
        manager.audit(user, "image_uploaded", image.id, detail)
        return web.json_response(image.as_dict(), status=201)

    async def _upload_multipart(request: web.Request, manager: OtaManager, user: str) -> Image:
        reader = await request.multipart()
        fields: dict[str, str] = {}
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                raise ImageError("invalid", "nested multipart bodies are not accepted")
            if part.filename is None:
                text = (await part.read_chunk(_FIELD_LIMIT)).decode("utf-8", errors="replace")
                fields[part.name or ""] = text.strip()
                continue
            meta = _meta(fields, part.filename)
            return await manager.repository.add(meta, _part_chunks(part), user)
        raise ImageError("invalid", "the form has no file part (send the fields first)")

    async def delete_image(request: web.Request) -> web.Response:
        manager = _manager(hub)
        image_id = request.match_info["image_id"]
        if manager.engine.image_in_use(image_id):
            return _error(409, "in_use", "an open rollout uses this image")
        image = await manager.repository.remove(image_id)
        if image is None:
            return _error(404, "not_found", f"image {image_id} not found")
        manager.engine.image_removed(image_id)
        user = request_user(request).name
        detail = {"model": image.model, "version": image.version}
        manager.audit(user, "image_deleted", image_id, detail)
        return web.json_response({"deleted": image_id})

    async def download(request: web.Request) -> web.StreamResponse:
        manager = _manager(hub)
        rollout = manager.engine.rollout_for_token(request.query.get("token", ""))
        image_id = request.match_info["image_id"]
        if rollout is None or rollout.image_id != image_id:
            return _error(403, "bad_token", "the download token is not valid for this image")
        image = manager.repository.get(image_id)
        if image is None:
            return _error(404, "not_found", f"image {image_id} not found")
        response = web.FileResponse(manager.repository.path(image))
        response.headers["X-Checksum-SHA256"] = image.sha256
        response.content_type = "application/octet-stream"
        return response

    async def report(request: web.Request) -> web.Response:
        manager = _manager(hub)
        rollout = manager.engine.rollout_for_token(request.query.get("token", ""))
        if rollout is None:
            return _error(403, "bad_token", "the token is not valid")
        try:
            body = REPORT_SCHEMA(json.loads(await request.read()))
        except (ValueError, vol.Invalid) as err:
            return _error(400, "invalid", str(err))
        if rollout.group_of(body["device_id"]) is None:
            return _error(403, "bad_token", "the device is not part of this rollout")
        accepted = await manager.engine.report(
            Report(
                body["device_id"],
                FwState(body["fw_state"]),
                body["version"],
                body["progress"],
                body.get("error"),
                body.get("detail"),
            )
        )
        return web.json_response({"accepted": accepted})

    async def list_rollouts(request: web.Request) -> web.Response:
        engine = _manager(hub).engine
        rollouts = sorted(engine.rollouts.values(), key=lambda r: r.created_at, reverse=True)
        return web.json_response([engine.summary(r) for r in rollouts])

    async def create_rollout(request: web.Request) -> web.Response:
        manager = _manager(hub)
        try:
            spec = ROLLOUT_SCHEMA(json.loads(await request.read() or b"{}"))
            rollout = await manager.start_rollout(spec, request_user(request).name)
        except (ValueError, vol.Invalid) as err:
            return _error(400, "invalid", str(err))
        except RolloutError as err:
            return _error(409, "conflict", str(err))
        return web.json_response(manager.engine.summary(rollout), status=201)

    async def get_rollout(request: web.Request) -> web.Response:
        engine = _manager(hub).engine
        rollout = engine.rollouts.get(request.match_info["rollout_id"])
        if rollout is None:
            return _error(404, "not_found", "rollout not found")
        records = [r.as_dict() for r in engine.records.get(rollout.id, [])]
        return web.json_response({**engine.summary(rollout), "records": records})

    def action_handler(action: str) -> Callable[[web.Request], Any]:
        async def handle(request: web.Request) -> web.Response:
            engine = _manager(hub).engine
            rollout = engine.rollouts.get(request.match_info["rollout_id"])
            if rollout is None:
                return _error(404, "not_found", "rollout not found")
            try:
                await getattr(engine, action)(rollout, request_user(request).name)
            except RolloutError as err:
                return _error(409, "conflict", str(err))
            return web.json_response(engine.summary(rollout))

        return handle

    async def devices(request: web.Request) -> web.Response:
        return web.json_response(_manager(hub).devices())

    async def audit(request: web.Request) -> web.Response:
        limit = min(max(int(request.query.get("limit", "200") or 200), 1), 1000)
        return web.json_response(await _manager(hub).store.audit_log(limit))

    tag = {"tags": ["ota"]}
    register("GET", c.PATH_IMAGES, list_images, openapi={**tag, "summary": "List images"})
    register(
        "POST",
        c.PATH_IMAGES,
        upload,
        role="operator",
        openapi={**tag, "summary": "Upload a signed image (multipart or raw body)"},
    )
    register(
        "DELETE", c.PATH_IMAGE, delete_image, role="admin", openapi={**tag, "summary": "Delete"}
    )
    register(
        "GET",
        c.PATH_DOWNLOAD,
        download,
        role="device",
        openapi={**tag, "summary": "Download an image with a rollout token (Range supported)"},
    )
    register(
        "POST", c.PATH_REPORT, report, role="device", openapi={**tag, "summary": "Device report"}
    )
    register("GET", c.PATH_ROLLOUTS, list_rollouts, openapi={**tag, "summary": "List rollouts"})
    register(
        "POST",
        c.PATH_ROLLOUTS,
        create_rollout,
        role="operator",
        openapi={**tag, "summary": "Start a rollout"},
    )
    register("GET", c.PATH_ROLLOUT, get_rollout, openapi={**tag, "summary": "A rollout"})
    for action in _ACTIONS:
        register(
            "POST",
            f"{c.PATH_ROLLOUT}/{action}",
            action_handler(action),
            role="operator",
            openapi={**tag, "summary": f"{action.capitalize()} a rollout"},
        )
    register("GET", c.PATH_DEVICES, devices, openapi={**tag, "summary": "Devices and records"})
    register("GET", c.PATH_AUDIT, audit, role="operator", openapi={**tag, "summary": "Audit log"})
