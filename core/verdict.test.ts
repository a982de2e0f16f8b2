import { describe, expect, it } from 'vitest';
import { decideOutcome, judgeRate, judgeTimeToEvent, type Effect } from './verdict.js';

const ratio = (value: number, ci: [number, number]): Effect => ({ measure: 'ratio_of_medians', value, ci_low: ci[0], ci_high: ci[1], relative: value - 1 });
const decide = (effect: Effect, p: number, extra: Partial<Parameters<typeof decideOutcome>[0]> = {}) =>
  decideOutcome({
    armName: 'a',
    direction: 'lower',
    decisive: true,
    minEffect: 0.05,
    alpha: 0.05,
    effect,
    noEffect: 1,
    p,
    pFloor: 0.0079,
    deterministic: false,
    identical: false,
    ...extra,
  });

describe('decideOutcome', () => {
  it('needs p, a CI on one side and the minimum effect for better or worse', () => {
    expect(decide(ratio(0.5, [0.4, 0.6]), 0.0079)).toEqual({ outcome: 'better', reasons: ['significant'] });
    expect(decide(ratio(1.5, [1.2, 1.9]), 0.0079)).toEqual({ outcome: 'worse', reasons: ['significant'] });
    expect(decide(ratio(0.5, [0.4, 1.1]), 0.0079)).toEqual({ outcome: 'not_established', reasons: ['ci_includes_no_effect'] });
    expect(decide(ratio(0.5, [0.4, 0.6]), 0.2)).toEqual({ outcome: 'not_established', reasons: ['not_significant'] });
  });

  it('reads better from the direction: a ratio above 1 is better when higher is better', () => {
    expect(decide(ratio(1.5, [1.2, 1.9]), 0.0079, { direction: 'higher' }).outcome).toBe('better');
  });

  it('calls an effect below the minimum no effect when its CI is inside the band, else not established', () => {
    expect(decide(ratio(0.98, [0.97, 1.01]), 0.0079)).toEqual({ outcome: 'no_effect', reasons: ['below_min_effect'] });
    expect(decide(ratio(0.98, [0.8, 1.2]), 0.5)).toEqual({ outcome: 'not_established', reasons: ['below_min_effect', 'ci_wider_than_min_effect'] });
  });

  it('judges an exact (no-spread) difference by the minimum effect alone, whatever p', () => {
    expect(decide(ratio(0.9, [0.9, 0.9]), 0.1, { deterministic: true })).toEqual({ outcome: 'better', reasons: ['deterministic'] });
    expect(decide(ratio(0.992, [0.992, 0.992]), 0.0079, { deterministic: true })).toEqual({
      outcome: 'no_effect',
      reasons: ['deterministic', 'below_min_effect'],
    });
  });

  it('names the test floor when p cannot reach alpha with these run counts', () => {
    expect(decide(ratio(0.5, [0.4, 0.6]), 0.1, { pFloor: 0.1 }).reasons).toEqual(['not_significant', 'p_floor_above_alpha']);
  });
});

describe('judgeRate and judgeTimeToEvent', () => {
  const options = { armName: 'a', direction: 'lower' as const, decisive: true, minEffect: 0.05, alpha: 0.05 };

  it('give the solve rate with Fisher and the median of a 0/5 arm as censored, with the ratio only as a lower bound', () => {
    const flags = (solved: number) => Array.from({ length: 5 }, (_, i) => ({ seed: i, value: i < solved ? 1 : 0 }));
    const rate = judgeRate(flags(0), flags(5), options);
    expect(rate).toMatchObject({ outcome: 'worse', arm: { successes: 0 }, effect: { value: -1 } });
    const never = Array.from({ length: 5 }, (_, i) => ({ seed: i, time: 200, event: false }));
    const solved = [37, 38, 39, 45, 37].map((time, i) => ({ seed: i, time, event: true }));
    const time = judgeTimeToEvent('solve_epoch', never, solved, { ...options, horizon: 200 });
    expect(time.arm.center).toEqual({ value: 200, censored: true });
    expect(time.center_ratio).toEqual({ value: 200 / 38, bound: 'at_least' });
    expect(time.effect.value).toBeCloseTo(200 / 39.2, 12);
    expect(time.outcome).toBe('worse');
  });
});
