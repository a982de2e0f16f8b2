// Number formatting for the page, reusing the findings' rules so a value reads the same in both places.
import type { MetricName } from '../../core/index.js';
import { formatInterval, formatMetricValue, formatMilliseconds, formatRatio, metricLabel, MISSING } from '../findings/format.js';

export { formatEnergy, formatPercent, formatPValue, formatRatio, formatSeeds, MISSING } from '../findings/format.js';

/** A metric value in its unit; a metric the findings do not know yet is shown as a plain number. */
export function metricValue(metric: string, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return MISSING;
  return formatMetricValue(metric as MetricName, value) ?? String(Number(value.toPrecision(4)));
}

export function metricName(metric: string): string {
  return metricLabel(metric as MetricName) ?? metric;
}

export function ratioWithInterval(ratio: number | null, low: number | null, high: number | null): string {
  if (ratio === null) return MISSING;
  return low === null || high === null ? formatRatio(ratio) : `${formatRatio(ratio)} (${formatRatio(low)}–${formatRatio(high)})`;
}

export function metricInterval(metric: string, low: number | null, high: number | null): string {
  return formatInterval(low, high, (value) => metricValue(metric, value));
}

/** Hours and minutes for long times: "2 h 05 min", "14.2 s" below a minute. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 60_000) return formatMilliseconds(milliseconds);
  const minutes = Math.round(milliseconds / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** "2026-11-22 10:28 UTC". */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDollars(usd: number): string {
  return `$${usd.toFixed(usd >= 1 ? 2 : 4)}`;
}
