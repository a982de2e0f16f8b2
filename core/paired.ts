// Paired comparison over seeds: the same seed gives both arms the same data and initialisation, so the
// per-seed difference removes that variation. Exact sign test (McNemar's for 0/1 outcomes) and exact
// Wilcoxon signed-rank test; a seeded bootstrap CI of the median difference.
import type { Rng } from './random.js';
import { averageRanks, binomialUpTo, BOOTSTRAP_RESAMPLES, median, quantile } from './stats.js';

/** One seed in both arms. `sign` compares the arm with the baseline in raw units (+1: arm larger); null when censoring hides it. */
export type SeedPair = { seed: number; arm: number; baseline: number; difference: number; sign: -1 | 0 | 1 | null; censored: boolean };

export type PairedSummary = {
  pairs: SeedPair[];
  /** Median of arm - baseline over pairs (censored values at their censor value). */
  median_difference: number;
  ci_low: number;
  ci_high: number;
  /** Two-sided exact sign test over pairs whose sign is known and non-zero; null when there are none. */
  sign_test_p: number | null;
  /** Two-sided exact Wilcoxon signed-rank p (zeros dropped); null when a pair is censored or none differ. */
  wilcoxon_p: number | null;
};

/** A seed's value for pairing: `censored` when the run never reached it and `value` is only a bound. */
export type PairInput = { seed: number; value: number; censored: boolean };

/**
 * Pairs runs by seed. For censored values (a lower bound on a time), the sign is still known when the other run
 * reached the event before the bound; two censored runs at the same bound tie.
 */
export function pairBySeed(arm: readonly PairInput[], baseline: readonly PairInput[]): SeedPair[] {
  const bySeed = new Map(baseline.map((entry) => [entry.seed, entry]));
  const pairs: SeedPair[] = [];
  for (const a of arm) {
    const b = bySeed.get(a.seed);
    if (!b) continue;
    pairs.push({ seed: a.seed, arm: a.value, baseline: b.value, difference: a.value - b.value, sign: pairSign(a, b), censored: a.censored || b.censored });
  }
  return pairs;
}

function pairSign(a: PairInput, b: PairInput): -1 | 0 | 1 | null {
  const raw = Math.sign(a.value - b.value) as -1 | 0 | 1;
  if (!a.censored && !b.censored) return raw;
  if (a.censored && b.censored) return raw === 0 ? 0 : null;
  // One censored at a bound c: it is surely later only if the other reached the event before c.
  if (a.censored) return b.value < a.value ? 1 : null;
  return a.value < b.value ? -1 : null;
}

export function summarizePairs(pairs: readonly SeedPair[], rng: Rng, resamples = BOOTSTRAP_RESAMPLES): PairedSummary | null {
  if (pairs.length === 0) return null;
  const differences = pairs.map((pair) => pair.difference);
  const [ciLow, ciHigh] = bootstrapMedianDifferenceCi(differences, rng, resamples);
  const known = pairs.filter((pair) => pair.sign !== null && pair.sign !== 0);
  const positive = known.filter((pair) => pair.sign === 1).length;
  return {
    pairs: [...pairs],
    median_difference: median(differences),
    ci_low: ciLow,
    ci_high: ciHigh,
    sign_test_p: known.length > 0 ? signTest(positive, known.length) : null,
    wilcoxon_p: pairs.some((pair) => pair.censored) ? null : wilcoxonSignedRank(differences),
  };
}

function bootstrapMedianDifferenceCi(differences: readonly number[], rng: Rng, resamples: number): [number, number] {
  const medians: number[] = [];
  const scratch = new Array<number>(differences.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < differences.length; i++) scratch[i] = differences[rng.int(differences.length)]!;
    medians.push(median(scratch));
  }
  return [quantile(medians, 0.025), quantile(medians, 0.975)];
}

/** Two-sided exact binomial test of `positive` successes in `trials` at 1/2: 2 min(P(X <= k), P(X >= k)), at most 1. */
export function signTest(positive: number, trials: number): number {
  if (trials === 0) return 1;
  const tail = (from: number, to: number) => {
    let sum = 0;
    for (let k = from; k <= to; k++) sum += binomialUpTo(trials, k);
    return sum / 2 ** trials;
  };
  return Math.min(1, 2 * Math.min(tail(0, positive), tail(positive, trials)));
}

/**
 * Two-sided exact Wilcoxon signed-rank test: zeros dropped, ties at mid-ranks; the null distribution of the sum
 * of positive (doubled, so integer) ranks by counting subsets. p = share of sign patterns at least as far from
 * the mean as observed. Null when no difference is non-zero.
 */
export function wilcoxonSignedRank(differences: readonly number[]): number | null {
  const nonZero = differences.filter((d) => d !== 0);
  if (nonZero.length === 0) return null;
  const ranks = averageRanks(nonZero.map(Math.abs)).map((rank) => Math.round(rank * 2));
  const total = ranks.reduce((sum, rank) => sum + rank, 0);
  let observed = 0;
  nonZero.forEach((d, i) => {
    if (d > 0) observed += ranks[i]!;
  });
  // counts[s] = number of sign patterns whose positive doubled-rank sum is s.
  let counts = new Float64Array(total + 1);
  counts[0] = 1;
  for (const rank of ranks) {
    const next = new Float64Array(total + 1);
    for (let s = 0; s <= total; s++) {
      if (counts[s] === 0) continue;
      next[s] = next[s]! + counts[s]!;
      next[s + rank] = next[s + rank]! + counts[s]!;
    }
    counts = next;
  }
  const distance = Math.abs(2 * observed - total);
  let extreme = 0;
  for (let s = 0; s <= total; s++) if (Math.abs(2 * s - total) >= distance) extreme += counts[s]!;
  return extreme / 2 ** ranks.length;
}
