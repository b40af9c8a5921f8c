/** Shapes of the ota REST API (docs/ota.md). */

export interface FirmwareImage {
  id: string;
  model: string;
  version: string;
  sha256: string;
  size: number;
  signature: string;
  format: string;
  project_name: string | null;
  idf_version: string | null;
  release_notes: string;
  uploaded_by: string;
  uploaded_at: number;
}

export type RolloutStatus = "running" | "paused" | "waiting_approval" | "soaking" | "finished" | "aborted";

export interface RolloutPolicy {
  success_threshold: number;
  error_kind: string;
  error_value: number;
  error_action: string;
  manual_gate: boolean;
  soak_s: number;
  concurrency: number;
  max_attempts: number;
}

export interface GroupStats {
  size: number;
  states: Record<string, number>;
}

export interface Rollout {
  id: string;
  name: string;
  image_id: string;
  policy: RolloutPolicy;
  groups: string[][];
  status: RolloutStatus;
  current_group: number;
  status_reason: string | null;
  soak_until: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  group_stats: GroupStats[];
}

export interface DeviceRecord {
  id: string;
  rollout_id: string;
  device_id: string;
  group: number;
  from_version: string | null;
  target_version: string;
  state: string;
  progress: number;
  attempts: number;
  max_attempts: number;
  error_code: string | null;
  error_text: string | null;
  started_at: number | null;
  finished_at: number | null;
}

export interface RolloutDetail extends Rollout {
  records: DeviceRecord[];
}

export interface OtaDevice {
  device_id: string;
  name: string;
  model: string;
  installed_version: string | null;
  latest_version: string | null;
  online: boolean | null;
  record: DeviceRecord | null;
}

export interface AuditEntry {
  at: number;
  user: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

export interface RolloutSpec {
  image_id: string;
  name?: string;
  target: { percentage: number; area?: string };
  canary: string | number;
  groups: number[];
  success_threshold: number;
  error_threshold: string | number;
  error_action: "pause" | "abort";
  manual_gate: boolean;
  soak: number;
}
