import type { Alert, Severity } from "../api/types";

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Alerts that need attention: firing or latched, or returned but never acknowledged. */
export function needsAttention(alert: Alert): boolean {
  return alert.active || alert.latched || !alert.acknowledged;
}

/** Most severe first, then oldest first. */
export function compareAlerts(a: Alert, b: Alert): number {
  const bySeverity = SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
  if (bySeverity !== 0) return bySeverity;
  return (a.active_since ?? Infinity) - (b.active_since ?? Infinity);
}

export function isShelved(alert: Alert): boolean {
  return alert.shelving.kind !== "unshelved";
}

/** Critical, unacknowledged and annunciated (not shelved, suppressed or out of service). */
export function isUnackedCritical(alert: Alert): boolean {
  return (
    alert.severity === "critical" &&
    !alert.acknowledged &&
    (alert.active || alert.latched) &&
    !isShelved(alert) &&
    !alert.suppressed &&
    !alert.out_of_service
  );
}

export class AlertStore {
  readonly alerts = new Map<string, Alert>();
  private readonly listeners = new Set<() => void>();

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }

  replace(alerts: Alert[]): void {
    this.alerts.clear();
    for (const alert of alerts) this.alerts.set(alert.id, alert);
    this.emit();
  }

  update(alert: Alert): void {
    this.alerts.set(alert.id, alert);
    this.emit();
  }

  active(): Alert[] {
    return [...this.alerts.values()].filter(needsAttention).sort(compareAlerts);
  }

  unackedCritical(): Alert[] {
    return [...this.alerts.values()].filter(isUnackedCritical).sort(compareAlerts);
  }
}
