import { describe, expect, it } from "vitest";
import type { FactoryMachine, OeeResult } from "../src/api/factory";
import { currentShift, dayRange, groupMachines, mapLimited, percent, trendData } from "../src/util/factory";
import { formatBytes, groupProgress, rolloutActions, shareOrCount } from "../src/util/ota";

function machine(id: string, name: string): FactoryMachine {
  const [site = "", area = ""] = id.split("/");
  return { id, site, area, name, time_zone: "UTC", ideal_cycle_time_s: 12, reporting_interval_s: 10, last_seen: null, state_code: null, entities: [] };
}

function result(start: string, end: string, oee: number | null): OeeResult {
  return {
    scope: "x", period: { start, end, label: start }, planned_minutes: 0, run_minutes: 0, stop_minutes: 0, unknown_minutes: 0,
    total_count: 0, reject_count: 0, good_count: 0, availability: 0.9, performance: null, quality: 1, oee,
    data_completeness: 1, downtime_reasons: [], flags: [], members: [],
  };
}

describe("factory helpers", () => {
  it("formats factors as percentages", () => {
    expect(percent(0.8251)).toBe("82.5 %");
    expect(percent(null)).toBe("—");
    expect(percent(Number.NaN)).toBe("—");
  });

  it("groups machines by site and area, sorted", () => {
    const groups = groupMachines([machine("b/press/p2", "Press 2"), machine("a/weld/w1", "Weld"), machine("b/press/p1", "Press 1"), machine("b/assembly/x", "X")]);
    expect(groups.map((g) => g.site)).toEqual(["a", "b"]);
    expect(groups[1]!.areas.map((a) => a.area)).toEqual(["assembly", "press"]);
    expect(groups[1]!.areas[1]!.machines.map((m) => m.name)).toEqual(["Press 1", "Press 2"]);
  });

  it("picks the running shift, else the last one started", () => {
    const early = result("2026-01-05T06:00:00Z", "2026-01-05T14:00:00Z", 0.5);
    const late = result("2026-01-05T14:00:00Z", "2026-01-05T22:00:00Z", 0.6);
    expect(currentShift([early, late], Date.parse("2026-01-05T15:00:00Z"))).toBe(late);
    expect(currentShift([early, late], Date.parse("2026-01-05T23:00:00Z"))).toBe(late);
    expect(currentShift([late, early], Date.parse("2026-01-05T13:00:00Z"))).toBe(early);
    expect(currentShift([early], Date.parse("2026-01-05T05:00:00Z"))).toBeNull();
  });

  it("lists the days of a range across a month end", () => {
    expect(dayRange("2026-03-02", 3)).toEqual(["2026-02-28", "2026-03-01", "2026-03-02"]);
  });

  it("turns daily results into percent series with gaps", () => {
    const data = trendData(["2026-01-01", "2026-01-02"], [result("a", "b", 0.8234), null]);
    expect(data.oee).toEqual([82.3, null]);
    expect(data.performance).toEqual([null, null]);
    expect(data.availability).toEqual([90, null]);
    expect(data.t[1]! - data.t[0]!).toBe(86_400);
    const empty = { ...result("a", "b", 0), data_completeness: 0 };
    expect(trendData(["2026-01-01"], [empty]).oee).toEqual([null]);
  });

  it("runs tasks with a limit and keeps their order", async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimited([5, 1, 3, 2], 2, async (n) => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20]);
    expect(peak).toBe(2);
  });
});

describe("ota helpers", () => {
  it("sums a group's device states", () => {
    const p = groupProgress({ size: 10, states: { succeeded: 4, failed: 1, rolled_back: 1, downloading: 2, pending: 1, "skipped-offline": 1 } });
    expect(p).toEqual({ size: 10, succeeded: 4, failed: 2, active: 2, waiting: 2, percent: 60 });
    expect(groupProgress({ size: 0, states: {} }).percent).toBe(100);
  });

  it.each([
    ["running", ["pause", "abort"]],
    ["paused", ["resume", "abort"]],
    ["waiting_approval", ["approve", "pause", "abort"]],
    ["finished", []],
    ["aborted", []],
  ] as const)("offers the actions of a %s rollout", (status, actions) => {
    expect(rolloutActions(status)).toEqual(actions);
  });

  it("formats sizes and thresholds", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(40_000)).toBe("40.0 kB");
    expect(formatBytes(1_966_080)).toBe("2.0 MB");
    expect(shareOrCount(" 10 %")).toBe("10%");
    expect(shareOrCount("3")).toBe(3);
  });
});
