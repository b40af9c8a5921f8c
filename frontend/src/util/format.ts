import type { EntityState } from "../api/types";

export const UNAVAILABLE = "unavailable";
export const UNKNOWN = "unknown";

export function isUnavailable(entity: EntityState | undefined): boolean {
  return !entity || entity.state === UNAVAILABLE;
}

export function friendlyName(entity: EntityState): string {
  const name = entity.attributes.friendly_name;
  if (typeof name === "string" && name) return name;
  return entity.entity_id.split(".", 2)[1]!.replace(/_/g, " ");
}

export function unitOf(entity: EntityState): string {
  const unit = entity.attributes.unit_of_measurement;
  return typeof unit === "string" ? unit : "";
}

export function deviceClass(entity: EntityState): string {
  const value = entity.attributes.device_class;
  return typeof value === "string" ? value : "";
}

export function domainOf(entityId: string): string {
  return entityId.split(".", 1)[0]!;
}

export function numericValue(entity: EntityState): number | null {
  if (entity.state === "" || entity.state === UNKNOWN || entity.state === UNAVAILABLE) return null;
  const value = Number(entity.state);
  return Number.isFinite(value) ? value : null;
}

/** A number with a sensible count of decimals for its size. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString(undefined, { maximumFractionDigits: digits });
}

export function formatState(entity: EntityState): string {
  const value = numericValue(entity);
  if (value === null) return entity.state;
  const unit = unitOf(entity);
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/** "5 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function relativeTime(epochSeconds: number, now = Date.now() / 1000): string {
  const delta = Math.max(0, now - epochSeconds);
  if (delta < 60) return `${Math.round(delta)} s ago`;
  if (delta < 3600) return `${Math.round(delta / 60)} min ago`;
  if (delta < 86400) return `${Math.round(delta / 3600)} h ago`;
  return `${Math.round(delta / 86400)} d ago`;
}

export function dateTime(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

/** Seconds as "1 h 30 min". */
export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** How an entity is best shown on a card. */
export type CardKind = "gauge" | "trend" | "binary" | "text";

export function cardKind(entity: EntityState): CardKind {
  const domain = domainOf(entity.entity_id);
  if (domain === "binary_sensor" || domain === "switch" || domain === "input_boolean") return "binary";
  const unit = unitOf(entity);
  const cls = deviceClass(entity);
  if (unit === "%" && (cls === "" || cls === "battery" || cls === "humidity" || cls === "moisture" || /level|fill/.test(entity.entity_id))) {
    return "gauge";
  }
  if (numericValue(entity) !== null || entity.attributes.state_class === "measurement") return "trend";
  return "text";
}
