// Descriptive per-arm numbers computed from the raw runs of results.json (the judged statistics,
// ratios, CIs and p-values, come from results.summary). Shared by the results table, the narrative and the tests.
import { median } from 'simple-statistics';
import type { ArmRuns, ArmSummary, ExperimentResults, ExperimentRun, RunResult } from '../../core/index.js';

export function isTrainingRun(run: ExperimentRun): run is RunResult {
  return run.status !== 'crashed';
}

/** A run's value of a metric: a run field (solve_epoch, elapsed_ms, ...) or a memory figure (ard, energy_pj); null when absent. */
export function runMetric(run: ExperimentRun, metric: string): number | null {
  if (run.status === 'crashed') return null;
  const direct = (run as unknown as Record<string, unknown>)[metric];
  if (typeof direct === 'number' && Number.isFinite(direct)) return direct;
  const memory = (run.memory as unknown as Record<string, unknown> | undefined)?.[metric];
  return typeof memory === 'number' && Number.isFinite(memory) ? memory : null;
}

/** Median of the finite values, or null when there are none. */
export function medianOf(values: readonly (number | null | undefined)[]): number | null {
  const finite = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  return finite.length === 0 ? null : median(finite);
}

export type ArmStats = {
  name: string;
  baseline: boolean;
  runs: number;
  solved: number;
  diverged: number;
  timedOut: number;
  crashed: number;
  meanBestTestAcc: number | null;
  /** Median over the runs that reached 90% (reachedEpoch90 of them). */
  medianEpoch90: number | null;
  reachedEpoch90: number;
  /** Median over the runs that hit 100% test accuracy (reachedSolveEpoch of them). */
  medianSolveEpoch: number | null;
  reachedSolveEpoch: number;
  /** Median training-loop time over the runs that trained (not crashed). */
  medianElapsedMs: number | null;
  /** Medians over the runs with a memory report; null when the arm was not tracked. */
  memory: { ard: number | null; dmc: number | null; energyPj: number | null } | null;
};

export function computeArmStats(arm: ArmRuns): ArmStats {
  const trained = arm.runs.filter(isTrainingRun);
  const tracked = trained.some((run) => run.memory !== undefined);
  const epoch90 = trained.map((run) => run.epoch_90).filter((value) => value !== null);
  const solveEpochs = trained.map((run) => run.solve_epoch).filter((value) => value !== null);
  const medianRuns = (metric: string) => medianOf(trained.map((run) => runMetric(run, metric)));
  return {
    name: arm.name,
    baseline: arm.baseline,
    runs: arm.runs.length,
    solved: trained.filter((run) => run.solved).length,
    diverged: trained.filter((run) => run.status === 'diverged').length,
    timedOut: trained.filter((run) => run.status === 'timeout').length,
    crashed: arm.runs.length - trained.length,
    meanBestTestAcc: trained.length === 0 ? null : trained.reduce((sum, run) => sum + run.best_test_acc, 0) / trained.length,
    medianEpoch90: medianOf(epoch90),
    reachedEpoch90: epoch90.length,
    medianSolveEpoch: medianOf(solveEpochs),
    reachedSolveEpoch: solveEpochs.length,
    medianElapsedMs: medianOf(trained.map((run) => run.elapsed_ms)),
    memory: tracked ? { ard: medianRuns('ard'), dmc: medianRuns('dmc'), energyPj: medianRuns('energy_pj') } : null,
  };
}

/** Whether any run of the experiment carried a memory report (adds the ARD / DMC / energy columns). */
export function anyMemoryTracked(results: ExperimentResults): boolean {
  return results.arms.some((arm) => arm.runs.some((run) => isTrainingRun(run) && run.memory !== undefined));
}

/** The arm's judged summary, matched by name (summary.arms and arms may be ordered differently). */
export function summaryOf(results: ExperimentResults, armName: string): ArmSummary | undefined {
  return results.summary.arms.find((arm) => arm.name === armName);
}

export function baselineArm(results: ExperimentResults): ArmRuns | undefined {
  return results.arms.find((arm) => arm.baseline) ?? results.arms[0];
}

/** "2 diverged, 1 timed out, 1 crashed", or '' when every run ended normally. */
export function describeFailures(stats: Pick<ArmStats, 'diverged' | 'timedOut' | 'crashed'>): string {
  const parts: string[] = [];
  if (stats.diverged > 0) parts.push(`${stats.diverged} diverged`);
  if (stats.timedOut > 0) parts.push(`${stats.timedOut} timed out`);
  if (stats.crashed > 0) parts.push(`${stats.crashed} crashed`);
  return parts.join(', ');
}
