import { describe, expect, it, vi } from "vitest";
import { EntityStore } from "../src/store/entities";
import { compareAlerts, isUnackedCritical } from "../src/store/alerts";
import type { Alert } from "../src/api/types";

vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => setTimeout(() => cb(0), 0));

describe("EntityStore", () => {
  it("applies snapshots, changes and removals from subscribe_entities", () => {
    const store = new EntityStore();
    store.apply({ a: { "sensor.t": { s: "1", a: { unit_of_measurement: "°C", x: 1 }, lc: 10, lu: 10 } } }, true);
    store.apply({ c: { "sensor.t": { "+": { s: "2", lc: 11, lu: 11, a: { y: 2 } }, "-": { a: ["x"] } } } });
    const entity = store.get("sensor.t")!;
    expect(entity.state).toBe("2");
    expect(entity.attributes).toEqual({ unit_of_measurement: "°C", y: 2 });
    expect(entity.last_changed).toBe(11);
    expect(store.trends.get("sensor.t")).toEqual([[10, 1], [11, 2]]);
    store.apply({ r: ["sensor.t"] });
    expect(store.get("sensor.t")).toBeUndefined();
  });

  it("drops entities a new snapshot lacks", () => {
    const store = new EntityStore();
    store.apply({ a: { "sensor.a": { s: "1" }, "sensor.b": { s: "2" } } }, true);
    store.apply({ a: { "sensor.b": { s: "3" } } }, true);
    expect([...store.states.keys()]).toEqual(["sensor.b"]);
    expect(store.get("sensor.b")!.state).toBe("3");
  });
});

const alert = (over: Partial<Alert>): Alert => ({
  id: "a", entity_id: null, name: "A", severity: "warning", source: null, state: "on",
  isa_state: "B", active: true, acknowledged: false, latched: false, suppressed: false,
  out_of_service: false, shelving: { kind: "unshelved", since: null, until: null, reason: null, actor: null },
  occurrence_id: null, active_since: 100, last_value: null, can_acknowledge: true,
  max_shelve: 28800, manual: false, ...over,
});

describe("alerts", () => {
  it("orders by severity, then age", () => {
    const list = [
      alert({ id: "w-new", active_since: 200 }),
      alert({ id: "c", severity: "critical", active_since: 300 }),
      alert({ id: "w-old", active_since: 100 }),
    ].sort(compareAlerts);
    expect(list.map((a) => a.id)).toEqual(["c", "w-old", "w-new"]);
  });

  it("flags only unacknowledged, unshelved critical alerts for the banner", () => {
    expect(isUnackedCritical(alert({ severity: "critical" }))).toBe(true);
    expect(isUnackedCritical(alert({ severity: "critical", acknowledged: true }))).toBe(false);
    const shelved = { kind: "timed" as const, since: 1, until: 2, reason: "r", actor: "u" };
    expect(isUnackedCritical(alert({ severity: "critical", shelving: shelved }))).toBe(false);
  });
});
