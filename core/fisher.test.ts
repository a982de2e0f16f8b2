import { describe, expect, it } from 'vitest';
import { fisherExactTest } from './fisher.js';

describe('fisherExactTest', () => {
  it('gives 2/252 for 0/5 against 5/5, the floor of the test at 5 vs 5', () => {
    // Margins 5, 5 and 5 solved: P(X = 0) = P(X = 5) = 1 / C(10, 5) = 1/252; both tails count.
    expect(fisherExactTest(0, 5, 5, 5).p_value).toBeCloseTo(2 / 252, 12);
    expect(fisherExactTest(0, 5, 5, 5).p_floor).toBeCloseTo(2 / 252, 12);
  });

  it('gives 20/120 for 2/5 against 5/5, by hand from the hypergeometric table', () => {
    // 7 solved: P(x) = C(5, x) C(5, 7 - x) / C(10, 7) for x = 2..5 is 10, 50, 50, 10 over 120; x = 2 and x = 5 are as unlikely.
    expect(fisherExactTest(2, 5, 5, 5).p_value).toBeCloseTo(20 / 120, 12);
    expect(fisherExactTest(5, 5, 2, 5).p_value).toBeCloseTo(20 / 120, 12);
  });

  it('gives 1 for equal rates and matches scipy on an unbalanced table', () => {
    expect(fisherExactTest(3, 5, 3, 5).p_value).toBeCloseTo(1, 12);
    // scipy.stats.fisher_exact([[1, 9], [11, 3]]).pvalue = 0.0027594561852200836
    expect(fisherExactTest(1, 10, 11, 14).p_value).toBeCloseTo(0.0027594561852200836, 10);
  });

  it('has a floor above 0.05 with 3 vs 3 runs, so 3 seeds can never show a solve-rate effect', () => {
    expect(fisherExactTest(0, 3, 3, 3)).toEqual({ p_value: expect.closeTo(0.1, 12), p_floor: expect.closeTo(0.1, 12) });
  });

  it('refuses counts that are not whole or exceed their totals, naming them', () => {
    expect(() => fisherExactTest(6, 5, 5, 5)).toThrow(/successes exceed totals \(6\/5/);
    expect(() => fisherExactTest(1.5, 5, 5, 5)).toThrow(/successesA = 1.5/);
  });
});
