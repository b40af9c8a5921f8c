import type { FactoryMachine, OeeResult } from "../api/factory";

/** A 0-1 factor as "82.5 %", or "—". */
export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${(value * 100).toLocaleString(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1 })} %`;
}

export interface AreaGroup {
  area: string;
  machines: FactoryMachine[];
}

export interface SiteGroup {
  site: string;
  areas: AreaGroup[];
}

/** Machines as sites → areas → machines, each level sorted by name. */
export function groupMachines(machines: readonly FactoryMachine[]): SiteGroup[] {
  const sites = new Map<string, Map<string, FactoryMachine[]>>();
  for (const machine of machines) {
    const areas = sites.get(machine.site) ?? new Map<string, FactoryMachine[]>();
    sites.set(machine.site, areas);
    const list = areas.get(machine.area) ?? [];
    areas.set(machine.area, list);
    list.push(machine);
  }
  const byName = (a: string, b: string): number => a.localeCompare(b);
  return [...sites.keys()].sort(byName).map((site) => ({
    site,
    areas: [...sites.get(site)!.entries()]
      .sort(([a], [b]) => byName(a, b))
      .map(([area, list]) => ({ area, machines: [...list].sort((a, b) => byName(a.name, b.name)) })),
  }));
}

/** The shift running at `now` (ms), else the last one that started, else null. */
export function currentShift(results: readonly OeeResult[], now = Date.now()): OeeResult | null {
  let last: OeeResult | null = null;
  for (const result of results) {
    const start = Date.parse(result.period.start);
    const end = Date.parse(result.period.end);
    if (start <= now && now < end) return result;
    if (start <= now && (!last || start > Date.parse(last.period.start))) last = result;
  }
  return last;
}

/** ISO dates (YYYY-MM-DD) of the `days` days ending with `last`. */
export function dayRange(last: string, days: number): string[] {
  const end = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: days }, (_, index) =>
    new Date(end - (days - 1 - index) * 86_400_000).toISOString().slice(0, 10),
  );
}

/** Today in a time zone as YYYY-MM-DD. */
export function today(timeZone?: string, now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export interface TrendData {
  /** epoch seconds at noon UTC of each day */
  t: number[];
  oee: (number | null)[];
  availability: (number | null)[];
  performance: (number | null)[];
  quality: (number | null)[];
}

/** Daily results as percent series; days without a result or without any data are gaps. */
export function trendData(days: readonly string[], results: readonly (OeeResult | null)[]): TrendData {
  const pick = (key: "oee" | "availability" | "performance" | "quality"): (number | null)[] =>
    results.map((r) =>
      r && r[key] !== null && r.data_completeness !== 0 ? Math.round(r[key]! * 1000) / 10 : null,
    );
  return {
    t: days.map((day) => Date.parse(`${day}T12:00:00Z`) / 1000),
    oee: pick("oee"),
    availability: pick("availability"),
    performance: pick("performance"),
    quality: pick("quality"),
  };
}

/** Run `task` over `items` with at most `limit` at once, keeping the order of results. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      out[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
