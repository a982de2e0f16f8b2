import { describe, expect, it } from 'vitest';
import { Rng } from './random.js';
import { permutationTestRanks, permutationTestScores } from './stats.js';
import { gehanScores, kaplanMeier, kaplanMeierMedian, restrictedMean, type TimeToEvent } from './survival.js';

const event = (time: number): TimeToEvent => ({ time, event: true });
const censoredAt = (time: number): TimeToEvent => ({ time, event: false });

// Hand-worked example: 1, 2+, 3, 4, 5+ (+ = censored).
//   t = 1: 5 at risk, 1 event -> S = 4/5 = 0.8
//   t = 3: 3 at risk (3, 4, 5+), 1 event -> S = 0.8 * 2/3 = 0.5333
//   t = 4: 2 at risk, 1 event -> S = 0.5333 * 1/2 = 0.2667
const handWorked = [event(1), censoredAt(2), event(3), event(4), censoredAt(5)];

describe('kaplanMeier', () => {
  it('matches the hand-worked curve: 0.8, 0.533, 0.267 at times 1, 3, 4', () => {
    const steps = kaplanMeier(handWorked);
    expect(steps.map((step) => step.time)).toEqual([1, 3, 4]);
    expect(steps.map((step) => step.atRisk)).toEqual([5, 3, 2]);
    expect(steps[0]!.survival).toBeCloseTo(0.8, 12);
    expect(steps[1]!.survival).toBeCloseTo(0.8 * (2 / 3), 12);
    expect(steps[2]!.survival).toBeCloseTo(0.8 * (2 / 3) * 0.5, 12);
  });

  it('puts the median at the first time the curve falls to 1/2 or below (4 in the hand-worked example)', () => {
    expect(kaplanMeierMedian(handWorked)).toEqual({ value: 4, censored: false });
  });

  it('gives the ordinary median without censoring, the midpoint when S sits at exactly 1/2', () => {
    expect(kaplanMeierMedian([40, 42, 44, 46, 48].map(event))).toEqual({ value: 44, censored: false });
    expect(kaplanMeierMedian([40, 42, 44, 46].map(event))).toEqual({ value: 43, censored: false });
  });

  it('reports a median that is never reached as censored at the longest follow-up, not as a number', () => {
    // 0/5 solved in 200 epochs, and 2/5 solved with 3 censored: S never falls to 1/2.
    expect(kaplanMeierMedian([200, 200, 200, 200, 200].map(censoredAt))).toEqual({ value: 200, censored: true });
    expect(kaplanMeierMedian([event(30), event(40), censoredAt(200), censoredAt(200), censoredAt(200)])).toEqual({ value: 200, censored: true });
    expect(kaplanMeierMedian([])).toBeNull();
  });

  it('keeps a run timed out early in the risk set only until the epoch it reached', () => {
    // 10+, 20, 30: at t = 20 two are at risk (the run censored at 10 has left) -> S = 1/2, midpoint to 30.
    expect(kaplanMeierMedian([censoredAt(10), event(20), event(30)])).toEqual({ value: 25, censored: false });
  });
});

describe('restrictedMean', () => {
  it('is the area under the hand-worked curve up to 5: 1 + 0.8 * 2 + 0.533 + 0.267 = 3.4', () => {
    expect(restrictedMean(handWorked, 5)).toBeCloseTo(3.4, 12);
  });

  it('is the plain mean without censoring, and the horizon for runs that never get there', () => {
    expect(restrictedMean([40, 42, 44, 46, 48].map(event), 200)).toBeCloseTo(44, 12);
    expect(restrictedMean([200, 200, 200].map(censoredAt), 200)).toBe(200);
    expect(restrictedMean([event(10), event(300)], 200)).toBeCloseTo(10 + 0.5 * 190, 12);
  });
});

describe('gehanScores', () => {
  it('counts who is surely earlier minus surely later, by hand for 1, 2+, 3', () => {
    // 1 is surely earlier than 2+ and 3: +2. 2+ is surely later than 1, unknown against 3: -1. 3 is later than 1: -1.
    expect(gehanScores([event(1), censoredAt(2), event(3)])).toEqual([2, -1, -1]);
  });

  it('gives the Mann-Whitney p without censoring', () => {
    const a = [20, 21, 22, 35, 50];
    const b = [40, 42, 44, 46, 48];
    const gehan = permutationTestScores(gehanScores([...a, ...b].map(event)), a.length, new Rng(1), 'Gehan');
    expect(gehan.p_value).toBeCloseTo(permutationTestRanks(a, b, new Rng(1)).p_value!, 12);
  });

  it('gives 2/252 when every baseline run solves before any arm run, all arm runs censored', () => {
    const pooled = [...[200, 200, 200, 200, 200].map(censoredAt), ...[37, 38, 39, 45, 37].map(event)];
    expect(permutationTestScores(gehanScores(pooled), 5, new Rng(1), 'Gehan').p_value).toBeCloseTo(2 / 252, 12);
  });
});
