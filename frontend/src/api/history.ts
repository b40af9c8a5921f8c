import type { ApiClient } from "./client";

export interface HistoryPoint {
  /** epoch seconds */
  t: number;
  state: string;
  value: number | null;
}

interface RawPoint {
  entity_id?: string;
  state: string;
  last_changed: string;
  last_updated?: string;
}

/** A request URL line stays short: at most this many entity ids per history request. */
const IDS_PER_REQUEST = 80;

function toPoint(raw: RawPoint, start: number): HistoryPoint {
  const t = Date.parse(raw.last_updated ?? raw.last_changed) / 1000;
  const value = raw.state === "" ? NaN : Number(raw.state);
  return { t: Math.max(t, start), state: raw.state, value: Number.isFinite(value) ? value : null };
}

/** Recorded history of `entityIds` in [start, end] (epoch seconds), downsampled on the hub. */
export async function fetchHistory(
  api: ApiClient,
  entityIds: string[],
  start: number,
  end: number,
  maxPoints?: number,
): Promise<Map<string, HistoryPoint[]>> {
  const result = new Map<string, HistoryPoint[]>();
  for (let i = 0; i < entityIds.length; i += IDS_PER_REQUEST) {
    const chunk = entityIds.slice(i, i + IDS_PER_REQUEST);
    const lists = await api.get<RawPoint[][]>(
      `/api/history/period/${encodeURIComponent(new Date(start * 1000).toISOString())}`,
      {
        filter_entity_id: chunk.join(","),
        end_time: new Date(end * 1000).toISOString(),
        max_points: maxPoints,
        minimal_response: true,
        no_attributes: true,
      },
    );
    for (const list of lists) {
      const entityId = list[0]?.entity_id;
      if (!entityId) continue;
      result.set(
        entityId,
        list.map((raw) => toPoint(raw, start)),
      );
    }
  }
  return result;
}
