// The finding's figures as SVG files: test accuracy and hidden progress per epoch (one colour per arm, one thin line per
// seed, downsampled so 20 arms x 50 seeds x 1000 epochs stay a few hundred kB; small multiples beyond four arms) and the
// primary metric per arm (a dot per seed, a bar per median). Same results in, same SVG bytes out.
import type { EpochRecord, ExperimentResults, MetricName } from '../../core/index.js';
import { isTrainingRun, runMetric } from './arm-stats.js';
import { formatSeeds, metricLabel } from './format.js';
import { chartGridSvg, scatterChartSvg, type ChartLine, type ChartPoint } from './svg-chart.js';

/** Up to this many arms share one panel; more get one small panel each (small multiples). */
const MAX_ARMS_OVERLAID = 4;
/** Vega's tableau10, one colour per arm in spec order. */
const palette = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];

type HistoryChartOptions = {
  title: string;
  yTitle: string;
  pick: (record: EpochRecord) => number;
  yDomain?: [number, number];
  formatY?: (value: number) => string;
};

function armColor(results: ExperimentResults, arm: string): string {
  return palette[results.arms.findIndex((candidate) => candidate.name === arm) % palette.length]!;
}

export type RunSeries = { arm: string; seed: number; points: { x: number; y: number }[] };

/** Points kept over all series of one chart; each series keeps between the two bounds below. */
const TOTAL_POINT_BUDGET = 20_000;
const MIN_POINTS_PER_SERIES = 20;
const MAX_POINTS_PER_SERIES = 300;

export function pointsPerSeries(seriesCount: number): number {
  const share = Math.floor(TOTAL_POINT_BUDGET / Math.max(1, seriesCount));
  return Math.min(MAX_POINTS_PER_SERIES, Math.max(MIN_POINTS_PER_SERIES, share));
}

/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013): keeps the first and last point and, per
 * bucket, the point spanning the largest triangle with its neighbours, so jumps (the grokking transition) survive.
 */
export function downsampleLttb<T extends { x: number; y: number }>(points: readonly T[], threshold: number): T[] {
  if (threshold >= points.length || threshold < 3) return [...points];
  const sampled: T[] = [points[0]!];
  const bucketSize = (points.length - 2) / (threshold - 2);
  let previous = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const nextStart = Math.floor((bucket + 1) * bucketSize) + 1;
    const nextEnd = Math.min(points.length, Math.floor((bucket + 2) * bucketSize) + 1);
    let averageX = 0;
    let averageY = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      averageX += points[i]!.x;
      averageY += points[i]!.y;
    }
    const nextCount = Math.max(1, nextEnd - nextStart);
    averageX /= nextCount;
    averageY /= nextCount;
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    const anchor = points[previous]!;
    let bestArea = -1;
    let bestIndex = start;
    for (let i = start; i < end; i++) {
      const area = Math.abs((anchor.x - averageX) * (points[i]!.y - anchor.y) - (anchor.x - points[i]!.x) * (averageY - anchor.y));
      if (area > bestArea) {
        bestArea = area;
        bestIndex = i;
      }
    }
    sampled.push(points[bestIndex]!);
    previous = bestIndex;
  }
  sampled.push(points[points.length - 1]!);
  return sampled;
}

/** One series (epoch, value) per run with a history; non-finite values (a diverged run's NaN) are dropped. */
export function historySeries(results: ExperimentResults, pick: (record: EpochRecord) => number): RunSeries[] {
  const runs = results.arms.flatMap((arm) =>
    arm.runs
      .filter(isTrainingRun)
      .filter((run) => run.history.length > 0)
      .map((run) => ({ arm: arm.name, run })),
  );
  const budget = pointsPerSeries(runs.length);
  return runs.map(({ arm, run }) => {
    const points = run.history.map((record) => ({ x: record.epoch, y: pick(record) })).filter((point) => Number.isFinite(point.y));
    return { arm, seed: run.seed, points: downsampleLttb(points, budget) };
  });
}

/** Whether any run recorded at least one epoch (an all-crashed experiment has nothing to draw). */
export function hasAnyHistory(results: ExperimentResults): boolean {
  return results.arms.some((arm) => arm.runs.some((run) => isTrainingRun(run) && run.history.length > 0));
}

export type MetricPoint = { arm: string; seed: number; value: number | null; offset: number };

/** One point per run with a slot offset in [-0.35, 0.35] of its band so seeds sit side by side, not on top. */
export function metricPoints(results: ExperimentResults, metric: MetricName): MetricPoint[] {
  return results.arms.flatMap((arm) => {
    const runs = arm.runs.filter(isTrainingRun);
    return runs.map((run, index) => ({
      arm: arm.name,
      seed: run.seed,
      value: runMetric(run, metric),
      offset: runs.length <= 1 ? 0 : -0.35 + (0.7 * index) / (runs.length - 1),
    }));
  });
}

/** Thin lines get fainter as seeds get more numerous, so 50 overlaid seeds still show a density. */
function lineOpacity(seedsPerArm: number): number {
  return Math.round(Math.min(0.85, Math.max(0.2, 1.6 / Math.sqrt(Math.max(1, seedsPerArm)))) * 100) / 100;
}

function historyLines(results: ExperimentResults, pick: (record: EpochRecord) => number): (ChartLine & { arm: string })[] {
  const opacity = lineOpacity(Math.max(1, ...results.arms.map((arm) => arm.runs.length)));
  return historySeries(results, pick).map(({ arm, seed, points }) => ({ arm, label: `${arm} / seed ${seed}`, color: armColor(results, arm), opacity, points }));
}

function historyChart(results: ExperimentResults, options: HistoryChartOptions): string {
  const names = results.arms.map((arm) => arm.name);
  const lines = historyLines(results, options.pick);
  const subtitle = `${results.id}: ${results.arms.length} arm(s), seeds ${formatSeeds(results.spec.seeds)}, one line per seed`;
  const maxEpoch = Math.max(1, ...lines.flatMap((line) => line.points.map((point) => point.x)));
  const axes = {
    xLabel: 'epoch',
    yLabel: options.yTitle,
    xDomain: [0, maxEpoch] as [number, number],
    ...(options.yDomain ? { yDomain: options.yDomain } : {}),
  };
  const formats = options.formatY ? { formatY: options.formatY } : {};
  if (names.length <= MAX_ARMS_OVERLAID) {
    const legend = names.map((name) => ({ label: name, color: armColor(results, name) }));
    return scatterChartSvg({ title: options.title, subtitle, ...axes, ...formats, lines, legend, standalone: true, width: 760, height: 360 });
  }
  const panels = names.map((name) =>
    scatterChartSvg({ title: name, ...axes, ...formats, lines: lines.filter((line) => line.arm === name), width: 260, height: 190 }),
  );
  return chartGridSvg({ title: options.title, subtitle, panels, columns: Math.min(4, Math.ceil(Math.sqrt(names.length))), panelWidth: 260, panelHeight: 190 });
}

/** Test accuracy vs epoch, every arm and seed. */
export function renderAccuracyChart(results: ExperimentResults): string {
  const formatY = (value: number) => `${Math.round(value * 100)}%`;
  return historyChart(results, { title: 'Test accuracy per epoch', yTitle: 'test accuracy', pick: (record) => record.test_acc, yDomain: [0, 1], formatY });
}

/** Hidden progress ||w_t - w_0||_1 vs epoch: weights move long before accuracy shows it (Barak et al. 2022). */
export function renderHiddenProgressChart(results: ExperimentResults): string {
  return historyChart(results, { title: 'Hidden progress ||w_t - w_0||_1 per epoch', yTitle: '||w_t - w_0||_1', pick: (record) => record.weight_movement_l1 });
}

/** The primary metric per arm: one dot per seed, a bar at the judged median; runs without a value as crosses on top. */
export function renderMetricChart(results: ExperimentResults): string {
  const metric = results.summary.primary.metric;
  const names = results.arms.map((arm) => arm.name);
  const points = metricPoints(results, metric).flatMap((point): ChartPoint[] => {
    const [x, color] = [names.indexOf(point.arm) + point.offset, armColor(results, point.arm)];
    if (point.value === null) return [{ x, y: 0, color, shape: 'cross', label: `${point.arm} seed ${point.seed}: no value` }];
    return Number.isFinite(point.value) ? [{ x, y: point.value, color, label: `${point.arm} seed ${point.seed}: ${point.value}` }] : [];
  });
  const medians = names.flatMap((name, index): ChartLine[] => {
    const value = results.summary.arms.find((arm) => arm.name === name)?.metrics[metric]?.median;
    if (value === null || value === undefined || !Number.isFinite(value)) return [];
    const color = armColor(results, name);
    return [
      {
        points: [
          { x: index - 0.4, y: value },
          { x: index + 0.4, y: value },
        ],
        color,
        width: 3,
        label: `${name} median ${value}`,
      },
    ];
  });
  const crosses = points.filter((point) => point.shape === 'cross').length;
  const subtitle = `${results.id}: dots are seeds, bars are the judged medians${crosses > 0 ? `; × at the top: ${crosses} run(s) that never reached it (censored)` : ''}`;
  return scatterChartSvg({
    title: `${metricLabel(metric)} per arm (${results.summary.primary.direction} is better)`,
    subtitle,
    xLabel: 'arm',
    yLabel: metricLabel(metric),
    points,
    lines: medians,
    xDomain: [-0.5, names.length - 0.5],
    xTicks: names.map((name, index) => ({ value: index, label: name })),
    standalone: true,
    width: Math.max(80 + 90 * names.length, 16 + 6 * subtitle.length),
    height: 320,
  });
}

/** The figures of a finding, or none when no run recorded a history (e.g. every run crashed). */
export function renderAllCharts(results: ExperimentResults): { name: string; title: string; svg: string }[] {
  if (!hasAnyHistory(results)) return [];
  return [
    { name: 'test-accuracy.svg', title: 'Test accuracy per epoch, every arm and seed', svg: renderAccuracyChart(results) },
    { name: 'hidden-progress.svg', title: 'Hidden progress ||w_t - w_0||_1 per epoch', svg: renderHiddenProgressChart(results) },
    { name: `${results.summary.primary.metric}-per-arm.svg`, title: `${metricLabel(results.summary.primary.metric)} per arm`, svg: renderMetricChart(results) },
  ];
}
