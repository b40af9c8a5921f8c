/** Shapes of the factory_machine REST API (docs/factory.md §6). */

export interface FactoryMachine {
  id: string;
  site: string;
  area: string;
  name: string;
  time_zone: string;
  ideal_cycle_time_s: number | null;
  reporting_interval_s: number;
  last_seen: number | null;
  state_code: number | null;
  entities: string[];
}

export interface DowntimeReason {
  code: number;
  name: string;
  loss_class: string;
  minutes: number;
  occurrences: number;
}

export interface OeeResult {
  scope: string;
  period: { start: string; end: string; label: string };
  planned_minutes: number;
  run_minutes: number;
  stop_minutes: number;
  unknown_minutes: number;
  total_count: number;
  reject_count: number;
  good_count: number | null;
  availability: number | null;
  performance: number | null;
  quality: number | null;
  oee: number | null;
  data_completeness: number | null;
  downtime_reasons: DowntimeReason[];
  flags: string[];
  members: string[];
}

export interface MachineOee {
  machine: string;
  period: "shift" | "day";
  date: string;
  results: OeeResult[];
}

export interface Rollup {
  scope: string;
  from: string;
  to: string;
  rollup: OeeResult | null;
  machines: OeeResult[];
}

export interface IngestKey {
  key_id: string;
  machine: string;
  label: string | null;
  created_ts: number;
  last_used_ts: number | null;
  revoked_ts: number | null;
}

export type ReportKind = "weekly" | "monthly" | "compliance";
export type ReportFormat = "csv" | "json" | "pdf";
export const REPORT_KINDS: ReportKind[] = ["weekly", "monthly", "compliance"];
export const REPORT_FORMATS: ReportFormat[] = ["csv", "json", "pdf"];
