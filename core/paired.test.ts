import { describe, expect, it } from 'vitest';
import { pairBySeed, signTest, summarizePairs, wilcoxonSignedRank, type PairInput } from './paired.js';
import { Rng } from './random.js';

const plain = (seed: number, value: number): PairInput => ({ seed, value, censored: false });
const censored = (seed: number, value: number): PairInput => ({ seed, value, censored: true });

describe('signTest', () => {
  it('gives 2/32 for 5 of 5 the same way: with 5 seeds no paired sign test reaches 0.05', () => {
    expect(signTest(5, 5)).toBeCloseTo(2 / 32, 12);
    expect(signTest(0, 5)).toBeCloseTo(2 / 32, 12);
    // 4 of 5: 2 * (1 + 5) / 32.
    expect(signTest(4, 5)).toBeCloseTo(12 / 32, 12);
    expect(signTest(2, 4)).toBe(1);
  });
});

describe('wilcoxonSignedRank', () => {
  it('matches the hand count for [1, -2, 3, 4, 5]: W+ = 13, three patterns on each side, p = 6/32', () => {
    expect(wilcoxonSignedRank([1, -2, 3, 4, 5])).toBeCloseTo(6 / 32, 12);
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5])).toBeCloseTo(2 / 32, 12);
  });

  it('drops zero differences and has no p when nothing differs', () => {
    expect(wilcoxonSignedRank([0, 1, 2, 3, 4, 5])).toBeCloseTo(2 / 32, 12);
    expect(wilcoxonSignedRank([0, 0])).toBeNull();
  });
});

describe('pairBySeed', () => {
  it('pairs by seed, leaving out seeds only one arm ran', () => {
    const pairs = pairBySeed([plain(42, 24), plain(43, 30), plain(99, 1)], [plain(43, 35), plain(42, 35)]);
    expect(pairs.map((pair) => [pair.seed, pair.difference, pair.sign])).toEqual([
      [42, -11, -1],
      [43, -5, -1],
    ]);
  });

  it('knows the sign of a censored pair only when the other run got there before the bound', () => {
    const pairs = pairBySeed(
      [censored(1, 200), censored(2, 200), censored(3, 30), plain(4, 20)],
      [plain(1, 38), censored(2, 200), plain(3, 38), censored(4, 25)],
    );
    expect(pairs.map((pair) => pair.sign)).toEqual([1, 0, null, -1]);
    expect(pairs.every((pair) => pair.censored)).toBe(true);
  });
});

describe('summarizePairs', () => {
  it('reports the median paired difference with a seeded CI, the sign test, and Wilcoxon without censoring', () => {
    const pairs = pairBySeed(
      [24, 25, 22, 30, 24].map((v, i) => plain(i, v)),
      [35, 34, 36, 40, 35].map((v, i) => plain(i, v)),
    );
    const summary = summarizePairs(pairs, new Rng(7, 'paired'))!;
    expect(summary.median_difference).toBe(-11);
    expect(summary.ci_low).toBeLessThanOrEqual(-11);
    expect(summary.ci_high).toBeGreaterThanOrEqual(-11);
    expect(summary.ci_high).toBeLessThan(0);
    expect(summary.sign_test_p).toBeCloseTo(2 / 32, 12);
    expect(summary.wilcoxon_p).toBeCloseTo(2 / 32, 12);
    expect(summarizePairs(pairs, new Rng(7, 'paired'))).toEqual(summary);
  });

  it('leaves out Wilcoxon when a pair is censored, and has nothing to say about no pairs', () => {
    const pairs = pairBySeed([censored(1, 200), plain(2, 30)], [plain(1, 38), plain(2, 35)]);
    expect(summarizePairs(pairs, new Rng(1))).toMatchObject({ wilcoxon_p: null, sign_test_p: 1 });
    expect(summarizePairs([], new Rng(1))).toBeNull();
  });
});
