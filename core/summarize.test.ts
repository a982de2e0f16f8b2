import { describe, expect, it } from 'vitest';
import type { ArmRuns } from './experiment.js';
import { expandArms, parseSpec, type SpecInput } from './spec.js';
import { metricValue, summarizeExperiment } from './summarize.js';
import { makeRun, makeRuns, solvedAt, type RunSketch } from './test-helpers/runs.js';

const baseSpec: SpecInput = {
  id: 'exp-test',
  title: 'test',
  question: 'does egd solve faster?',
  hypothesis: 'yes',
  task: 'parity',
  base: { max_epochs: 200 },
  arms: [
    { name: 'sgd', baseline: true },
    { name: 'egd', overrides: { optimizer: 'egd' } },
  ],
  seeds: '42-46',
  metric: { name: 'solve_epoch' },
};

/** Parses the spec, expands its arms and gives each arm the runs sketched for it (seeds 42, 43, ...). */
function experiment(runsByArm: Record<string, RunSketch[]>, overrides: Partial<SpecInput> = {}) {
  const spec = parseSpec({ ...baseSpec, ...overrides });
  const arms: ArmRuns[] = expandArms(spec).map((arm) => ({
    name: arm.name,
    baseline: arm.baseline,
    config: arm.config,
    runs: makeRuns(runsByArm[arm.name] ?? []),
  }));
  return { spec, arms };
}

function judge(runsByArm: Record<string, RunSketch[]>, overrides: Partial<SpecInput> = {}) {
  const { spec, arms } = experiment(runsByArm, overrides);
  const summary = summarizeExperiment(spec, arms);
  const arm = (name: string) => summary.arms.find((candidate) => candidate.name === name)!;
  const verdict = (name: string, metric: string) => arm(name).verdicts.find((candidate) => candidate.metric === metric)!;
  return { summary, arm, verdict };
}

const baselineEpochs = solvedAt(40, 42, 44, 46, 48);

describe('summarizeExperiment: classes from every metric that matters', () => {
  it('calls an arm faster on every seed a WIN, with the exact p of 2/252 beside the effect and its CI', () => {
    const { summary, arm, verdict } = judge({ sgd: baselineEpochs, egd: solvedAt(20, 21, 22, 23, 24) });
    expect(arm('egd')).toMatchObject({ class: 'WIN', reasons: ['better'], worse_on: [] });
    expect(arm('egd').better_on).toEqual(expect.arrayContaining(['solve_epoch', 'epoch_90']));
    const solve = verdict('egd', 'solve_epoch');
    expect(solve).toMatchObject({ kind: 'time_to_event', outcome: 'better', reasons: ['significant'], test: 'gehan_permutation', exact_test: true });
    expect(solve.p_value).toBeCloseTo(2 / 252, 12);
    expect(solve.p_floor).toBeCloseTo(2 / 252, 12);
    expect(solve.arm.center).toEqual({ value: 22, censored: false });
    expect(solve.center_ratio).toEqual({ value: 0.5, bound: 'exact' });
    // Restricted means without censoring are plain means: 22 / 44.
    expect(solve.effect.value).toBeCloseTo(0.5, 12);
    expect(solve.effect.ci_high!).toBeLessThan(1);
    expect(summary).toMatchObject({ class: 'WIN', best_arm: 'egd', reasons: ['best_arm'], min_effect: 0.05 });
    expect(arm('egd').comparison).toMatchObject({ metric: 'solve_epoch', measure: 'ratio_of_restricted_means', better: true });
    expect(arm('sgd')).toMatchObject({ class: 'BASELINE', verdicts: [] });
  });

  it('calls a 0/5 arm a LOSS on solve rate (Fisher 2/252) and reports its median as censored, never as a plain ratio', () => {
    const { arm, verdict } = judge({ sgd: baselineEpochs, egd: solvedAt(null, null, null, null, null) });
    expect(arm('egd').class).toBe('LOSS');
    expect(arm('egd').worse_on).toEqual(expect.arrayContaining(['solve_rate', 'solve_epoch']));
    const rate = verdict('egd', 'solve_rate');
    expect(rate).toMatchObject({ kind: 'rate', test: 'fisher_exact', outcome: 'worse', arm: { successes: 0, n: 5 }, baseline: { successes: 5, n: 5 } });
    expect(rate.p_value).toBeCloseTo(2 / 252, 12);
    expect(rate.effect).toMatchObject({ measure: 'difference_of_rates', value: -1 });
    const solve = verdict('egd', 'solve_epoch');
    expect(solve.arm.center).toEqual({ value: 200, censored: true });
    expect(solve.center_ratio).toEqual({ value: 200 / 44, bound: 'at_least' });
    expect(arm('egd').metrics.solve_epoch).toMatchObject({ median: 200, median_censored: true, censored: 5 });
  });

  it('calls faster-to-90% but 3/5 plateaued below 100% MIXED, with the outcome counts beside it', () => {
    const signSgd: RunSketch[] = [
      { solveEpoch: null, epoch90: 22, bestTestAcc: 0.97, finalTrainAcc: 1 },
      { solveEpoch: null, epoch90: 23, bestTestAcc: 0.985, finalTrainAcc: 1 },
      { solveEpoch: null, epoch90: 24, bestTestAcc: 0.995, finalTrainAcc: 1 },
      { solveEpoch: 150, epoch90: 25 },
      { solveEpoch: 160, epoch90: 26 },
    ];
    const { summary, arm, verdict } = judge({ sgd: baselineEpochs, egd: signSgd });
    expect(arm('egd')).toMatchObject({ class: 'MIXED', reasons: ['better_and_worse'], better_on: ['epoch_90'], worse_on: ['solve_epoch'] });
    expect(verdict('egd', 'solve_rate').outcome).toBe('not_established'); // 2/5 vs 5/5: Fisher p = 0.17
    expect(verdict('egd', 'solve_rate').p_value).toBeCloseTo(20 / 120, 12);
    expect(verdict('egd', 'epoch_90').center_ratio.value).toBeCloseTo(24 / 41, 12);
    expect(arm('egd').claim.outcomes).toEqual([
      expect.objectContaining({ label: 'solved', count: 2 }),
      expect.objectContaining({ label: 'plateaued', count: 3, best_test_acc: [0.97, 0.995] }),
    ]);
    expect(summary.class).toBe('MIXED');
  });

  it('calls overlapping samples INCONCLUSIVE (not established), and identical ones INCONCLUSIVE with no effect', () => {
    const overlapping = judge({ sgd: baselineEpochs, egd: solvedAt(30, 35, 41, 47, 52) });
    expect(overlapping.arm('egd')).toMatchObject({ class: 'INCONCLUSIVE', reasons: ['not_established'] });
    expect(overlapping.verdict('egd', 'solve_epoch').reasons).toContain('not_significant');
    const same = judge({ sgd: baselineEpochs, egd: baselineEpochs });
    expect(same.arm('egd')).toMatchObject({ class: 'INCONCLUSIVE', reasons: ['no_effect'] });
    expect(same.verdict('egd', 'solve_epoch').reasons).toEqual(['identical_per_seed']);
  });

  it('says when too few seeds make p <= 0.05 impossible (3 vs 3: floor 0.1)', () => {
    const { arm, verdict } = judge({ sgd: solvedAt(40, 42, 44), egd: solvedAt(20, 21, 22) }, { seeds: '42-44', seeds_reason: 'test' });
    expect(arm('egd')).toMatchObject({ class: 'INCONCLUSIVE', reasons: ['not_established', 'p_floor_above_alpha'] });
    expect(verdict('egd', 'solve_epoch').p_floor).toBeCloseTo(0.1, 12);
  });

  it('calls an arm INVALID only for a crashed run, and the whole experiment INVALID when a baseline run crashed', () => {
    const crashedArm = judge({ sgd: baselineEpochs, egd: [...solvedAt(20, 21, 22, 23), { status: 'crashed' }] });
    expect(crashedArm.arm('egd')).toMatchObject({ class: 'INVALID', reasons: ['arm_crashed'], crashed: 1 });
    const crashedBaseline = judge({ sgd: [...solvedAt(40, 42, 44, 46), { status: 'crashed' }], egd: solvedAt(20, 21, 22, 23, 24) });
    expect(crashedBaseline.summary).toMatchObject({ class: 'INVALID', reasons: ['baseline_crashed'] });
  });

  it('counts a timed-out run as censored at the epoch it reached, not INVALID: EGD at 99.5% beats SGD at chance', () => {
    const sgdAtChance: RunSketch[] = Array.from({ length: 5 }, () => ({
      solveEpoch: null,
      epoch90: null,
      bestTestAcc: 0.02,
      finalTrainAcc: 0.05,
      status: 'timeout' as const,
      epochs: 120,
    }));
    const egdNearly: RunSketch[] = Array.from({ length: 5 }, (_, i) => ({
      solveEpoch: null,
      epoch90: 30 + i,
      bestTestAcc: 0.995,
      finalTrainAcc: 1,
      status: 'timeout' as const,
      epochs: 150,
    }));
    const { arm, verdict } = judge({ sgd: sgdAtChance, egd: egdNearly }, { metric: { name: 'epoch_90' } });
    expect(arm('egd').class).toBe('WIN');
    expect(arm('egd').better_on).toEqual(expect.arrayContaining(['epoch_90', 'best_test_acc']));
    expect(verdict('egd', 'epoch_90').baseline).toMatchObject({ center: { value: 120, censored: true }, censored: 5 });
    expect(arm('egd').claim.outcomes).toEqual([expect.objectContaining({ label: 'timed_out', count: 5, epochs: [150, 150] })]);
    expect(arm('sgd').timed_out).toBe(5);
  });

  it('counts diverged runs as censored at max_epochs (they cannot recover), a training outcome and not a harness failure', () => {
    const diverging: RunSketch[] = [
      ...solvedAt(20, 21, 22),
      { solveEpoch: null, status: 'diverged', epochs: 3 },
      { solveEpoch: null, status: 'diverged', epochs: 3 },
    ];
    const { arm, verdict } = judge({ sgd: baselineEpochs, egd: diverging }, { secondary: ['elapsed_ms'] });
    expect(arm('egd')).toMatchObject({ diverged: 2, crashed: 0, solved: 3, solve_rate: 0.6 });
    expect(arm('egd').class).not.toBe('INVALID');
    expect(verdict('egd', 'solve_epoch').arm.max).toBe(200);
    expect(arm('egd').claim.outcomes).toEqual([
      expect.objectContaining({ label: 'solved', count: 3 }),
      expect.objectContaining({ label: 'diverged', count: 2 }),
    ]);
    // Wall time of a run that diverged after 3 epochs is not what training costs: only the 3 that trained to the end count.
    expect(verdict('egd', 'elapsed_ms').arm.n).toBe(3);
  });
});

describe('summarizeExperiment: accuracies near chance and runs cut short', () => {
  it('judges accuracy by its difference in points: 0.2% against 1% at chance is no effect, not 0.23x', () => {
    const atChance = (acc: number): RunSketch[] =>
      Array.from({ length: 5 }, (_, i) => ({ solveEpoch: null, epoch90: null, bestTestAcc: acc + i * 0.001, finalTrainAcc: 0.05 }));
    const { verdict } = judge({ sgd: atChance(0.01), egd: atChance(0.002) });
    expect(verdict('egd', 'best_test_acc')).toMatchObject({
      outcome: 'no_effect',
      reasons: ['below_min_effect'],
      effect: { measure: 'difference_of_medians' },
    });
    expect(verdict('egd', 'best_test_acc').effect.value).toBeCloseTo(-0.008, 12);
  });

  it('establishes nothing on a time to event when both arms timed out early without getting there', () => {
    const cutShort = (epochs: number): RunSketch[] =>
      Array.from({ length: 5 }, () => ({ solveEpoch: null, epoch90: null, bestTestAcc: 0.01, finalTrainAcc: 0.05, status: 'timeout' as const, epochs }));
    const { arm, verdict } = judge({ sgd: cutShort(18), egd: cutShort(8) });
    expect(verdict('egd', 'epoch_90')).toMatchObject({ outcome: 'not_established', reasons: ['no_events'], horizon: 8 });
    expect(arm('egd').class).toBe('INCONCLUSIVE');
  });
});

describe('summarizeExperiment: the minimum effect', () => {
  const tracked = (ard: number): RunSketch[] => baselineEpochs.map((sketch) => ({ ...sketch, ard }));

  it('takes a 0.8% difference of a deterministic metric as no effect, whatever its p', () => {
    const { arm, verdict } = judge({ sgd: tracked(100), egd: tracked(100.8) }, { metric: { name: 'ard' } });
    expect(verdict('egd', 'ard')).toMatchObject({ outcome: 'no_effect', reasons: ['deterministic', 'below_min_effect'] });
    expect(arm('egd')).toMatchObject({ class: 'INCONCLUSIVE', reasons: ['no_effect'] });
  });

  it('takes a 3.9x deterministic ARD as an exact LOSS even where best test accuracy saturates at 100% for both', () => {
    const { arm, verdict } = judge({ sgd: tracked(100), egd: tracked(390) }, { metric: { name: 'best_test_acc' } });
    expect(verdict('egd', 'best_test_acc')).toMatchObject({ outcome: 'no_effect', reasons: ['identical_per_seed'] });
    expect(verdict('egd', 'ard')).toMatchObject({ outcome: 'worse', reasons: ['deterministic'], effect: { value: 3.9 } });
    expect(arm('egd')).toMatchObject({ class: 'LOSS', worse_on: ['ard'] });
  });

  it('reads min_effect from the spec: 10% less ARD wins at the default 5% and is no effect at 20%', () => {
    expect(judge({ sgd: tracked(100), egd: tracked(90) }, { metric: { name: 'ard' } }).arm('egd').class).toBe('WIN');
    const strict = judge({ sgd: tracked(100), egd: tracked(90) }, { metric: { name: 'ard' }, min_effect: 0.2 });
    expect(strict.summary.min_effect).toBe(0.2);
    expect(strict.arm('egd')).toMatchObject({ class: 'INCONCLUSIVE', reasons: ['no_effect'] });
  });

  it('does not let a noisy effect below the minimum pass, even at p = 2/252', () => {
    // Every arm run 2 epochs faster than every baseline run: significant, but 4.5% < 5%.
    const { verdict } = judge({ sgd: solvedAt(44, 44, 44, 45, 45), egd: solvedAt(42, 42, 42, 43, 43) });
    const solve = verdict('egd', 'solve_epoch');
    expect(solve.p_value).toBeCloseTo(2 / 252, 12);
    expect(solve.outcome).not.toBe('better');
    expect(solve.reasons).toContain('below_min_effect');
  });
});

describe('summarizeExperiment: paired reporting and claims', () => {
  it('pairs runs by seed: per-seed differences, their median with a CI, the sign test and Wilcoxon', () => {
    const { verdict } = judge({ sgd: solvedAt(35, 34, 36, 40, 35), egd: solvedAt(24, 25, 22, 30, 24) }, { metric: { name: 'solve_epoch' } });
    const paired = verdict('egd', 'solve_epoch').paired!;
    expect(paired.pairs.map((pair) => [pair.seed, pair.difference])).toEqual([
      [42, -11],
      [43, -9],
      [44, -14],
      [45, -10],
      [46, -11],
    ]);
    expect(paired.median_difference).toBe(-11);
    expect(paired.ci_high).toBeLessThan(0);
    expect(paired.sign_test_p).toBeCloseTo(2 / 32, 12);
    expect(paired.wilcoxon_p).toBeCloseTo(2 / 32, 12);
  });

  it('names the conditions that differ from the canonical config and the factors changed from the baseline', () => {
    const { arm } = judge(
      { sgd: baselineEpochs, 'sign-sgd': baselineEpochs },
      {
        base: { max_epochs: 200, n_train: 2000 },
        arms: [
          { name: 'sgd', baseline: true },
          { name: 'sign-sgd', overrides: { optimizer: 'sign-sgd', lr: 0.01 } },
        ],
      },
    );
    const claim = arm('sign-sgd').claim;
    expect(claim.conditions.map((c) => c.key).sort()).toEqual(['lr', 'n_train', 'optimizer']);
    expect(claim.changes).toEqual([
      { key: 'lr', value: 0.01, reference: 0.1 },
      { key: 'optimizer', value: 'sign-sgd', reference: 'sgd' },
    ]);
    expect(claim).toMatchObject({ metric: 'solve_epoch', seeds: 5, verdict: { metric: 'solve_epoch' } });
  });

  it('is deterministic: the same runs give the same summary, bootstrap CIs included', () => {
    const { spec, arms } = experiment({ sgd: baselineEpochs, egd: solvedAt(30, 35, 41, 47, 52) });
    expect(summarizeExperiment(spec, arms)).toEqual(summarizeExperiment(spec, arms));
  });

  it('gives a baseline-only experiment the class BASELINE and no best arm', () => {
    const { summary } = judge({ sgd: baselineEpochs }, { arms: [{ name: 'sgd', baseline: true }] });
    expect(summary).toMatchObject({ class: 'BASELINE', best_arm: null, reasons: ['baseline_only'] });
    expect(summary.arms[0]!.comparison).toBeNull();
  });

  it('judges a higher-is-better primary metric in its own direction', () => {
    const { summary, verdict } = judge({ sgd: solvedAt(null, null, null, null, 40), egd: baselineEpochs }, { metric: { name: 'best_test_acc' } });
    expect(summary.primary.direction).toBe('higher');
    expect(verdict('egd', 'best_test_acc')).toMatchObject({ direction: 'higher', center_ratio: { value: 1 / 0.6, bound: 'exact' } });
    expect(summary.arms[1]!.comparison).toMatchObject({ better: true, measure: 'difference_of_medians', ratio_ci_low: null });
    expect(summary.arms[1]!.comparison!.ratio).toBeCloseTo(1 / 0.6, 12);
    expect(verdict('egd', 'best_test_acc').effect.value).toBeCloseTo(0.4, 12);
    // 5/5 against 1/5 solved: Fisher p = 2 * 5 / 210 ... = 0.0476, a solve-rate WIN.
    expect(verdict('egd', 'solve_rate')).toMatchObject({ outcome: 'better' });
    expect(verdict('egd', 'solve_rate').p_value).toBeCloseTo(10 / 210, 12);
  });

  it('skips memory metrics when no run was tracked, and judges them when runs were', () => {
    const untracked = judge({ sgd: baselineEpochs, egd: solvedAt(20, 21, 22, 23, 24) }, { secondary: ['ard', 'elapsed_ms'] });
    expect(Object.keys(untracked.arm('egd').metrics).sort()).toEqual(['elapsed_ms', 'solve_epoch']);
    expect(untracked.arm('egd').verdicts.some((v) => v.metric === 'ard')).toBe(false);
  });

  it('refuses arms without a baseline, naming the experiment and the fix', () => {
    const { spec, arms } = experiment({ sgd: baselineEpochs, egd: baselineEpochs });
    expect(() =>
      summarizeExperiment(
        spec,
        arms.map((arm) => ({ ...arm, baseline: false })),
      ),
    ).toThrow(/exp-test.*no arm has baseline: true.*mark one/);
  });
});

describe('metricValue', () => {
  const { arms } = experiment({});
  const limits = { config: arms[0]!.config, timeLimitMs: 60_000 };

  it('censors a diverged run at max_epochs and at the time limit: it cannot recover', () => {
    const run = makeRun(1, { solveEpoch: null, status: 'diverged', epochs: 3 });
    expect(metricValue(run, 'solve_epoch', limits)).toEqual({ value: 200, censored: true });
    expect(metricValue(run, 'time_to_solve_ms', limits)).toEqual({ value: 60_000, censored: true });
    expect(metricValue(run, 'best_test_acc', limits)).toEqual({ value: 0.6, censored: false });
  });

  it('censors a timed-out run at the epoch and time it reached, and keeps its accuracy', () => {
    const run = makeRun(1, { solveEpoch: null, epoch90: 40, status: 'timeout', epochs: 120, msPerEpoch: 10 });
    expect(metricValue(run, 'solve_epoch', limits)).toEqual({ value: 120, censored: true });
    expect(metricValue(run, 'epoch_90', limits)).toEqual({ value: 40, censored: false });
    expect(metricValue(run, 'time_to_solve_ms', limits)).toEqual({ value: 1200, censored: true });
    expect(metricValue(run, 'best_test_acc', limits)).toEqual({ value: 0.97, censored: false });
    expect(metricValue(run, 'elapsed_ms', limits)).toEqual({ value: null, censored: false });
  });

  it('gives crashed runs no value, and untracked runs no memory value', () => {
    expect(metricValue(makeRun(1, { status: 'crashed' }), 'solve_epoch', limits)).toEqual({ value: null, censored: false });
    expect(metricValue(makeRun(1, { solveEpoch: 30 }), 'ard', limits)).toEqual({ value: null, censored: false });
    expect(metricValue(makeRun(1, { solveEpoch: 30, ard: 12.5 }), 'ard', limits)).toEqual({ value: 12.5, censored: false });
  });
});
