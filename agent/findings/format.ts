// Number formatting for findings: one rule per kind of number, so every table, figure caption and
// narrative sentence writes the same value the same way. A missing value (null, NaN) is always '—'.
import type { MetricName } from '../../core/index.js';

export const MISSING = '—';

function isMissing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || Number.isNaN(value);
}

/** Trims trailing zeros of a fixed-point string: "1.50" -> "1.5", "2.00" -> "2". */
export function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** Thousands separators for integers: 1068 -> "1,068". */
function withSeparators(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Epoch counts: integers as is, fractional ones (medians of an even count) with one decimal. */
export function formatEpochs(value: number | null | undefined): string {
  if (isMissing(value)) return MISSING;
  return Number.isInteger(value) ? withSeparators(value) : value.toFixed(1);
}

/** Wall times: "3.7 ms" below 10 ms, "1,068 ms" below 10 s, "12.3 s" above. */
export function formatMilliseconds(value: number | null | undefined): string {
  if (isMissing(value)) return MISSING;
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) < 10) return `${value.toFixed(1)} ms`;
  if (Math.abs(value) < 10_000) return `${withSeparators(value)} ms`;
  return `${(value / 1000).toFixed(1)} s`;
}

/** A fraction as a percentage with one decimal: 0.998 -> "99.8%", 1 -> "100%". */
export function formatPercent(fraction: number | null | undefined): string {
  if (isMissing(fraction)) return MISSING;
  return `${trimZeros((fraction * 100).toFixed(1))}%`;
}

/** A relative change with its sign: 0.009 -> "+0.9%", -0.064 -> "-6.4%", 24 -> "+2400%"; one that rounds to nothing as "0%". */
export function formatChange(fraction: number | null | undefined): string {
  if (isMissing(fraction)) return MISSING;
  const text = formatPercent(Math.abs(fraction));
  return text === '0%' ? text : `${fraction < 0 ? '-' : '+'}${text}`;
}

/**
 * p-values: "<0.001", three decimals below 0.01 ("0.008"), two above ("0.09", "0.31"); near 0.05 three
 * decimals, so that rounding never moves a p-value across the usual threshold (0.048 stays "0.048").
 */
export function formatPValue(p: number | null | undefined): string {
  if (isMissing(p)) return MISSING;
  if (p < 0.001) return '<0.001';
  if (p < 0.01 || (p >= 0.045 && p < 0.055)) return p.toFixed(3);
  return p.toFixed(2);
}

/** Ratios of medians: "0.42x", "2.50x", "12.5x", "140x". */
export function formatRatio(ratio: number | null | undefined): string {
  if (isMissing(ratio)) return MISSING;
  if (!Number.isFinite(ratio)) return `${ratio}x`;
  if (Math.abs(ratio) >= 100) return `${Math.round(ratio)}x`;
  if (Math.abs(ratio) >= 10) return `${ratio.toFixed(1)}x`;
  return `${ratio.toFixed(2)}x`;
}

/**
 * A confidence interval with the numbers' own formatter (two decimals by default): "[0.35, 0.50]"; an open
 * end (censored runs leave the upper bound undefined) as "[3.00, —]"; no interval at all as "—".
 */
export function formatInterval(
  low: number | null | undefined,
  high: number | null | undefined,
  formatValue: (value: number) => string = (value) => value.toFixed(2),
): string {
  if (isMissing(low) && isMissing(high)) return MISSING;
  const end = (value: number | null | undefined) => (isMissing(value) ? MISSING : Number.isFinite(value) ? formatValue(value) : String(value));
  return `[${end(low)}, ${end(high)}]`;
}

/** An arm against the baseline, the one way every table, summary and digest line writes it: "0.53x [0.45, 0.60], p=0.008". */
export function formatComparison(comparison: {
  ratio: number | null;
  ratio_ci_low: number | null;
  ratio_ci_high: number | null;
  p_value: number | null;
}): string {
  const interval = formatInterval(comparison.ratio_ci_low, comparison.ratio_ci_high);
  return `${formatRatio(comparison.ratio)}${interval === MISSING ? '' : ` ${interval}`}, p=${formatPValue(comparison.p_value)}`;
}

export const siPrefixes: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** Three significant digits: 1234 -> "1.23", 12.5 -> "12.5", 999.6 -> "1000". */
function threeSignificant(value: number): string {
  if (value === 0) return '0';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return trimZeros(value.toFixed(digits));
}

/** Large counts in SI units with three significant digits: 1234 -> "1.23k", 4.56e6 -> "4.56M", 812 -> "812". */
export function formatCount(value: number | null | undefined, unit = ''): string {
  if (isMissing(value)) return MISSING;
  const suffix = unit ? ` ${unit}` : '';
  for (const [size, prefix] of siPrefixes) {
    if (Math.abs(value) >= size) return `${threeSignificant(value / size)}${prefix}${suffix}`;
  }
  return `${threeSignificant(value)}${suffix}`;
}

const energyUnits: [number, string][] = [
  [1e12, 'J'],
  [1e9, 'mJ'],
  [1e6, 'µJ'],
  [1e3, 'nJ'],
];

/** Energy from picojoules to the largest unit that keeps the number >= 1: 4.56e6 pJ -> "4.56 µJ". */
export function formatEnergy(picojoules: number | null | undefined): string {
  if (isMissing(picojoules)) return MISSING;
  for (const [size, unit] of energyUnits) {
    if (Math.abs(picojoules) >= size) return `${threeSignificant(picojoules / size)} ${unit}`;
  }
  return `${threeSignificant(picojoules)} pJ`;
}

const floats = (value: number | null | undefined) => formatCount(value, 'floats');

/** Per metric: its label for table headers and axis titles, and how a value of it is written (in its unit). */
const metricFormats: Record<MetricName, [label: string, format: (value: number | null | undefined) => string]> = {
  solve_epoch: ['epochs to solve', formatEpochs],
  epoch_90: ['epochs to 90%', formatEpochs],
  time_to_solve_ms: ['time to solve (ms)', formatMilliseconds],
  elapsed_ms: ['training time (ms)', formatMilliseconds],
  best_test_acc: ['best test accuracy', formatPercent],
  final_test_acc: ['final test accuracy', formatPercent],
  epochs: ['epochs run', formatEpochs],
  ard: ['ARD (floats)', floats],
  weighted_ard: ['weighted ARD (floats)', floats],
  dmc: ['DMC', formatCount],
  energy_pj: ['energy (pJ)', formatEnergy],
  dmd: ['DMD (LRU stack)', formatCount],
  mean_depth: ['mean LRU depth (floats)', floats],
  dram_reads: ['reads from DRAM (floats)', floats],
};

/** A value of a spec metric, in that metric's unit; a metric not known yet as a plain number. */
export function formatMetricValue(metric: MetricName | string, value: number | null | undefined): string {
  const format = metricFormats[metric as MetricName]?.[1];
  if (format) return format(value);
  return isMissing(value) ? MISSING : String(Number(value.toPrecision(4)));
}

/** A median in its metric's unit; a censored one (fewer than half the runs got there) as "> 200 (censored)", never a plain number. */
export function formatMedian(metric: MetricName, value: number | null | undefined, censored: boolean | undefined): string {
  const text = formatMetricValue(metric, value);
  return censored ? `> ${text} (censored)` : text;
}

/** A human label for a metric (a metric not known yet by its name). */
export function metricLabel(metric: MetricName | string): string {
  return metricFormats[metric as MetricName]?.[0] ?? metric;
}

/** "0.53x (0.45x–0.60x)", or the ratio alone without an interval. */
export function ratioWithInterval(ratio: number | null, low: number | null, high: number | null): string {
  if (ratio === null) return MISSING;
  return low === null || high === null ? formatRatio(ratio) : `${formatRatio(ratio)} (${formatRatio(low)}–${formatRatio(high)})`;
}

export function metricInterval(metric: string, low: number | null | undefined, high: number | null | undefined): string {
  return formatInterval(low, high, (value) => formatMetricValue(metric, value));
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

/** Seeds as compact ranges: [42, 43, 44, 50] -> "42-44, 50". */
export function formatSeeds(seeds: readonly number[]): string {
  const sorted = [...seeds].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]! + 1) continue;
    const [from, to] = [sorted[start]!, sorted[i - 1]!];
    parts.push(from === to ? `${from}` : `${from}-${to}`);
    start = i;
  }
  return parts.join(', ');
}

/** Raw numbers for front matter: six significant digits, so 0.30000000000000004 reads 0.3. */
export function roundForFrontMatter(value: number | null | undefined): number | null {
  if (isMissing(value) || !Number.isFinite(value)) return null;
  return Number(value.toPrecision(6));
}
