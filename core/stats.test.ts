import { mean as referenceMean, median as referenceMedian } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { Rng } from './random.js';
import {
  averageRanks,
  binomialUpTo,
  bootstrapMedianCi,
  bootstrapRatioOfMediansCi,
  mean,
  median,
  MONTE_CARLO_PERMUTATIONS,
  permutationTestRanks,
  quantile,
} from './stats.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('median, mean and quantile', () => {
  it('match numpy: median 3.5, quantile(0.25) 1.75, quantile(0.9) 6.9 of [3,1,4,1,5,9,2,6]', () => {
    // python3: np.median(x), np.quantile(x, 0.25), np.quantile(x, 0.9) (numpy 2.4, method 'linear')
    const x = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(median(x)).toBe(3.5);
    expect(quantile(x, 0.25)).toBe(1.75);
    expect(quantile(x, 0.9)).toBeCloseTo(6.9, 12);
    expect(quantile([2.5, 7.25, -1, 10], 0.1)).toBeCloseTo(0.05, 12); // np.quantile -> 0.050000000000000266
    expect(quantile(x, 0)).toBe(1);
    expect(quantile(x, 1)).toBe(9);
  });

  it('agree with simple-statistics on random samples of odd and even length', () => {
    const rng = new Rng(7, 'stats-test');
    for (const length of [1, 2, 5, 8, 31]) {
      const values = Array.from({ length }, () => rng.normal() * 10);
      expect(median(values)).toBeCloseTo(referenceMedian(values), 12);
      expect(mean(values)).toBeCloseTo(referenceMean(values), 12);
    }
  });

  it('leave the input unsorted and handle infinities without NaN', () => {
    const values = [5, Infinity, 1, Infinity];
    expect(median(values)).toBe(Infinity);
    expect(quantile(values, 0.25)).toBe(4);
    expect(values).toEqual([5, Infinity, 1, Infinity]);
  });

  it('refuse an empty sample with a message saying so', () => {
    expect(() => median([])).toThrow(/no values/);
    expect(() => quantile([1], 1.5)).toThrow(/outside \[0, 1\]/);
  });
});

describe('averageRanks', () => {
  it('gives tied values (including infinities) the mean of their ranks', () => {
    // scipy.stats.rankdata([2, 1, 2, inf, 3, inf]) -> [2.5, 1, 2.5, 5.5, 4, 5.5]
    expect(averageRanks([2, 1, 2, Infinity, 3, Infinity])).toEqual([2.5, 1, 2.5, 5.5, 4, 5.5]);
    expect(averageRanks([-Infinity, 0, -Infinity])).toEqual([1.5, 3, 1.5]);
  });
});

describe('permutationTestRanks', () => {
  const rng = () => new Rng(1, 'perm');

  it('gives the textbook exact p = 2/252 for [1..5] against [6..10]', () => {
    const result = permutationTestRanks(range(1, 5), range(6, 10), rng());
    expect(result.p_value).toBeCloseTo(2 / 252, 15);
    expect(result.test).toBe('exact permutation (Mann-Whitney U)');
    expect(permutationTestRanks(range(6, 10), range(1, 5), rng()).p_value).toBeCloseTo(2 / 252, 15);
  });

  // References: scipy.stats.permutation_test((a, b), |U - n1 n2 / 2| on rankdata mid-ranks,
  // permutation_type='independent', alternative='greater', n_resamples=np.inf) with scipy 1.17.1.
  it('matches scipy exact permutation p-values with ties', () => {
    expect(permutationTestRanks([1, 2, 2, 3, 5], [2, 3, 4, 4, 6], rng()).p_value).toBeCloseTo(0.2222222222222222, 12);
    expect(permutationTestRanks([1, 1, 1, 2], [1, 3, 4], rng()).p_value).toBeCloseTo(0.2571428571428571, 12);
  });

  it('ranks censored +Infinity values as tied at the worst rank', () => {
    const censored = permutationTestRanks([10, 12, Infinity, Infinity], [20, 22, 25, Infinity, Infinity, Infinity], rng());
    expect(censored.p_value).toBeCloseTo(0.5952380952380952, 12);
    const mostlyCensored = permutationTestRanks([5, 6, 7, 8, 9], [30, Infinity, Infinity, Infinity, Infinity], rng());
    expect(mostlyCensored.p_value).toBeCloseTo(0.007936507936507936, 12);
    expect(permutationTestRanks([Infinity, Infinity], [Infinity, Infinity, Infinity], rng()).p_value).toBe(1);
  });

  it('enumerates exactly up to 10 vs 10 runs (184756 splits), matching scipy mannwhitneyu exact', () => {
    const a = [1, 2, 3, 4, 5, 6, 7, 8, 13, 17];
    const b = [9, 10, 11, 12, 14, 15, 16, 18, 19, 20];
    const result = permutationTestRanks(a, b, rng());
    expect(result.test).toBe('exact permutation (Mann-Whitney U)');
    expect(result.p_value).toBeCloseTo(0.0020892420273225226, 12);
    expect(
      permutationTestRanks(
        range(1, 20).filter((v) => v % 2 === 1),
        range(1, 20).filter((v) => v % 2 === 0),
        rng(),
      ).p_value,
    ).toBeCloseTo(0.7393643508194592, 12);
  });

  it('switches to a seeded Monte Carlo test above 200000 splits, reproducible and near the exact p', () => {
    // 12 vs 12: C(24, 12) = 2704156 splits. scipy.stats.mannwhitneyu(a, b, method='exact').pvalue = 0.06836144068611427
    const a = [1.5, 2.1, 3.3, 4.2, 5.8, 6.1, 7.7, 8.4, 9.9, 12.2, 14.6, 19.0];
    const b = [2.9, 5.0, 6.6, 9.1, 10.4, 11.3, 13.5, 15.2, 16.8, 17.1, 18.3, 20.7];
    const first = permutationTestRanks(a, b, new Rng(5, 'mc'));
    const again = permutationTestRanks(a, b, new Rng(5, 'mc'));
    const otherSeed = permutationTestRanks(a, b, new Rng(6, 'mc'));
    expect(first.test).toMatch(/^Monte Carlo permutation/);
    expect(again).toEqual(first);
    expect(otherSeed.p_value).not.toBe(first.p_value);
    // Standard error of a p near 0.068 over 20000 shuffles is about 0.0018.
    expect(Math.abs(first.p_value! - 0.06836144068611427)).toBeLessThan(0.008);
    const hitsPlusOne = first.p_value! * (MONTE_CARLO_PERMUTATIONS + 1); // p = (hits + 1) / (N + 1)
    expect(hitsPlusOne).toBeCloseTo(Math.round(hitsPlusOne), 6);
  });

  it('returns a null p for an empty sample', () => {
    expect(permutationTestRanks([], [1, 2], rng()).p_value).toBeNull();
  });
});

describe('binomialUpTo', () => {
  it('computes binomial coefficients and stops at the cap', () => {
    expect(binomialUpTo(10, 5)).toBe(252);
    expect(binomialUpTo(20, 10)).toBe(184756);
    expect(binomialUpTo(24, 12, 200_001)).toBe(200_001);
    expect(binomialUpTo(3, 5)).toBe(0);
  });
});

describe('bootstrap CIs', () => {
  it('are identical for the same seed and stream, and bracket the median', () => {
    const values = [12, 15, 11, 19, 14, 13, 30];
    const first = bootstrapMedianCi(values, new Rng(20260101, 'arm/solve_epoch'));
    const again = bootstrapMedianCi(values, new Rng(20260101, 'arm/solve_epoch'));
    expect(again).toEqual(first);
    expect(first[0]).toBeLessThanOrEqual(median(values));
    expect(first[1]).toBeGreaterThanOrEqual(median(values));
    expect(first[0]).toBeGreaterThanOrEqual(11);
    expect(first[1]).toBeLessThanOrEqual(30);
    expect(bootstrapMedianCi([4, 4, 4], new Rng(1))).toEqual([4, 4]);
  });

  it('cover the true median of a normal sample about 95% of the time', () => {
    const rng = new Rng(99, 'coverage');
    const trials = 200;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const sample = Array.from({ length: 30 }, () => rng.normal());
      const [low, high] = bootstrapMedianCi(sample, rng, 500);
      if (low <= 0 && 0 <= high) covered++;
    }
    // Binomial(200, 0.95) has sd ~3 hits; the percentile bootstrap of a median runs slightly liberal or conservative.
    expect(covered / trials).toBeGreaterThan(0.86);
    expect(covered / trials).toBeLessThanOrEqual(1);
  });

  it('give a ratio-of-medians CI inside the range of possible ratios and below 1 for a clearly faster arm', () => {
    const arm = range(10, 14);
    const baseline = range(20, 24);
    const ci = bootstrapRatioOfMediansCi(arm, baseline, new Rng(3, 'ratio'))!;
    expect(ci).toEqual(bootstrapRatioOfMediansCi(arm, baseline, new Rng(3, 'ratio')));
    expect(ci[0]).toBeGreaterThanOrEqual(10 / 24);
    expect(ci[1]).toBeLessThanOrEqual(14 / 20);
    expect(ci[0]).toBeLessThan(12 / 22);
    expect(ci[1]).toBeGreaterThan(12 / 22);
    expect(bootstrapRatioOfMediansCi(arm, [0, 0, 0], new Rng(3))).toBeNull();
  });
});
