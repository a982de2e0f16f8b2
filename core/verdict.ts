// One arm against the baseline on one metric: the estimate in each arm, the effect with its CI, the exact test,
// the paired (same-seed) differences, and whether the arm is better, worse, no different, or not established.
// Numbers and codes only; agent/ renders the words.
//   rate           solve rate; Fisher's exact test; effect = difference of rates (bootstrap CI).
//   time_to_event  Kaplan-Meier median (censored when S never reaches 1/2); effect = ratio of restricted means up to
//                  the horizon (bootstrap CI), the median ratio beside it as a bound when a median is censored;
//                  Gehan's permutation test, which respects censoring.
//   value          median; effect = ratio of medians (bootstrap CI), or for accuracies the difference of medians in
//                  accuracy points (a 0.2% vs 1% accuracy at chance is no 0.23x effect); Mann-Whitney permutation test.
// An effect counts when p <= alpha, its CI lies on one side of no effect, and it is at least min_effect
// (relative; absolute for a rate); when both arms have no spread (at least 3 runs each) the difference is exact
// and min_effect alone decides; when every seed gives both arms the same value, there is no effect.
import { bootstrapDifferenceOfRatesCi, bootstrapRestrictedMeanRatioCi, differenceOfMedians, ratioOfMedians } from './effect-sizes.js';
import { fisherExactTest } from './fisher.js';
import { pairBySeed, summarizePairs, type PairedSummary } from './paired.js';
import { binomialUpTo, median, permutationTestRanks, permutationTestScores, statsRng } from './stats.js';
import { gehanScores, kaplanMeierMedian, restrictedMean, type CensoredValue } from './survival.js';
import type { SeedTime, SeedValue } from './metric-samples.js';
import type { MetricName } from './spec.js';

export const DEFAULT_MIN_EFFECT = 0.05;
export const DEFAULT_ALPHA = 0.05;
/** Fewer runs than this with no spread is not taken as a deterministic (exact) difference. */
export const DETERMINISTIC_MIN_RUNS = 3;

export type * from './verdict-types.js';
import type { ArmEstimate, CenterRatio, Effect, EffectOutcome, JudgeOptions, MetricReason, MetricVerdict } from './verdict-types.js';

/** Solve rate: `arm` and `baseline` hold 1 (solved) or 0 per seed. */
export function judgeRate(arm: readonly SeedValue[], baseline: readonly SeedValue[], options: JudgeOptions): MetricVerdict {
  const estimate = (sample: readonly SeedValue[]): ArmEstimate => {
    const successes = sample.filter((s) => s.value === 1).length;
    const rate = sample.length > 0 ? successes / sample.length : null;
    return {
      n: sample.length,
      center: rate === null ? null : { value: rate, censored: false },
      restricted_mean: null,
      censored: 0,
      successes,
      min: rate,
      max: rate,
    };
  };
  const a = estimate(arm);
  const b = estimate(baseline);
  const fisher = fisherExactTest(a.successes!, a.n, b.successes!, b.n);
  const difference = a.center && b.center ? a.center.value - b.center.value : null;
  const ci = difference === null ? null : bootstrapDifferenceOfRatesCi(arm, baseline, statsRng(options.armName, 'solve_rate', 'difference'));
  const effect: Effect = { measure: 'difference_of_rates', value: difference, ci_low: ci?.[0] ?? null, ci_high: ci?.[1] ?? null, relative: difference };
  const pairs = pairBySeed(arm.map(asPairInput), baseline.map(asPairInput));
  const paired = summarizePairs(pairs, statsRng(options.armName, 'solve_rate', 'paired'));
  const identical = identicalPerSeed(paired, a.n, b.n);
  const judged = decideOutcome({
    effect,
    noEffect: 0,
    p: a.n > 0 && b.n > 0 ? fisher.p_value : null,
    pFloor: fisher.p_floor,
    deterministic: false,
    identical,
    ...options,
    direction: 'higher',
  });
  return {
    metric: 'solve_rate',
    kind: 'rate',
    direction: 'higher',
    decisive: options.decisive,
    arm: a,
    baseline: b,
    horizon: null,
    effect,
    center_ratio: ratioOfCenters(a.center, b.center),
    test: 'fisher_exact',
    exact_test: true,
    p_value: a.n > 0 && b.n > 0 ? fisher.p_value : null,
    p_floor: fisher.p_floor,
    paired,
    ...judged,
  };
}

/** A time to an event, censoring respected; `horizon` bounds the restricted means. */
export function judgeTimeToEvent(
  metric: MetricName,
  arm: readonly SeedTime[],
  baseline: readonly SeedTime[],
  options: JudgeOptions & { horizon: number },
): MetricVerdict {
  const estimate = (sample: readonly SeedTime[]): ArmEstimate => ({
    n: sample.length,
    center: kaplanMeierMedian(sample),
    restricted_mean: restrictedMean(sample, options.horizon),
    censored: sample.filter((s) => !s.event).length,
    successes: null,
    min: sample.length > 0 ? Math.min(...sample.map((s) => s.time)) : null,
    max: sample.length > 0 ? Math.max(...sample.map((s) => s.time)) : null,
  });
  const a = estimate(arm);
  const b = estimate(baseline);
  const ratio = a.restricted_mean !== null && b.restricted_mean ? a.restricted_mean / b.restricted_mean : null;
  const ci = ratio === null ? null : bootstrapRestrictedMeanRatioCi(arm, baseline, options.horizon, statsRng(options.armName, metric, 'restricted-mean'));
  const effect: Effect = {
    measure: 'ratio_of_restricted_means',
    value: ratio,
    ci_low: ci?.[0] ?? null,
    ci_high: ci?.[1] ?? null,
    relative: ratio === null ? null : ratio - 1,
  };
  const test = permutationTestScores(gehanScores([...arm, ...baseline]), arm.length, statsRng(options.armName, metric, 'permutation'), 'Gehan');
  const p = arm.length > 0 && baseline.length > 0 ? test.p_value : null;
  const pFloor = rankTestFloor(a.n, b.n);
  const deterministic = hasNoSpread(arm.map((s) => `${s.time}/${s.event}`)) && hasNoSpread(baseline.map((s) => `${s.time}/${s.event}`)) && enoughRuns(a.n, b.n);
  const toPair = (s: SeedTime) => ({ seed: s.seed, value: s.time, censored: !s.event });
  const paired = summarizePairs(pairBySeed(arm.map(toPair), baseline.map(toPair)), statsRng(options.armName, metric, 'paired'));
  return {
    metric,
    kind: 'time_to_event',
    direction: 'lower',
    decisive: options.decisive,
    arm: a,
    baseline: b,
    horizon: options.horizon,
    effect,
    center_ratio: ratioOfCenters(a.center, b.center),
    test: 'gehan_permutation',
    exact_test: test.test.startsWith('exact'),
    p_value: p,
    p_floor: pFloor,
    paired,
    ...decideOutcome({
      effect,
      noEffect: 1,
      p,
      pFloor,
      deterministic,
      identical: identicalPerSeed(paired, a.n, b.n),
      noEvents: a.censored === a.n && b.censored === b.n && !hasNoSpread([...arm, ...baseline].map((s) => s.time)),
      ...options,
      direction: 'lower',
    }),
  };
}

/** A plain value (accuracy, wall time, memory traffic). */
export function judgeValue(metric: MetricName, arm: readonly SeedValue[], baseline: readonly SeedValue[], options: JudgeOptions): MetricVerdict {
  const estimate = (sample: readonly SeedValue[]): ArmEstimate => {
    const values = sample.map((s) => s.value);
    return {
      n: values.length,
      center: values.length > 0 ? { value: median(values), censored: false } : null,
      restricted_mean: null,
      censored: 0,
      successes: null,
      min: values.length > 0 ? Math.min(...values) : null,
      max: values.length > 0 ? Math.max(...values) : null,
    };
  };
  const a = estimate(arm);
  const b = estimate(baseline);
  const armValues = arm.map((s) => s.value);
  const baselineValues = baseline.map((s) => s.value);
  const absolute = accuracyMetrics.includes(metric);
  const effect = absolute
    ? differenceOfMedians(armValues, baselineValues, statsRng(options.armName, metric, 'difference'))
    : ratioOfMedians(armValues, baselineValues, statsRng(options.armName, metric, 'ratio'));
  const test = permutationTestRanks(armValues, baselineValues, statsRng(options.armName, metric, 'permutation'));
  const pFloor = rankTestFloor(a.n, b.n);
  const deterministic = hasNoSpread(armValues) && hasNoSpread(baselineValues) && enoughRuns(a.n, b.n);
  const paired = summarizePairs(pairBySeed(arm.map(asPairInput), baseline.map(asPairInput)), statsRng(options.armName, metric, 'paired'));
  return {
    metric,
    kind: 'value',
    direction: options.direction,
    decisive: options.decisive,
    arm: a,
    baseline: b,
    horizon: null,
    effect,
    center_ratio: ratioOfCenters(a.center, b.center),
    test: 'mann_whitney_permutation',
    exact_test: test.test.startsWith('exact'),
    p_value: test.p_value,
    p_floor: pFloor,
    paired,
    ...decideOutcome({ effect, noEffect: absolute ? 0 : 1, p: test.p_value, pFloor, deterministic, identical: identicalPerSeed(paired, a.n, b.n), ...options }),
  };
}

const accuracyMetrics: readonly MetricName[] = ['best_test_acc', 'final_test_acc'];

type DecideInput = JudgeOptions & {
  effect: Effect;
  noEffect: number;
  p: number | null;
  pFloor: number | null;
  deterministic: boolean;
  identical: boolean;
  /** Time to event: no run of either arm got there, and they were followed for different times (early time-outs). */
  noEvents?: boolean;
};

/** Better, worse, no effect or not established, and the codes that say why (rules at the top of this file). */
export function decideOutcome({ effect, noEffect, p, pFloor, deterministic, identical, noEvents = false, direction, minEffect, alpha }: DecideInput): {
  outcome: EffectOutcome;
  reasons: MetricReason[];
} {
  if (effect.value === null || effect.relative === null || p === null) return { outcome: 'not_established', reasons: ['no_values'] };
  if (identical) return { outcome: 'no_effect', reasons: ['identical_per_seed'] };
  // Censored at different early limits (time-outs), neither arm got there: nothing is known either way.
  if (noEvents) return { outcome: 'not_established', reasons: ['no_events'] };
  const side = (value: number) => (value === noEffect ? 0 : value > noEffect === (direction === 'higher') ? 1 : -1);
  const pointSide = side(effect.value);
  const large = Math.abs(effect.relative) >= minEffect;
  if (deterministic) {
    if (!large) return { outcome: 'no_effect', reasons: ['deterministic', 'below_min_effect'] };
    return { outcome: pointSide > 0 ? 'better' : 'worse', reasons: ['deterministic'] };
  }
  const band = (value: number | null) => value !== null && Math.abs(effect.measure.startsWith('difference') ? value : value - 1) < minEffect;
  if (!large)
    return band(effect.ci_low) && band(effect.ci_high)
      ? { outcome: 'no_effect', reasons: ['below_min_effect'] }
      : { outcome: 'not_established', reasons: ['below_min_effect', 'ci_wider_than_min_effect'] };
  const ciSide = effect.ci_low === null || effect.ci_high === null ? 0 : side(effect.ci_low) === side(effect.ci_high) ? side(effect.ci_low) : 0;
  if (p <= alpha && ciSide === pointSide && pointSide !== 0) return { outcome: pointSide > 0 ? 'better' : 'worse', reasons: ['significant'] };
  const reasons: MetricReason[] = [];
  if (p > alpha) reasons.push('not_significant');
  if (p > alpha && pFloor !== null && pFloor > alpha) reasons.push('p_floor_above_alpha');
  if (ciSide !== pointSide || pointSide === 0) reasons.push('ci_includes_no_effect');
  return { outcome: 'not_established', reasons };
}

function ratioOfCenters(arm: CensoredValue | null, baseline: CensoredValue | null): CenterRatio {
  if (!arm || !baseline || baseline.value === 0) return { value: null, bound: 'unknown' };
  const value = arm.value / baseline.value;
  if (arm.censored && baseline.censored) return { value: null, bound: 'unknown' };
  return { value, bound: arm.censored ? 'at_least' : baseline.censored ? 'at_most' : 'exact' };
}

/** Without ties, an exact two-sided rank test with n1 and n2 runs cannot go below 2 / C(n1 + n2, n1). */
function rankTestFloor(n1: number, n2: number): number | null {
  return n1 > 0 && n2 > 0 ? Math.min(1, 2 / binomialUpTo(n1 + n2, n1)) : null;
}

/** Every seed ran in both arms (at least 3) and gave both the same value. */
function identicalPerSeed(paired: PairedSummary | null, n1: number, n2: number): boolean {
  if (!paired || paired.pairs.length < DETERMINISTIC_MIN_RUNS || paired.pairs.length !== n1 || n1 !== n2) return false;
  return paired.pairs.every((pair) => pair.difference === 0 && pair.sign === 0);
}

function hasNoSpread(values: readonly (number | string)[]): boolean {
  return values.every((value) => value === values[0]);
}

function enoughRuns(n1: number, n2: number): boolean {
  return n1 >= DETERMINISTIC_MIN_RUNS && n2 >= DETERMINISTIC_MIN_RUNS;
}

function asPairInput(s: SeedValue) {
  return { seed: s.seed, value: s.value, censored: false };
}
