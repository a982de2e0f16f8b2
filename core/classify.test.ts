import { describe, expect, it } from 'vitest';
import { classifyArm, classifyExperiment, formatP, type ArmClassification, type ArmEvidence } from './classify.js';

type EvidenceSketch = Partial<Omit<ArmEvidence, 'comparison'>> & {
  ratio?: number | null;
  ci?: [number, number];
  p?: number | null;
  better?: boolean;
};

/** An arm's evidence on solve_epoch (lower is better); 5/5 solved unless told otherwise. */
function evidence(name: string, sketch: EvidenceSketch = {}): ArmEvidence {
  const { ratio = 1, ci = [0.9, 1.1], p = 0.5, better, ...counts } = sketch;
  return {
    name,
    baseline: false,
    runs: 5,
    solved: 5,
    solve_rate: 1,
    timed_out: 0,
    crashed: 0,
    comparison: counts.baseline
      ? null
      : { metric: 'solve_epoch', ratio, ratio_ci_low: ci[0], ratio_ci_high: ci[1], p_value: p, test: 'exact permutation (Mann-Whitney U)', better: better ?? (ratio !== null && ratio < 1) },
    ...counts,
  };
}

const baseline = evidence('sgd', { baseline: true });
const classify = (arm: ArmEvidence, direction: 'lower' | 'higher' = 'lower') => classifyArm({ arm, baseline, direction });
const judged = (arm: ArmEvidence): ArmEvidence & ArmClassification => ({ ...arm, ...classify(arm) });

describe('classifyArm', () => {
  it('follows the written rules in order: BASELINE, INVALID, LOSS, WIN, INCONCLUSIVE', () => {
    expect(classify(baseline).class).toBe('BASELINE');
    expect(classify(evidence('a', { ratio: 0.5, ci: [0.4, 0.6], p: 0.008, timed_out: 2 })).reason).toBe(
      'of the 5 runs of a, 2 timed out: the comparison is void',
    );
    expect(classify(evidence('a', { ratio: 0.5, ci: [0.4, 0.6], p: 0.008, solved: 4, solve_rate: 0.8 })).class).toBe('LOSS');
    expect(classify(evidence('a', { ratio: 1.5, ci: [1.2, 1.9], p: 0.01 })).class).toBe('LOSS');
    expect(classify(evidence('a', { ratio: 0.5, ci: [0.4, 0.6], p: 0.008 })).class).toBe('WIN');
  });

  it('needs every WIN condition: p, a CI clear of 1, and a better median', () => {
    expect(classify(evidence('a', { ratio: 0.5, ci: [0.4, 0.6], p: 0.06 })).reason).toMatch(/^not significant \(p > 0\.05\)/);
    expect(classify(evidence('a', { ratio: 0.8, ci: [0.6, 1.02], p: 0.03 })).reason).toMatch(/^the ratio CI includes 1/);
    expect(classify(evidence('a', { ratio: 1, ci: [0.9, 1.1], p: 1 })).reason).toMatch(/^no difference in medians/);
    const threeSeeds = { runs: 3, solved: 3 };
    const fewSeeds = classifyArm({ arm: evidence('a', { ratio: 0.5, ci: [0.4, 0.6], p: 0.1, ...threeSeeds }), baseline: evidence('sgd', { baseline: true, ...threeSeeds }), direction: 'lower' });
    expect(fewSeeds).toMatchObject({ class: 'INCONCLUSIVE' });
    expect(fewSeeds.reason).toMatch(/^too few seeds \(3 vs 3 runs: the smallest possible p is 0\.1 > 0\.05\)/);
  });

  it('reads the CI side from the direction: a ratio above 1 wins when higher is better', () => {
    expect(classify(evidence('a', { ratio: 1.4, ci: [1.2, 1.6], p: 0.008, better: true }), 'higher').class).toBe('WIN');
    expect(classify(evidence('a', { ratio: 0.7, ci: [0.6, 0.8], p: 0.008, better: false }), 'higher').class).toBe('LOSS');
  });

  it('is INCONCLUSIVE when there is nothing to compare', () => {
    expect(classify(evidence('a', { ratio: null, p: null })).class).toBe('INCONCLUSIVE');
  });
});

describe('classifyExperiment', () => {
  const win = (name: string, ratio: number) => judged(evidence(name, { ratio, ci: [ratio * 0.9, ratio * 1.1], p: 0.008 }));
  const loss = (name: string, p: number) => judged(evidence(name, { ratio: 1.5, ci: [1.2, 1.8], p }));
  const unclear = (name: string, p: number) => judged(evidence(name, { ratio: 0.9, ci: [0.7, 1.1], p }));
  const crashed = (name: string) => judged(evidence(name, { crashed: 1 }));
  const base = judged(baseline);

  it('lets the largest WIN decide, ahead of any LOSS', () => {
    expect(classifyExperiment([base, loss('l', 0.001), win('small', 0.8), win('large', 0.3)])).toMatchObject({ class: 'WIN', best_arm: 'large' });
  });

  it('puts LOSS (smallest p first) ahead of INCONCLUSIVE and INCONCLUSIVE ahead of INVALID', () => {
    expect(classifyExperiment([base, unclear('u', 0.2), loss('l1', 0.04), loss('l2', 0.01)])).toMatchObject({ class: 'LOSS', best_arm: 'l2' });
    expect(classifyExperiment([base, crashed('c'), unclear('u1', 0.6), unclear('u2', 0.2)])).toMatchObject({ class: 'INCONCLUSIVE', best_arm: 'u2' });
  });

  it('is INVALID when every other arm is, or when the baseline had a harness failure', () => {
    expect(classifyExperiment([base, crashed('c1'), crashed('c2')])).toMatchObject({ class: 'INVALID', best_arm: 'c1' });
    const brokenBaseline = judged(evidence('sgd', { baseline: true, crashed: 2 }));
    expect(classifyExperiment([brokenBaseline, win('w', 0.5)]).reason).toBe('of the 5 runs of sgd (baseline), 2 crashed: every comparison is void');
  });

  it('is BASELINE with no best arm when only the baseline ran', () => {
    expect(classifyExperiment([base])).toMatchObject({ class: 'BASELINE', best_arm: null });
  });
});

describe('formatP', () => {
  it('keeps two significant digits and floors at 0.001', () => {
    expect([formatP(2 / 252), formatP(0.42), formatP(0.00002), formatP(1), formatP(null)]).toEqual(['0.0079', '0.42', '<0.001', '1', 'n/a']);
  });
});
