import type { Device, EntityState } from "../api/types";

export type DeviceHealth = "online" | "offline" | "unknown";

/** Entities of each device (by the `device_id` state attribute). */
export function entitiesByDevice(states: Iterable<EntityState>): Map<string, EntityState[]> {
  const result = new Map<string, EntityState[]>();
  for (const entity of states) {
    const deviceId = entity.attributes.device_id;
    if (typeof deviceId !== "string") continue;
    const list = result.get(deviceId);
    if (list) list.push(entity);
    else result.set(deviceId, [entity]);
  }
  return result;
}

/**
 * Online when a connectivity sensor says so; otherwise offline when every entity of the
 * device is unavailable.
 */
export function deviceHealth(entities: EntityState[] | undefined): DeviceHealth {
  if (!entities || entities.length === 0) return "unknown";
  const link = entities.find(
    (e) =>
      e.entity_id.startsWith("binary_sensor.") &&
      (e.attributes.device_class === "connectivity" || e.entity_id.endsWith("_online")),
  );
  if (link) return link.state === "on" ? "online" : "offline";
  return entities.every((e) => e.state === "unavailable") ? "offline" : "online";
}

export function identifierText(device: Device): string {
  return device.identifiers.map(([kind, value]) => `${kind}: ${value}`).join(", ");
}
