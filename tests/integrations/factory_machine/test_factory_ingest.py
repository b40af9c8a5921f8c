"""HTTP ingest: keys, validation, idempotency, rate limiting and the ThingsBoard shapes."""

from __future__ import annotations

from conftest import StartFactory, site_config

T0 = 1_750_000_000_000  # ms


def reading(n: int, **values: object) -> dict[str, object]:
    return {"ts": T0 + n * 1000, "values": {"temperature": 61.0, **values}}


async def test_batch_is_accepted_and_sets_states(start_factory: StartFactory) -> None:
    env = await start_factory()
    token = await env.key("north/press/p1")
    body = {"readings": [reading(0, run_state="running", total=10), reading(1, total=12)]}
    result = await env.ingest(token, body)
    assert result.status == 200, result.data
    assert result.data["accepted"] == 2 and result.data["refused"] == []
    assert env.hub.states.get("sensor.north_press_p1_temperature").state == "61.0"
    assert env.hub.states.get("sensor.north_press_p1_run_state").state == "running"
    assert env.hub.states.get("sensor.north_press_p1_total_parts").state == "2"
    assert env.hub.states.get("binary_sensor.north_press_p1_online").state == "on"


async def test_missing_wrong_and_revoked_keys_are_401(start_factory: StartFactory) -> None:
    env = await start_factory()
    token = await env.key("north/press/p1")
    assert (await env.client.request("POST", "/api/ingest", role=None, json={})).status == 401
    forged = token[:-4] + "AAAA"
    assert (await env.ingest(forged, reading(0))).status == 401
    assert (await env.ingest("fh_dev_nothing", reading(0))).status == 401
    assert (await env.ingest(token, reading(0))).status == 200
    key_id = token.removeprefix("fh_dev_").split(".")[0]
    revoked = await env.client.request("DELETE", f"/api/factory/keys/{key_id}", role="operator")
    assert revoked.status == 200 and revoked.data["revoked_ts"] is not None
    assert (await env.ingest(token, reading(1))).status == 401


async def test_another_machines_key_is_403(start_factory: StartFactory) -> None:
    env = await start_factory()
    token = await env.key("south/weld/w1")
    result = await env.ingest(token, {"machine": "north/press/p1", "readings": [reading(0)]})
    assert result.status == 403
    assert "south/weld/w1" in result.data["error"]["message"]


async def test_per_index_errors(start_factory: StartFactory) -> None:
    env = await start_factory()
    token = await env.key("north/press/p1")
    body = {
        "readings": [
            reading(0),
            {"ts": T0 + 1000, "values": {"temperature": 999.0}},
            {"ts": T0 + 2000, "values": {"temperature": "hot"}},
            {"ts": "yesterday", "values": {"temperature": 1.0}},
            {"ts": T0 + 4000, "values": {"total": -1, "pressure": 3}},
            {"ts": T0 + 5000, "values": {"run_state": "sleeping"}},
            {"ts": T0 + 6000, "values": {"total": 70000}},
        ]
    }
    result = await env.ingest(token, body)
    assert result.status == 200
    assert result.data["accepted"] == 1
    refused = {
        r["index"]: {(e["field"], e["code"]) for e in r["errors"]} for r in result.data["refused"]
    }
    assert refused == {
        1: {("temperature", "out_of_range")},
        2: {("temperature", "invalid_type")},
        3: {("ts", "invalid_ts")},
        4: {("total", "out_of_range"), ("pressure", "unknown_field")},
        5: {("run_state", "invalid_value")},
        6: {("total", "out_of_range")},
    }


async def test_malformed_bodies(start_factory: StartFactory) -> None:
    env = await start_factory()
    token = await env.key("north/press/p1")
    bad_json = await env.client.request(
        "POST",
        "/api/ingest",
        role=None,
        data=b"{nope",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert bad_json.status == 400 and bad_json.data["error"]["code"] == "invalid_json"
    assert (await env.ingest(token, {"readings": 5})).status == 400
    assert (await env.ingest(token, 42)).status == 400
    all_bad = await env.ingest(token, [{"ts": T0, "values": {"temperature": 1e9}}])
    assert all_bad.status == 422


async def test_duplicate_batch_is_harmless(start_factory: StartFactory) -> None:
    env = await start_factory()
    token = await env.key("north/press/p1")
    batch = {"readings": [reading(n, total=100 + n) for n in range(5)]}
    first = await env.ingest(token, batch)
    again = await env.ingest(token, batch)
    assert first.data["accepted"] == 5
    assert again.data == {**first.data, "accepted": 0, "duplicates": 5}
    assert env.runtime.trackers["north/press/p1"].total_count == 4
    by_seq = [{"seq": 7, "ts": T0 + 10_000 + n, "values": {"temperature": 60.0}} for n in range(2)]
    result = await env.ingest(token, by_seq)
    assert (result.data["accepted"], result.data["duplicates"]) == (1, 1)


async def test_clock_skew_is_flagged(start_factory: StartFactory) -> None:
    config = site_config()
    config["ingest"] = {"max_clock_skew": 60}
    env = await start_factory(config)
    token = await env.key("north/press/p1")
    now_ms = env.hub.clock.time() * 1000
    result = await env.ingest(
        token,
        [
            {"ts": now_ms, "values": {"temperature": 60.0}},
            {"ts": now_ms + 3_600_000, "values": {"temperature": 60.0}},
        ],
    )
    assert result.data["accepted"] == 2
    assert [(w["index"], w["code"]) for w in result.data["warnings"]] == [(1, "clock_skew")]


async def test_flood_beyond_rate_limit_gets_429(start_factory: StartFactory) -> None:
    config = site_config()
    config["ingest"] = {"rate": 0.01, "burst": 20, "max_batch": 20, "max_clock_skew": 1e9}
    env = await start_factory(config)
    token = await env.key("north/press/p1")
    other = await env.key("south/weld/w1")
    statuses = []
    for n in range(5):
        result = await env.ingest(token, {"readings": [reading(n * 10 + i) for i in range(8)]})
        statuses.append(result.status)
    assert statuses[:2] == [200, 200] and set(statuses[2:]) == {429}
    assert int(result.headers["Retry-After"]) >= 1
    assert (await env.ingest(other, reading(0))).status == 200
    too_big = await env.ingest(other, [reading(i) for i in range(21)])
    assert too_big.status == 413


async def test_thingsboard_shapes(start_factory: StartFactory) -> None:
    env = await start_factory()
    token = await env.key("north/press/p1")
    flat = await env.ingest(token, {"temperature": 62.5, "run_state": "idle"})
    single = await env.ingest(token, {"ts": T0, "values": {"temperature": 63.0}})
    array = await env.ingest(
        token,
        [
            {"ts": T0 + 1, "values": {"temperature": 64.0}},
            {"ts": T0 + 2, "values": {"temperature": 65.0}},
        ],
    )
    assert [flat.data["accepted"], single.data["accepted"], array.data["accepted"]] == [1, 1, 2]
    assert env.hub.states.get("sensor.north_press_p1_run_state").state == "idle"


async def test_key_api_shows_token_once(start_factory: StartFactory) -> None:
    env = await start_factory()
    created = await env.client.request(
        "POST", "/api/factory/keys", role="operator", json={"machine": "north/press/p1"}
    )
    assert created.status == 201 and created.data["token"].startswith("fh_dev_")
    assert (await env.ingest(created.data["token"], reading(0))).status == 200
    listed = await env.client.request("GET", "/api/factory/keys", role="operator")
    assert listed.status == 200
    [entry] = listed.data["keys"]
    assert "token" not in entry and entry["last_used_ts"] is not None
    assert (await env.client.request("GET", "/api/factory/keys", role="viewer")).status == 403
