"""The REST API: uploads and their checks, roles, downloads with Range, audit."""

from __future__ import annotations

import hashlib

import aiohttp
from ota_helpers import MODEL, SLOT, OtaHub, Publisher, build_image


async def test_upload_stores_image_with_hash_and_parsed_version(ota_hub: OtaHub) -> None:
    image = build_image("1.3.0")
    result = await ota_hub.upload(image, "1.3.0")
    assert result.status == 201, result.data
    assert result.data["sha256"] == hashlib.sha256(image).hexdigest()
    assert result.data["size"] == len(image)
    assert result.data["project_name"] == "tank-node"
    assert result.data["format"] == "esp32-app"
    listed = await ota_hub.client.request("GET", "/api/ota/images", role="viewer")
    assert [i["version"] for i in listed.data] == ["1.3.0"]
    stored = ota_hub.hub.config_dir / "ota" / f"{result.data['id']}.bin"
    assert stored.read_bytes() == image


async def test_multipart_upload(ota_hub: OtaHub) -> None:
    image = build_image("1.4.0")
    form = aiohttp.FormData()
    form.add_field("model", MODEL)
    form.add_field("version", "1.4.0")
    form.add_field("signature", ota_hub.publisher.sign(image))
    form.add_field("release_notes", "Faster echo filter")
    form.add_field("file", image, filename="tank-node-1.4.0.bin")
    async with ota_hub.client.session.post(
        ota_hub.client.url("/api/ota/images"), data=form, headers=ota_hub.client.headers("admin")
    ) as response:
        body = await response.json()
    assert response.status == 201, body
    assert body["release_notes"] == "Faster echo filter"


async def test_bad_signature_is_refused(ota_hub: OtaHub) -> None:
    image = build_image("1.3.0")
    other = Publisher.new().sign(image)
    result = await ota_hub.upload(image, "1.3.0", signature=other)
    assert result.status == 400
    assert result.data["error"]["code"] == "signature"
    tampered = image[:-1] + b"\x00"
    result = await ota_hub.upload(tampered, "1.3.0", signature=ota_hub.publisher.sign(image))
    assert result.status == 400
    assert result.data["error"]["code"] == "signature"
    assert list((ota_hub.hub.config_dir / "ota").glob("*.bin")) == []


async def test_unsigned_upload_is_refused(ota_hub: OtaHub) -> None:
    result = await ota_hub.upload(build_image("1.3.0"), "1.3.0", signature="")
    assert result.status == 400
    assert result.data["error"]["code"] == "signature"


async def test_wrong_magic_project_and_version_are_refused(ota_hub: OtaHub) -> None:
    image = build_image("1.3.0")
    not_esp = b"\x7fELF" + image[4:]
    result = await ota_hub.upload(not_esp, "1.3.0")
    assert (result.status, result.data["error"]["code"]) == (400, "magic")
    other_project = build_image("1.3.0", project="boiler")
    result = await ota_hub.upload(other_project, "1.3.0")
    assert (result.status, result.data["error"]["code"]) == (400, "model")
    result = await ota_hub.upload(image, "1.3.1")
    assert (result.status, result.data["error"]["code"]) == (400, "version")


async def test_oversized_upload_is_refused(ota_hub: OtaHub) -> None:
    image = build_image("1.3.0", size=SLOT + 1)
    result = await ota_hub.upload(image, "1.3.0")
    assert result.status == 413
    assert result.data["error"]["code"] == "size"
    assert list((ota_hub.hub.config_dir / "ota").iterdir()) == [
        ota_hub.hub.config_dir / "ota" / ".download_key"
    ]


async def test_path_traversal_file_name_is_refused(ota_hub: OtaHub) -> None:
    image = build_image("1.3.0")
    for name in ("../../configuration.yaml", "..\\x.bin", "/etc/passwd", ".hidden"):
        form = aiohttp.FormData()
        form.add_field("model", MODEL)
        form.add_field("version", "1.3.0")
        form.add_field("signature", ota_hub.publisher.sign(image))
        form.add_field("file", image, filename=name)
        async with ota_hub.client.session.post(
            ota_hub.client.url("/api/ota/images"),
            data=form,
            headers=ota_hub.client.headers("operator"),
        ) as response:
            body = await response.json()
        assert response.status == 400, name
        assert body["error"]["code"] == "filename"


async def test_viewer_cannot_upload_or_start_rollouts(ota_hub: OtaHub) -> None:
    image = build_image("1.3.0")
    signature = ota_hub.publisher.sign(image)
    result = await ota_hub.client.request(
        "POST",
        f"/api/ota/images?model=tank%20node&version=1.3.0&signature={signature}",
        data=image,
        role="viewer",
    )
    assert result.status == 403
    result = await ota_hub.client.request(
        "POST", "/api/ota/rollouts", json={"image_id": "x"}, role="viewer"
    )
    assert result.status == 403
    assert (await ota_hub.client.request("GET", "/api/ota/rollouts", role="viewer")).status == 200


async def test_delete_needs_admin_and_is_audited(ota_hub: OtaHub) -> None:
    uploaded = await ota_hub.upload(build_image("1.3.0"), "1.3.0")
    path = f"/api/ota/images/{uploaded.data['id']}"
    assert (await ota_hub.client.request("DELETE", path, role="operator")).status == 403
    assert (await ota_hub.client.request("DELETE", path, role="admin")).status == 200
    await ota_hub.manager.audit.flush()
    audit = await ota_hub.client.request("GET", "/api/ota/audit", role="operator")
    assert [(e["user"], e["action"]) for e in audit.data] == [
        ("admin", "image_deleted"),
        ("operator", "image_uploaded"),
    ]


async def test_download_needs_rollout_token_and_supports_range(ota_hub: OtaHub) -> None:
    image = build_image("1.3.0")
    uploaded = await ota_hub.upload(image, "1.3.0")
    image_id = uploaded.data["id"]
    await ota_hub.hub.device_registry.register(
        "tank_node", "Offline tank", [("mac", "02:00:00:00:00:99")], model=MODEL, sw_version="1.2.0"
    )
    started = await ota_hub.client.request(
        "POST", "/api/ota/rollouts", json={"image_id": image_id}, role="operator"
    )
    assert started.status == 201, started.data
    for garbage in (5, "soon", None):  # a stall timeout under 10 s, or not a number
        refused_spec = await ota_hub.client.request(
            "POST",
            "/api/ota/rollouts",
            json={"image_id": image_id, "stall_timeout": garbage},
            role="operator",
        )
        assert refused_spec.status == 400, garbage
        assert "stall_timeout" in str(refused_spec.data), refused_spec.data
    token = ota_hub.manager.engine._tokens.token(started.data["id"])
    url = f"/api/ota/download/{image_id}"
    refused = await ota_hub.client.request("GET", f"{url}?token=forged.abc", role=None)
    assert refused.status == 403
    async with ota_hub.client.session.get(
        ota_hub.client.url(f"{url}?token={token}"), headers={"Range": "bytes=100-199"}
    ) as response:
        assert response.status == 206
        assert await response.read() == image[100:200]
    aborted = await ota_hub.client.request(
        "POST", f"/api/ota/rollouts/{started.data['id']}/abort", role="operator"
    )
    assert aborted.data["status"] == "aborted"
    after = await ota_hub.client.request("GET", f"{url}?token={token}", role=None)
    assert after.status == 403
