// The shapes of an experiment's outcome: every arm's runs (results.json) and the judged summary.
import type { TrainConfig } from './config.js';
import type { RunResult } from './result.js';
import type { ArmReason, ExperimentReason } from './classify.js';
import type { OutcomeCount } from './outcome.js';
import type { MetricName, Spec } from './spec.js';
import type { MetricVerdict, VerdictMetric } from './verdict.js';

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
  /** Runs taken from the workspace's ledger instead of trained again (identical config, seed, limits and core). */
  reused_runs?: { arm: string; seed: number; from: string }[];
};

export const EXPERIMENT_CLASSES = ['WIN', 'LOSS', 'MIXED', 'INCONCLUSIVE', 'INVALID', 'BASELINE'] as const;
export type ExperimentClass = (typeof EXPERIMENT_CLASSES)[number];

export type MetricSummary = {
  metric: MetricName;
  /** Runs with a value (solved or censored). */
  n: number;
  /** Runs that never reached the metric: censored (time-to-event metrics). */
  censored: number;
  /** Kaplan-Meier median for time-to-event metrics (the plain median without censoring); a bound when `median_censored`. */
  median: number | null;
  /** The survival curve never fell to 1/2: the median is only "> median" (censored). */
  median_censored: boolean;
  mean: number | null;
  /** Bootstrap 95% CI of the plain median (censored runs at their censoring time). */
  ci_low: number | null;
  ci_high: number | null;
};

/** The primary metric's verdict, flattened for tables: the effect (see `measure`), its CI and p. */
export type Comparison = {
  metric: MetricName;
  /** Ratio of restricted means (time-to-event metrics) or of medians (others; accuracies: without CI, they are judged by difference): never a ratio of censored medians. */
  ratio: number | null;
  ratio_ci_low: number | null;
  ratio_ci_high: number | null;
  measure: MetricVerdict['effect']['measure'];
  /** Two-sided p-value of the exact test (Gehan's for time-to-event metrics, Mann-Whitney's for others). */
  p_value: number | null;
  test: MetricVerdict['test'];
  /** Better than the baseline: established, or by the point estimate when not established either way. */
  better: boolean;
};

/** A config key whose value differs from a reference (the canonical config, or the baseline arm's). */
export type ConfigCondition = { key: string; value: unknown; reference: unknown };

/** What a discovery or narrative line needs about an arm: the claim's metric and verdict, seeds, conditions, outcomes. */
export type ArmClaim = {
  metric: MetricName;
  /** The verdict on the claim's metric (null for the baseline arm). */
  verdict: MetricVerdict | null;
  seeds: number;
  /** Config keys that differ from the canonical config of the seeds (for the task). */
  conditions: ConfigCondition[];
  /** Config keys that differ from the baseline arm's: the factors this arm changed. */
  changes: ConfigCondition[];
  /** Run outcome labels with counts and accuracy ranges. */
  outcomes: OutcomeCount[];
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
  /** Against the baseline, on every metric that matters: the solve rate first (empty for the baseline arm). */
  verdicts: MetricVerdict[];
  claim: ArmClaim;
  class: ExperimentClass;
  /** Codes of the rule that decided the class (agent/ renders them). */
  reasons: ArmReason[];
  better_on: VerdictMetric[];
  worse_on: VerdictMetric[];
};

export type ExperimentSummary = {
  primary: { metric: MetricName; direction: 'lower' | 'higher' };
  /** The minimum effect (relative; absolute for a rate) below which a difference is no effect. */
  min_effect: number;
  alpha: number;
  arms: ArmSummary[];
  class: ExperimentClass;
  /** The best-supported arm (decides the class), or null when only the baseline ran. */
  best_arm: string | null;
  reasons: ExperimentReason[];
};

/** The words agent/ renders from a summary, stored beside it so every file shows the same sentence. */
export type SummaryText = {
  /** One line a human can scan, with numbers. */
  headline: string;
};

export type ExperimentResults = {
  /** 2: solved means 100% test accuracy (reached_95 the old >= 95%), runs carry stop_reason, verdicts per metric. */
  schema_version: 2;
  id: string;
  spec: Spec;
  provenance: Provenance;
  arms: ArmRuns[];
  summary: ExperimentSummary & SummaryText;
  /** sha256 over spec and runs, leaving out wall times: identical when the spec is run again anywhere. */
  results_hash: string;
};
