import type { Attributes, EntityState, RestState } from "../api/types";
import { FrameEmitter } from "./emitter";

interface Compressed {
  s: string;
  a?: Attributes;
  c?: string | { id: string };
  lc?: number;
  lu?: number;
}

interface Change {
  "+"?: Partial<Compressed>;
  "-"?: { a?: string[] };
}

export interface EntitiesMessage {
  a?: Record<string, Compressed>;
  c?: Record<string, Change>;
  r?: string[];
}

export const TREND_POINTS = 40;

export type TrendPoint = [number, number];

/** Every entity's latest state from `subscribe_entities`, plus a short numeric trend. */
export class EntityStore {
  readonly states = new Map<string, EntityState>();
  readonly trends = new Map<string, TrendPoint[]>();
  readonly changes = new FrameEmitter<string>();
  /** Bumped when entities are added or removed (not when a value changes). */
  structureVersion = 0;
  loaded = false;

  private pushTrend(entity: EntityState): void {
    const value = Number(entity.state);
    if (entity.state === "" || !Number.isFinite(value)) return;
    let trend = this.trends.get(entity.entity_id);
    if (!trend) {
      trend = [];
      this.trends.set(entity.entity_id, trend);
    }
    const last = trend[trend.length - 1];
    if (last && last[0] === entity.last_updated) return;
    trend.push([entity.last_updated, value]);
    if (trend.length > TREND_POINTS) trend.splice(0, trend.length - TREND_POINTS);
  }

  /** Older points for the trend (from the recorder), merged before the live ones. */
  seedTrend(entityId: string, points: TrendPoint[]): void {
    const live = this.trends.get(entityId) ?? [];
    const first = live[0]?.[0] ?? Infinity;
    const merged = [...points.filter((p) => p[0] < first), ...live].slice(-TREND_POINTS);
    this.trends.set(entityId, merged);
    this.changes.mark(entityId);
  }

  private put(entity: EntityState): void {
    if (!this.states.has(entity.entity_id)) this.structureVersion += 1;
    this.states.set(entity.entity_id, entity);
    this.pushTrend(entity);
    this.changes.mark(entity.entity_id);
  }

  /** Apply one `subscribe_entities` event; a snapshot also drops entities it lacks. */
  apply(message: EntitiesMessage, snapshot = false): void {
    if (snapshot && message.a) {
      for (const entityId of [...this.states.keys()]) {
        if (!(entityId in message.a)) {
          this.states.delete(entityId);
          this.trends.delete(entityId);
          this.changes.mark(entityId);
          this.structureVersion += 1;
        }
      }
    }
    if (message.a) {
      for (const [entityId, value] of Object.entries(message.a)) {
        const lc = value.lc ?? value.lu ?? 0;
        this.put({
          entity_id: entityId,
          state: value.s,
          attributes: value.a ?? {},
          last_changed: lc,
          last_updated: value.lu ?? lc,
        });
      }
      this.loaded = true;
    }
    if (message.c) {
      for (const [entityId, change] of Object.entries(message.c)) {
        const old = this.states.get(entityId);
        if (!old) continue;
        const plus = change["+"] ?? {};
        let attributes = old.attributes;
        if (plus.a || change["-"]?.a) {
          attributes = { ...old.attributes, ...(plus.a ?? {}) };
          for (const name of change["-"]?.a ?? []) delete attributes[name];
        }
        this.put({
          entity_id: entityId,
          state: plus.s ?? old.state,
          attributes,
          last_changed: plus.lc ?? (plus.s !== undefined && plus.s !== old.state ? plus.lu ?? old.last_changed : old.last_changed),
          last_updated: plus.lu ?? plus.lc ?? old.last_updated,
        });
      }
    }
    if (message.r) {
      for (const entityId of message.r) {
        this.structureVersion += 1;
        this.states.delete(entityId);
        this.trends.delete(entityId);
        this.changes.mark(entityId);
      }
    }
  }

  /** Load states from the REST API (before the socket is up). */
  replace(states: RestState[]): void {
    for (const state of states) {
      this.put({
        entity_id: state.entity_id,
        state: state.state,
        attributes: state.attributes,
        last_changed: Date.parse(state.last_changed) / 1000,
        last_updated: Date.parse(state.last_updated) / 1000,
      });
    }
    this.loaded = true;
  }

  get(entityId: string): EntityState | undefined {
    return this.states.get(entityId);
  }
}
