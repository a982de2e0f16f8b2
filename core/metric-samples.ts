// Reads one metric from every run of an arm, as the verdicts need it: a time to an event (possibly censored),
// a plain value, or solved / not solved. Crashed runs give nothing (harness failures are judged apart).
import type { TrainConfig } from './config.js';
import type { ExperimentRun } from './experiment.js';
import { isMemorised } from './outcome.js';
import type { RunResult } from './result.js';
import { memoryMetrics, solveMetrics, type MetricName } from './spec.js';
import type { TimeToEvent } from './survival.js';

/** What limits a run: its epochs, and the spec's time limit (a diverged run that never reaches an event is censored there). */
export type RunLimits = { config: TrainConfig; timeLimitMs: number };

export type SeedTime = TimeToEvent & { seed: number };
export type SeedValue = { seed: number; value: number };

export function isTimeToEvent(metric: MetricName): boolean {
  return solveMetrics.includes(metric);
}

/**
 * Time to the event for solve_epoch, epoch_90 (epochs) and time_to_solve_ms (ms). A run that did not get there is
 * censored: a run that can no longer learn (diverged, frozen, or memorised: no update, test frozen) at its limit
 * (max_epochs, or the time limit), any other run (ran out of epochs, timed out) at what it reached.
 */
export function timeToEvent(run: ExperimentRun, metric: MetricName, limits: RunLimits): SeedTime | null {
  if (run.status === 'crashed') return null;
  const inMs = metric === 'time_to_solve_ms';
  const reached = run[metric as 'solve_epoch' | 'epoch_90' | 'time_to_solve_ms'];
  if (typeof reached === 'number' && Number.isFinite(reached)) return { seed: run.seed, time: reached, event: true };
  const cannotRecover = run.status === 'diverged' || run.stop_reason === 'frozen' || isMemorised(run.history);
  if (cannotRecover) return { seed: run.seed, time: inMs ? limits.timeLimitMs : limits.config.max_epochs, event: false };
  return { seed: run.seed, time: inMs ? run.elapsed_ms : run.epochs, event: false };
}

const accuracyMetrics: readonly MetricName[] = ['best_test_acc', 'final_test_acc'];

/**
 * A plain metric's value. Accuracies count for every trained run (a timed-out run's accuracy is what it reached);
 * wall time, epochs and memory figures only for runs that trained to their end: a timed-out or diverged run's are
 * cut short (16 ms is how long a diverging run took, not what training costs).
 */
export function plainValue(run: ExperimentRun, metric: MetricName): SeedValue | null {
  if (run.status === 'crashed') return null;
  if (run.status !== 'ok' && !accuracyMetrics.includes(metric)) return null;
  const raw = memoryMetrics.includes(metric) ? run.memory?.[metric as keyof NonNullable<RunResult['memory']> & MetricName] : run[metric as keyof RunResult];
  return typeof raw === 'number' && Number.isFinite(raw) ? { seed: run.seed, value: raw } : null;
}

/** Solved means reached 100% test accuracy (solve_epoch set); crashed runs are left out. */
export function solvedFlags(runs: readonly ExperimentRun[]): SeedValue[] {
  return runs.flatMap((run) => (run.status === 'crashed' ? [] : [{ seed: run.seed, value: run.solve_epoch !== null ? 1 : 0 }]));
}
