// Timing our training loop over seeds: warm-up, one train() per seed, medians. Shared by every bench section.
// Wall time comes from performance.now, injected into the core (which reads no clock of its own).
import { MemTracker, parseTrainConfig, train, type RunResult, type TrainConfigInput } from '../core/index.js';

export const benchSeeds = [42, 43, 44, 45, 46];

/** The per-run figures both sides report (numpy's elapsed_ms is its training loop only). */
export type RunTiming = { epochs: number; solve_epoch: number | null; elapsed_ms: number; time_to_solve_ms?: number | null };

/** Medians over seeds of one side (ours or numpy) on one case. */
export type SideSummary = {
  median_ms_per_epoch: number;
  /** Over the solved runs only; null when none solved. */
  median_time_to_solve_ms: number | null;
  median_epochs: number;
  solved: number;
  runs: number;
};

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('bench/measure.ts median: no values; measure at least one run');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function summarizeRuns(runs: RunTiming[]): SideSummary {
  const solvedRuns = runs.filter((run) => run.solve_epoch !== null);
  return {
    median_ms_per_epoch: median(runs.map((run) => run.elapsed_ms / run.epochs)),
    median_time_to_solve_ms: solvedRuns.length ? median(solvedRuns.map((run) => run.time_to_solve_ms ?? run.elapsed_ms)) : null,
    median_epochs: median(runs.map((run) => run.epochs)),
    solved: solvedRuns.length,
    runs: runs.length,
  };
}

const clock = { now: () => performance.now() };

/** A few epochs on another seed first, so V8 has optimized the kernels before the timed runs. */
export function warmUp(config: TrainConfigInput): void {
  const parsed = parseTrainConfig(config);
  train({ ...parsed, max_epochs: Math.min(3, parsed.max_epochs) }, 1, clock);
}

/** Our loop on every bench seed (after a warm-up), untracked. */
export function timeOurs(config: TrainConfigInput, seeds = benchSeeds): RunResult[] {
  warmUp(config);
  const parsed = parseTrainConfig(config);
  return seeds.map((seed) => train(parsed, seed, clock));
}

export type TrackerCost = { untracked_ms_per_epoch: number; tracked_ms_per_epoch: number; ratio: number };

/**
 * The MemTracker's cost: per seed (and repeat) an untracked and a tracked run of the same config, interleaved so a
 * busy moment of this shared machine hits both; the ratio of the medians.
 */
export function timeTrackerCost(config: TrainConfigInput, seeds = benchSeeds, repeats = 2): TrackerCost {
  warmUp(config);
  const parsed = parseTrainConfig(config);
  train({ ...parsed, max_epochs: Math.min(3, parsed.max_epochs) }, 1, { ...clock, tracker: new MemTracker() });
  const untracked: number[] = [];
  const tracked: number[] = [];
  for (const seed of Array.from({ length: repeats }, () => seeds).flat()) {
    const plain = train(parsed, seed, clock);
    const measured = train(parsed, seed, { ...clock, tracker: new MemTracker() });
    untracked.push(plain.elapsed_ms / plain.epochs);
    tracked.push(measured.elapsed_ms / measured.epochs);
  }
  const untrackedMedian = median(untracked);
  const trackedMedian = median(tracked);
  return { untracked_ms_per_epoch: untrackedMedian, tracked_ms_per_epoch: trackedMedian, ratio: trackedMedian / untrackedMedian };
}

/** Median ms/epoch of two configs over the same seeds and the same number of epochs, runs interleaved. */
export function timeSamePhase(
  first: TrainConfigInput,
  second: TrainConfigInput,
  epochs: number,
  seeds = benchSeeds,
): { first_ms_per_epoch: number; second_ms_per_epoch: number; ratio: number } {
  warmUp(first);
  warmUp(second);
  const [a, b] = [parseTrainConfig({ ...first, max_epochs: epochs }), parseTrainConfig({ ...second, max_epochs: epochs })];
  const firstTimes: number[] = [];
  const secondTimes: number[] = [];
  for (const seed of seeds) {
    const runA = train(a, seed, clock);
    const runB = train(b, seed, clock);
    firstTimes.push(runA.elapsed_ms / runA.epochs);
    secondTimes.push(runB.elapsed_ms / runB.epochs);
  }
  const [firstMedian, secondMedian] = [median(firstTimes), median(secondTimes)];
  return { first_ms_per_epoch: firstMedian, second_ms_per_epoch: secondMedian, ratio: secondMedian / firstMedian };
}
