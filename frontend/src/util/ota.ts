import type { GroupStats, RolloutStatus } from "../api/ota";

const DONE = new Set(["succeeded"]);
const FAILED = new Set(["failed", "rolled_back"]);
const WAITING = new Set(["pending", "skipped-offline"]);

export interface GroupProgress {
  size: number;
  succeeded: number;
  failed: number;
  active: number;
  waiting: number;
  /** share of the group that has finished, successfully or not, 0-100 */
  percent: number;
}

/** Counts of a rollout group's devices by outcome. */
export function groupProgress(stats: GroupStats): GroupProgress {
  let succeeded = 0;
  let failed = 0;
  let waiting = 0;
  let active = 0;
  for (const [state, count] of Object.entries(stats.states)) {
    if (DONE.has(state)) succeeded += count;
    else if (FAILED.has(state)) failed += count;
    else if (WAITING.has(state)) waiting += count;
    else active += count;
  }
  const size = stats.size;
  return { size, succeeded, failed, active, waiting, percent: size ? Math.round(((succeeded + failed) * 100) / size) : 100 };
}

export type RolloutAction = "pause" | "resume" | "abort" | "approve";

/** The steering actions that make sense for a rollout in `status`. */
export function rolloutActions(status: RolloutStatus): RolloutAction[] {
  switch (status) {
    case "running":
    case "soaking":
      return ["pause", "abort"];
    case "paused":
      return ["resume", "abort"];
    case "waiting_approval":
      return ["approve", "pause", "abort"];
    default:
      return [];
  }
}

/** "1.9 MB", "40.0 kB", "512 B". */
export function formatBytes(size: number): string {
  if (size < 1000) return `${size} B`;
  if (size < 1_000_000) return `${(size / 1000).toFixed(1)} kB`;
  return `${(size / 1_000_000).toFixed(1)} MB`;
}

/** A canary or error threshold as typed: "10%" stays a share, "3" becomes a count. */
export function shareOrCount(text: string): string | number {
  const trimmed = text.trim();
  if (trimmed.endsWith("%")) return trimmed.replace(/\s+/g, "");
  const count = Number(trimmed);
  return Number.isInteger(count) && count >= 0 ? count : trimmed;
}
