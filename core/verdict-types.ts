// The vocabulary of a verdict (core/verdict.ts): which metric, how it was measured, the effect, the outcome and
// the reason codes. Numbers and codes only; agent/findings/verdict-text.ts renders the words.
import type { PairedSummary } from './paired.js';
import type { MetricName } from './spec.js';
import type { CensoredValue } from './survival.js';

export type VerdictMetric = MetricName | 'solve_rate';
export type MetricKind = 'rate' | 'time_to_event' | 'value';
export type EffectOutcome = 'better' | 'worse' | 'no_effect' | 'not_established';
export type MetricReason =
  | 'significant'
  | 'deterministic'
  | 'identical_per_seed'
  | 'below_min_effect'
  | 'not_significant'
  | 'p_floor_above_alpha'
  | 'ci_includes_no_effect'
  | 'ci_wider_than_min_effect'
  | 'no_values'
  | 'no_events';
export type TestName = 'fisher_exact' | 'gehan_permutation' | 'mann_whitney_permutation';

export type ArmEstimate = {
  /** Runs with a value. */
  n: number;
  /** Rate: the solve rate; time to event: the Kaplan-Meier median; value: the median. */
  center: CensoredValue | null;
  /** Time to event only: the restricted mean up to `horizon`. */
  restricted_mean: number | null;
  /** Runs that never reached the event (time to event), or solved runs (rate). */
  censored: number;
  successes: number | null;
  min: number | null;
  max: number | null;
};

export type Effect = {
  measure: 'difference_of_rates' | 'ratio_of_restricted_means' | 'ratio_of_medians' | 'difference_of_medians';
  value: number | null;
  ci_low: number | null;
  ci_high: number | null;
  /** The relative (or, for a rate, absolute) size of the effect, signed: > 0 means the arm's value is larger. */
  relative: number | null;
};

/** Ratio of the two centers (medians); `bound` says it is only a bound because a median is censored. */
export type CenterRatio = { value: number | null; bound: 'exact' | 'at_least' | 'at_most' | 'unknown' };

export type MetricVerdict = {
  metric: VerdictMetric;
  kind: MetricKind;
  direction: 'lower' | 'higher';
  /** Counts toward the arm's class (see classify.ts); other metrics are reported only. */
  decisive: boolean;
  arm: ArmEstimate;
  baseline: ArmEstimate;
  /** Time to event: the horizon of the restricted means. */
  horizon: number | null;
  effect: Effect;
  center_ratio: CenterRatio;
  test: TestName;
  exact_test: boolean;
  p_value: number | null;
  /** The smallest p the test could give with these run counts. */
  p_floor: number | null;
  paired: PairedSummary | null;
  outcome: EffectOutcome;
  reasons: MetricReason[];
};

export type JudgeOptions = { armName: string; direction: 'lower' | 'higher'; decisive: boolean; minEffect: number; alpha: number };
