import { describe, expect, it } from 'vitest';
import { expandArms, parseSpec, summarizeExperiment, type ArmRuns, type SpecInput } from '../../core/index.js';
import { makeRuns, solvedAt, type RunSketch } from '../../core/test-helpers/runs.js';
import { renderArmReason, renderHeadline, shortEffect } from './verdict-text.js';

function summaryOf(
  runsByArm: Record<string, RunSketch[]>,
  arms: SpecInput['arms'] = [
    { name: 'sgd', baseline: true },
    { name: 'sign-sgd', overrides: { optimizer: 'sign-sgd' } },
  ],
) {
  const spec = parseSpec({ id: 'x', title: 'x', question: 'q', hypothesis: 'h', task: 'parity', arms, metric: { name: 'solve_epoch' } });
  const armRuns: ArmRuns[] = expandArms(spec).map((arm) => ({
    name: arm.name,
    baseline: arm.baseline,
    config: arm.config,
    runs: makeRuns(runsByArm[arm.name] ?? []),
  }));
  return summarizeExperiment(spec, armRuns);
}

const baseline = solvedAt(37, 38, 39, 45, 37);

describe('renderHeadline', () => {
  it('tells a MIXED arm both ways and its plateaued runs ("3/5 plateaued at 97-99.5%")', () => {
    const signSgd: RunSketch[] = [
      { solveEpoch: null, epoch90: 22, bestTestAcc: 0.97, finalTrainAcc: 1 },
      { solveEpoch: null, epoch90: 23, bestTestAcc: 0.985, finalTrainAcc: 1 },
      { solveEpoch: null, epoch90: 24, bestTestAcc: 0.995, finalTrainAcc: 1 },
      { solveEpoch: 150, epoch90: 25 },
      { solveEpoch: 160, epoch90: 26 },
    ];
    const headline = renderHeadline(summaryOf({ sgd: baseline, 'sign-sgd': signSgd }));
    expect(headline).toBe(
      'sign-sgd vs sgd: mixed: better on epoch_90 24 vs 35 (0.69x), worse on solve_epoch > 200 (censored) vs 38; 3/5 plateaued at 97-99.5%',
    );
  });

  it('prints a censored median as "> 200 (censored)" and never as a plain ratio', () => {
    const summary = summaryOf({
      sgd: baseline,
      'sign-sgd': Array.from({ length: 5 }, () => ({ solveEpoch: null, epoch90: null, bestTestAcc: 0.875, frozen: true })),
    });
    const arm = summary.arms.find((candidate) => candidate.name === 'sign-sgd')!;
    const solve = arm.verdicts.find((verdict) => verdict.metric === 'solve_epoch')!;
    expect(shortEffect(solve)).toBe('solve_epoch > 200 (censored) vs 38');
    expect(renderHeadline(summary)).toMatch(/^sign-sgd vs sgd: worse on solve rate 0\/5 vs 5\/5 \(p=0\.008\) \(also .*\); 5\/5 memorised at 87\.5%$/);
    expect(renderHeadline(summary)).not.toMatch(/5\.26x|5\.2\dx/);
  });

  it('names every arm of the same class with its outcomes, so three failing arms are three', () => {
    const failing = (sketch: RunSketch) => Array.from({ length: 5 }, () => sketch);
    const arms = [
      { name: 'wd=0.01', baseline: true },
      { name: 'wd=0.001', overrides: { wd: 0.001 } },
      { name: 'wd=0.1', overrides: { wd: 0.1 } },
    ];
    const headline = renderHeadline(
      summaryOf(
        {
          'wd=0.01': baseline,
          'wd=0.001': failing({ solveEpoch: null, epoch90: null, bestTestAcc: 0.875, frozen: true }),
          'wd=0.1': failing({ solveEpoch: null, epoch90: null, bestTestAcc: 0.7, finalTrainAcc: 0.6 }),
        },
        arms,
      ),
    );
    expect(headline).toMatch(/5\/5 memorised at 87\.5%; also LOSS: wd=0\.(1|001) \(5\/5 (underfit \(train 60%\)|memorised at 87\.5%)\)$/);
  });

  it('says why an arm is INVALID in words rendered from its reason codes', () => {
    const summary = summaryOf({ sgd: baseline, 'sign-sgd': [...solvedAt(20, 21, 22, 23), { status: 'crashed' }] });
    expect(renderArmReason(summary.arms[1]!)).toBe('1 of 5 runs of sign-sgd crashed: the comparison is void');
    expect(renderHeadline(summary)).toBe('invalid: 1 of 5 runs of sign-sgd crashed: the comparison is void');
  });
});

describe('renderArmReason: solving as a constraint', () => {
  it('says that a memory win of an arm that solves less often than the baseline does not count, and why', () => {
    const spec = parseSpec({
      id: 'x',
      title: 'x',
      question: 'q',
      hypothesis: 'h',
      task: 'parity',
      arms: [
        { name: 'sgd', baseline: true },
        { name: 'fused', overrides: { order: 'fused' } },
      ],
      metric: { name: 'ard' },
    });
    const solvedWith = (ard: number) => solvedAt(37, 38, 39, 45, 37).map((sketch) => ({ ...sketch, ard }));
    const fused: RunSketch[] = [
      ...solvedAt(37, 38, 39).map((sketch) => ({ ...sketch, ard: 100 })),
      ...Array.from({ length: 2 }, () => ({ solveEpoch: null, bestTestAcc: 0.97, ard: 100 })),
    ];
    const armRuns: ArmRuns[] = expandArms(spec).map((arm) => ({
      name: arm.name,
      baseline: arm.baseline,
      config: arm.config,
      runs: makeRuns(arm.baseline ? solvedWith(1000) : fused),
    }));
    const summary = summarizeExperiment(spec, armRuns);
    const arm = summary.arms.find((candidate) => candidate.name === 'fused')!;
    expect(arm.class).not.toBe('WIN');
    expect(arm.reasons).toContain('unsolved_memory');
    expect(renderArmReason(arm)).toMatch(
      /better on ard .*, which does not count: it solves 3\/5 against the baseline's 5\/5, and a method that does not solve cannot win on memory or energy$/,
    );
  });
});
