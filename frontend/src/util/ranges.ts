export interface RangePreset {
  id: string;
  label: string;
  seconds: number;
}

export const PRESETS: RangePreset[] = [
  { id: "1h", label: "1 h", seconds: 3600 },
  { id: "24h", label: "24 h", seconds: 86400 },
  { id: "7d", label: "7 d", seconds: 7 * 86400 },
  { id: "30d", label: "30 d", seconds: 30 * 86400 },
];

/** Ranges longer than this read statistics (hourly or daily means) rather than raw history. */
export const STATISTICS_AFTER = 2 * 86400;

export function statisticsPeriod(seconds: number): "hour" | "day" {
  return seconds > 14 * 86400 ? "day" : "hour";
}
