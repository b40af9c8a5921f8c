"""Site scoping: an operator of one site sees and acts on that site only."""

from __future__ import annotations

from conftest import FactoryEnv, StartFactory

from hub.http.roles import Role


async def north_operator(env: FactoryEnv) -> dict[str, str]:
    auth = env.client.server.auth
    user = await auth.add_user("north_op", Role.OPERATOR, None, sites=["north"])
    return {"Authorization": f"Bearer {auth.issue_access_token(user).token}"}


async def test_lists_are_filtered(start_factory: StartFactory) -> None:
    env = await start_factory()
    headers = await north_operator(env)
    mine = await env.client.request("GET", "/api/factory/machines", role=None, headers=headers)
    assert [m["id"] for m in mine.data["machines"]] == ["north/press/p1"]
    admin = await env.client.request("GET", "/api/factory/machines")
    assert [m["id"] for m in admin.data["machines"]] == ["north/press/p1", "south/weld/w1"]


async def test_foreign_site_is_forbidden(start_factory: StartFactory) -> None:
    env = await start_factory()
    headers = await north_operator(env)
    get = env.client.request
    oee = await get("GET", "/api/factory/machines/south/weld/w1/oee", role=None, headers=headers)
    assert oee.status == 403
    rollup = await get("GET", "/api/factory/oee/rollup?site=south", role=None, headers=headers)
    assert rollup.status == 403
    report = await get("GET", "/api/factory/reports/weekly?site=south", role=None, headers=headers)
    assert report.status == 403
    key = await get(
        "POST", "/api/factory/keys", role=None, headers=headers, json={"machine": "south/weld/w1"}
    )
    assert key.status == 403
    south_key = await env.runtime.keys.create("south/weld/w1")
    revoke = await get(
        "DELETE", f"/api/factory/keys/{south_key.info.key_id}", role=None, headers=headers
    )
    assert revoke.status == 403
    own = await get(
        "POST", "/api/factory/keys", role=None, headers=headers, json={"machine": "north/press/p1"}
    )
    assert own.status == 201
    listed = await get("GET", "/api/factory/keys", role=None, headers=headers)
    assert {k["machine"] for k in listed.data["keys"]} == {"north/press/p1"}
    mine = await get("GET", "/api/factory/machines/north/press/p1/oee", role=None, headers=headers)
    assert mine.status == 200
