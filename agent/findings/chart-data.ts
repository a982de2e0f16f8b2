// Turns results.json into what the charts draw: one series per (arm, seed), downsampled so that
// 20 arms x 50 seeds x 1000 epochs still renders an SVG of a few hundred kB. Pure and deterministic.
import type { EpochRecord, ExperimentResults, MetricName } from '../../core/index.js';
import { isTrainingRun, runMetric } from './arm-stats.js';

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
  const runs = results.arms.flatMap((arm) => arm.runs.filter(isTrainingRun).filter((run) => run.history.length > 0).map((run) => ({ arm: arm.name, run })));
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
