import { describe, expect, it } from 'vitest';
import { classifyArm, classifyExperiment, type ArmEvidence } from './classify.js';
import type { EffectOutcome, MetricVerdict, VerdictMetric } from './verdict.js';

/** A verdict reduced to what classification reads: metric, outcome, decisive, reasons. */
function verdict(metric: VerdictMetric, outcome: EffectOutcome, options: { decisive?: boolean; floor?: boolean } = {}): MetricVerdict {
  const estimate = { n: 5, center: null, restricted_mean: null, censored: 0, successes: null, min: null, max: null };
  return {
    metric,
    kind: 'value',
    direction: 'lower',
    decisive: options.decisive ?? true,
    arm: estimate,
    baseline: estimate,
    horizon: null,
    effect: { measure: 'ratio_of_medians', value: 1, ci_low: 1, ci_high: 1, relative: 0 },
    center_ratio: { value: 1, bound: 'exact' },
    test: 'mann_whitney_permutation',
    exact_test: true,
    p_value: 0.5,
    p_floor: options.floor ? 0.1 : 0.0079,
    paired: null,
    outcome,
    reasons: options.floor ? ['not_significant', 'p_floor_above_alpha'] : [],
  };
}

const arm = (name: string, verdicts: MetricVerdict[], crashed = 0): ArmEvidence => ({ name, baseline: false, crashed, verdicts });
const baseline: ArmEvidence = { name: 'sgd', baseline: true, crashed: 0, verdicts: [] };

describe('classifyArm', () => {
  it('follows the written rules in order: BASELINE, INVALID, MIXED, LOSS, WIN, INCONCLUSIVE', () => {
    expect(classifyArm(baseline, baseline)).toMatchObject({ class: 'BASELINE', reasons: ['baseline'] });
    expect(classifyArm(arm('a', [verdict('epoch_90', 'better')], 1), baseline)).toMatchObject({ class: 'INVALID', reasons: ['arm_crashed'] });
    expect(classifyArm(arm('a', [verdict('epoch_90', 'better')]), { ...baseline, crashed: 2 })).toMatchObject({
      class: 'INVALID',
      reasons: ['baseline_crashed'],
    });
    expect(classifyArm(arm('a', [verdict('epoch_90', 'better'), verdict('solve_epoch', 'worse')]), baseline)).toEqual({
      class: 'MIXED',
      reasons: ['better_and_worse'],
      better_on: ['epoch_90'],
      worse_on: ['solve_epoch'],
    });
    expect(classifyArm(arm('a', [verdict('solve_rate', 'worse'), verdict('epoch_90', 'no_effect')]), baseline)).toMatchObject({
      class: 'LOSS',
      worse_on: ['solve_rate'],
    });
    expect(classifyArm(arm('a', [verdict('solve_rate', 'not_established'), verdict('ard', 'better')]), baseline)).toMatchObject({
      class: 'WIN',
      better_on: ['ard'],
    });
    expect(classifyArm(arm('a', [verdict('solve_epoch', 'not_established')]), baseline)).toMatchObject({ class: 'INCONCLUSIVE', reasons: ['not_established'] });
  });

  it('lets only decisive metrics decide: a slower wall time the spec did not name is reported, not judged', () => {
    const judged = classifyArm(arm('egd', [verdict('epoch_90', 'better'), verdict('elapsed_ms', 'worse', { decisive: false })]), baseline);
    expect(judged).toMatchObject({ class: 'WIN', worse_on: [] });
  });

  it('tells no effect on every metric apart from nothing established, and flags a test floor above alpha', () => {
    expect(classifyArm(arm('a', [verdict('solve_rate', 'no_effect'), verdict('ard', 'no_effect')]), baseline).reasons).toEqual(['no_effect']);
    expect(classifyArm(arm('a', [verdict('solve_epoch', 'not_established', { floor: true })]), baseline).reasons).toEqual([
      'not_established',
      'p_floor_above_alpha',
    ]);
  });
});

/** A solve-rate verdict with the two rates (what the solving constraint reads). */
function rate(armRate: number, baselineRate: number, outcome: EffectOutcome = 'not_established'): MetricVerdict {
  const base = verdict('solve_rate', outcome);
  const center = (value: number) => ({ value, censored: false });
  return {
    ...base,
    kind: 'rate',
    direction: 'higher',
    arm: { ...base.arm, center: center(armRate) },
    baseline: { ...base.baseline, center: center(baselineRate) },
  };
}

describe('classifyArm: solving is a constraint on memory and energy metrics', () => {
  it('does not let an arm that solves less often than the baseline win on ARD, DMD or energy', () => {
    for (const metric of ['ard', 'weighted_ard', 'dmc', 'dmd', 'mean_depth', 'dram_reads', 'energy_pj'] as const) {
      expect(classifyArm(arm('a', [rate(0.6, 1), verdict(metric, 'better')]), baseline)).toEqual({
        class: 'INCONCLUSIVE',
        reasons: ['unsolved_memory', 'not_established'],
        better_on: [],
        worse_on: [],
      });
    }
  });

  it('does not let an arm that never solves win on memory, even when the baseline never solves either', () => {
    expect(classifyArm(arm('a', [rate(0, 0, 'no_effect'), verdict('dmd', 'better')]), baseline)).toMatchObject({
      class: 'INCONCLUSIVE',
      reasons: ['unsolved_memory', 'not_established'],
    });
  });

  it('keeps the other verdicts: worse elsewhere is LOSS, better on a non-memory metric still counts', () => {
    expect(classifyArm(arm('a', [rate(0.6, 1), verdict('ard', 'better'), verdict('final_test_acc', 'worse')]), baseline)).toEqual({
      class: 'LOSS',
      reasons: ['worse', 'unsolved_memory'],
      better_on: [],
      worse_on: ['final_test_acc'],
    });
    expect(classifyArm(arm('a', [rate(0.8, 1), verdict('ard', 'better'), verdict('epoch_90', 'better')]), baseline)).toMatchObject({
      class: 'WIN',
      reasons: ['better', 'unsolved_memory'],
      better_on: ['epoch_90'],
    });
  });

  it('lets an arm that solves as often as the baseline win on memory', () => {
    expect(classifyArm(arm('a', [rate(1, 1, 'no_effect'), verdict('ard', 'better')]), baseline)).toEqual({
      class: 'WIN',
      reasons: ['better'],
      better_on: ['ard'],
      worse_on: [],
    });
    expect(classifyArm(arm('a', [rate(1, 0.8), verdict('energy_pj', 'better')]), baseline)).toMatchObject({ class: 'WIN', better_on: ['energy_pj'] });
  });
});

describe('classifyExperiment', () => {
  const judged = (name: string, cls: ReturnType<typeof classifyArm>['class'], effect: number | null = null) => ({
    ...arm(name, []),
    class: cls,
    reasons: [],
    better_on: [],
    worse_on: [],
    primary_effect: effect,
  });
  const base = { ...baseline, class: 'BASELINE' as const, reasons: [], better_on: [], worse_on: [], primary_effect: null };

  it('ranks a WIN better on the primary metric above a WIN worse there, however large', () => {
    expect(classifyExperiment([base, judged('faster-elapsed-only', 'WIN', -5.7), judged('faster', 'WIN', 3.5)])).toMatchObject({ best_arm: 'faster' });
  });

  it('ranks WIN (largest effect first) > MIXED > LOSS > INCONCLUSIVE', () => {
    expect(classifyExperiment([base, judged('l', 'LOSS', 2), judged('w1', 'WIN', 0.2), judged('w2', 'WIN', 0.7), judged('m', 'MIXED')])).toMatchObject({
      class: 'WIN',
      best_arm: 'w2',
    });
    expect(classifyExperiment([base, judged('l', 'LOSS', 2), judged('m', 'MIXED'), judged('i', 'INCONCLUSIVE')])).toMatchObject({
      class: 'MIXED',
      best_arm: 'm',
    });
    expect(classifyExperiment([base, judged('i', 'INCONCLUSIVE'), judged('l1', 'LOSS', 0.1), judged('l2', 'LOSS', 1.5)])).toMatchObject({
      class: 'LOSS',
      best_arm: 'l2',
    });
  });

  it('is INVALID when every other arm is, or when the baseline crashed; BASELINE with no best arm when only it ran', () => {
    expect(classifyExperiment([base, judged('a', 'INVALID'), judged('b', 'INVALID')])).toMatchObject({ class: 'INVALID', reasons: ['every_arm_invalid'] });
    expect(classifyExperiment([{ ...base, crashed: 1 }, judged('a', 'WIN', 1)])).toMatchObject({ class: 'INVALID', reasons: ['baseline_crashed'] });
    expect(classifyExperiment([base])).toEqual({ class: 'BASELINE', best_arm: null, reasons: ['baseline_only'] });
  });
});
