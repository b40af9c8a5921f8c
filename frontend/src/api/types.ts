export type Role = "viewer" | "operator" | "admin";

export interface User {
  id: string;
  name: string;
  role: Role;
  sites: string[];
  created_at: string;
}

export type Attributes = Record<string, unknown>;

/** An entity as the UI keeps it (times in epoch seconds). */
export interface EntityState {
  entity_id: string;
  state: string;
  attributes: Attributes;
  last_changed: number;
  last_updated: number;
}

export interface RestState {
  entity_id: string;
  state: string;
  attributes: Attributes;
  last_changed: string;
  last_updated: string;
}

export interface Device {
  id: string;
  integration: string;
  name: string;
  identifiers: [string, string][];
  manufacturer: string | null;
  model: string | null;
  sw_version: string | null;
  hw_version: string | null;
  area: string | null;
  via_device_id: string | null;
  data: Record<string, unknown>;
  created_at: string;
}

export interface DiscoveredNode {
  host?: string;
  port?: number;
  mac?: string;
  name?: string;
  status: "unpaired" | "paired" | "paired_elsewhere" | string;
  [key: string]: unknown;
}

export interface AutomationSummary {
  id: string;
  entity_id: string;
  alias: string;
  description?: string | null;
  state: "on" | "off";
  last_triggered: string | null;
  mode: string;
  current: number;
  source?: string | null;
}

export interface TraceStep {
  path: string;
  timestamp: number;
  duration: number | null;
  result: Record<string, unknown>;
  error: string | null;
}

export interface Trace {
  run_id: string;
  automation_id: string;
  state: string;
  script_execution: string | null;
  error: string | null;
  trigger: string;
  started: number;
  finished: number | null;
  last_step: string | null;
  trigger_variables?: Record<string, unknown>;
  steps?: TraceStep[];
}

export type Severity = "critical" | "warning" | "info";

export interface Shelving {
  kind: "unshelved" | "timed" | "oneshot";
  since: number | null;
  until: number | null;
  reason: string | null;
  actor: string | null;
}

export interface Alert {
  id: string;
  entity_id: string | null;
  name: string;
  severity: Severity;
  source: string | null;
  state: "on" | "off" | "idle";
  isa_state: string;
  active: boolean;
  acknowledged: boolean;
  latched: boolean;
  suppressed: boolean;
  out_of_service: boolean;
  shelving: Shelving;
  occurrence_id: string | null;
  active_since: number | null;
  last_value: unknown;
  can_acknowledge: boolean;
  max_shelve: number;
  manual: boolean;
}

export interface AuditEntry {
  ts: number;
  action: string;
  actor: string | null;
  reason: string | null;
  from_label: string;
  to_label: string;
  occurrence_id: string | null;
  detail: string | null;
}

export interface Occurrence {
  id: string;
  alert_id: string;
  source: string;
  severity: Severity;
  start_ts: number;
  end_ts: number;
  first_value: unknown;
  last_value: unknown;
  ack_ts: number | null;
  ack_by: string | null;
  clear_ts: number | null;
  closed_ts: number | null;
  outcome: string | null;
  audit: AuditEntry[];
}

export interface Notice {
  id: string;
  title: string;
  message: string;
  source: string | null;
  created_at: string;
}

export interface LogbookEntry {
  when: string;
  entity_id: string | null;
  name: string;
  message: string;
  state?: string;
  event_type?: string;
  context_user_id: string | null;
}

export interface Panel {
  panel_id: string;
  title: string;
  icon: string;
  integration: string;
  role: Role;
}

export interface StatisticRow {
  start: string;
  mean: number | null;
  min: number | null;
  max: number | null;
  state: number | null;
  sum: number | null;
}

export interface TokenInfo {
  id: string;
  name: string;
  user: string;
  created_at: string;
}
