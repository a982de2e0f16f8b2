// The shapes of an experiment's outcome: every arm's runs (results.json) and the judged summary.
import type { TrainConfig } from './config.js';
import type { RunResult } from './result.js';
import type { MetricName, Spec } from './spec.js';

/** A run as the runner records it: a training result, or a harness failure (worker crashed). */
export type ExperimentRun = RunResult | CrashedRun;

export type CrashedRun = {
  seed: number;
  status: 'crashed';
  message: string;
  elapsed_ms: number;
};

export type ArmRuns = {
  name: string;
  baseline: boolean;
  config: TrainConfig;
  runs: ExperimentRun[];
};

export type Provenance = {
  spec_hash: string;
  core_hash: string;
  package_version: string;
  node_version: string;
  git_commit: string | null;
  started_at: string;
  finished_at: string;
  /** Wall time of the whole experiment, all workers. */
  wall_ms: number;
  workers: number;
};

export const EXPERIMENT_CLASSES = ['WIN', 'LOSS', 'INCONCLUSIVE', 'INVALID', 'BASELINE'] as const;
export type ExperimentClass = (typeof EXPERIMENT_CLASSES)[number];

export type MetricSummary = {
  metric: MetricName;
  /** Runs with a value (solved or censored). */
  n: number;
  /** Runs that never reached the metric and count as censored at the worst rank. */
  censored: number;
  median: number | null;
  mean: number | null;
  /** Bootstrap 95% CI of the median. */
  ci_low: number | null;
  ci_high: number | null;
};

export type Comparison = {
  metric: MetricName;
  /** median(arm) / median(baseline). */
  ratio: number | null;
  ratio_ci_low: number | null;
  ratio_ci_high: number | null;
  /** Two-sided p-value of the exact permutation test on ranks (Mann-Whitney U). */
  p_value: number | null;
  test: string;
  /** The arm's primary metric is better than the baseline's (by median). */
  better: boolean;
};

export type ArmSummary = {
  name: string;
  baseline: boolean;
  runs: number;
  solved: number;
  solve_rate: number;
  diverged: number;
  timed_out: number;
  crashed: number;
  mean_best_test_acc: number | null;
  metrics: Partial<Record<MetricName, MetricSummary>>;
  /** Against the baseline, on the primary metric (absent for the baseline arm). */
  comparison: Comparison | null;
  class: ExperimentClass;
  /** The rule that decided the class, in words. */
  reason: string;
};

export type ExperimentSummary = {
  primary: { metric: MetricName; direction: 'lower' | 'higher' };
  arms: ArmSummary[];
  class: ExperimentClass;
  /** The best-supported arm (decides the class), or null when only the baseline ran. */
  best_arm: string | null;
  /** One line a human can scan, with numbers. */
  headline: string;
};

export type ExperimentResults = {
  schema_version: 1;
  id: string;
  spec: Spec;
  provenance: Provenance;
  arms: ArmRuns[];
  summary: ExperimentSummary;
  /** sha256 over spec and runs, leaving out wall times: identical when the spec is run again anywhere. */
  results_hash: string;
};
