// Small, dependency-free statistics for judging experiments: medians, quantiles, mid-ranks, bootstrap CIs
// and the Mann-Whitney U permutation test (exact when the splits are few, seeded Monte Carlo otherwise).
import { Rng } from './random.js';

/** Seed of every bootstrap / permutation Rng; streams are named after arm and metric so results never shift. */
export const STATS_SEED = 20260101;
/** Exact enumeration up to this many splits C(n1 + n2, n1); beyond it, Monte Carlo. */
export const EXACT_SPLIT_LIMIT = 200_000;
export const MONTE_CARLO_PERMUTATIONS = 20_000;
export const BOOTSTRAP_RESAMPLES = 2000;

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('mean: got no values; check the array is not empty before calling');
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Quantile with linear interpolation between order statistics at h = (n - 1) q: numpy's default ('linear'). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile: got no values; check the array is not empty before calling');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile: q = ${q} is outside [0, 1]`);
  return quantileOfSorted(sortAscending(values), q);
}

function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const lowIndex = Math.floor(position);
  const fraction = position - lowIndex;
  const low = sorted[lowIndex]!;
  if (fraction === 0) return low;
  const high = sorted[lowIndex + 1]!;
  // Equal neighbours (including two infinities) need no interpolation, and Infinity - Infinity would be NaN.
  if (low === high) return low;
  return low + (high - low) * fraction;
}

function sortAscending(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** Ranks 1..n in the order given; tied values (including equal infinities) share the mean of their ranks. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => compareNumbers(values[a]!, values[b]!));
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end++;
    const midRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) ranks[order[i]!] = midRank;
    start = end + 1;
  }
  return ranks;
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Percentile bootstrap 95% CI of the median: resample with replacement, take the 2.5% and 97.5% quantiles. */
export function bootstrapMedianCi(values: readonly number[], rng: Rng, resamples = BOOTSTRAP_RESAMPLES): [number, number] {
  if (values.length === 0) throw new Error('bootstrapMedianCi: got no values; a CI needs at least one');
  const medians = new Float64Array(resamples);
  const scratch = new Float64Array(values.length);
  for (let r = 0; r < resamples; r++) medians[r] = resampledMedian(values, rng, scratch);
  medians.sort();
  return [quantileOfSorted(medians, 0.025), quantileOfSorted(medians, 0.975)];
}

/**
 * Percentile bootstrap 95% CI of median(arm) / median(baseline), the two samples resampled independently.
 * Null when the baseline's median is 0 (no ratio); a resample with a zero denominator counts as 1 (0/0) or +Infinity.
 */
export function bootstrapRatioOfMediansCi(
  arm: readonly number[],
  baseline: readonly number[],
  rng: Rng,
  resamples = BOOTSTRAP_RESAMPLES,
): [number, number] | null {
  if (arm.length === 0 || baseline.length === 0 || median(baseline) === 0) return null;
  const ratios = new Float64Array(resamples);
  const armScratch = new Float64Array(arm.length);
  const baselineScratch = new Float64Array(baseline.length);
  for (let r = 0; r < resamples; r++) {
    const numerator = resampledMedian(arm, rng, armScratch);
    const denominator = resampledMedian(baseline, rng, baselineScratch);
    ratios[r] = denominator !== 0 ? numerator / denominator : numerator === 0 ? 1 : Infinity;
  }
  ratios.sort();
  return [quantileOfSorted(ratios, 0.025), quantileOfSorted(ratios, 0.975)];
}

function resampledMedian(values: readonly number[], rng: Rng, scratch: Float64Array): number {
  for (let i = 0; i < values.length; i++) scratch[i] = values[rng.int(values.length)]!;
  scratch.sort();
  return quantileOfSorted(scratch, 0.5);
}

export type PermutationTestResult = {
  /** Two-sided p-value; null when either sample is empty. */
  p_value: number | null;
  test: string;
};

/**
 * Two-sided permutation test of the Mann-Whitney U statistic on mid-ranks of the pooled sample.
 * p = share of splits with |U - n1 n2 / 2| >= the observed one (the classical two-sided permutation p, which
 * stays valid with ties where the null distribution is not symmetric). Censored values enter as +-Infinity:
 * they tie among themselves and take the worst ranks. Exact enumeration of all C(n1 + n2, n1) splits when
 * that is at most EXACT_SPLIT_LIMIT, else MONTE_CARLO_PERMUTATIONS seeded shuffles with p = (hits + 1) / (N + 1).
 */
export function permutationTestRanks(a: readonly number[], b: readonly number[], rng: Rng): PermutationTestResult {
  if (a.length === 0 || b.length === 0) return { p_value: null, test: 'none (a sample is empty)' };
  // Doubled mid-ranks are integers, so every comparison in the test is exact.
  const doubledRanks = Int32Array.from(averageRanks([...a, ...b]), (rank) => rank * 2);
  return permutationTestScores(doubledRanks, a.length, rng, 'Mann-Whitney U');
}

/**
 * Two-sided permutation test of the sum of integer scores in the first `sizeA` entries of `scores` (group A; the
 * rest is group B): p = share of splits whose |sum - its expectation| is at least the observed one. Exact when
 * C(n, sizeA) <= EXACT_SPLIT_LIMIT, else MONTE_CARLO_PERMUTATIONS seeded shuffles with p = (hits + 1) / (N + 1).
 * Mid-ranks give Mann-Whitney's test; Gehan's scores give its version for censored times.
 */
export function permutationTestScores(scores: ArrayLike<number>, sizeA: number, rng: Rng, statistic: string): PermutationTestResult {
  const n = scores.length;
  if (sizeA === 0 || sizeA === n) return { p_value: null, test: 'none (a sample is empty)' };
  const values = Int32Array.from(scores);
  let total = 0;
  for (const value of values) total += value;
  // n * sum - size * total is n times the deviation from the mean: an integer, and the same for either group.
  const deviation = (sum: number, size: number) => Math.abs(n * sum - size * total);
  let observedSum = 0;
  for (let i = 0; i < sizeA; i++) observedSum += values[i]!;
  const observed = deviation(observedSum, sizeA);

  // Enumerate subsets of the smaller group's size (shallower recursion).
  const subsetSize = Math.min(sizeA, n - sizeA);
  const splits = binomialUpTo(n, subsetSize, EXACT_SPLIT_LIMIT + 1);
  if (splits <= EXACT_SPLIT_LIMIT) {
    const extreme = countExtremeSubsets(values, subsetSize, (sum) => deviation(sum, subsetSize) >= observed);
    return { p_value: extreme / splits, test: `exact permutation (${statistic})` };
  }
  let hits = 0;
  for (let p = 0; p < MONTE_CARLO_PERMUTATIONS; p++) {
    rng.shuffle(values);
    let sum = 0;
    for (let i = 0; i < sizeA; i++) sum += values[i]!;
    if (deviation(sum, sizeA) >= observed) hits++;
  }
  return {
    p_value: (hits + 1) / (MONTE_CARLO_PERMUTATIONS + 1),
    test: `Monte Carlo permutation (${statistic}, ${MONTE_CARLO_PERMUTATIONS} shuffles)`,
  };
}

/** Counts the size-k subsets of `values` whose sum satisfies `isExtreme`, by depth-first enumeration. */
function countExtremeSubsets(values: Int32Array, k: number, isExtreme: (sum: number) => boolean): number {
  let count = 0;
  const visit = (start: number, remaining: number, sum: number): void => {
    if (remaining === 0) {
      if (isExtreme(sum)) count++;
      return;
    }
    for (let i = start; i <= values.length - remaining; i++) visit(i + 1, remaining - 1, sum + values[i]!);
  };
  visit(0, k, 0);
  return count;
}

/** C(n, k), or `cap` as soon as the running product reaches it (so large n never overflows). */
export function binomialUpTo(n: number, k: number, cap = Infinity): number {
  const smaller = Math.min(k, n - k);
  if (smaller < 0) return 0;
  let result = 1;
  for (let i = 1; i <= smaller; i++) {
    result = (result * (n - smaller + i)) / i; // exact: each partial product is C(n - smaller + i, i)
    if (result >= cap) return cap;
  }
  return Math.round(result);
}

/** The Rng for one arm's bootstrap or permutation test on one metric: fixed, so summaries are reproducible. */
export function statsRng(armName: string, metric: string, purpose = 'median'): Rng {
  return new Rng(STATS_SEED, `${armName}/${metric}/${purpose}`);
}
