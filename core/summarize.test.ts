import { describe, expect, it } from 'vitest';
import type { ArmRuns, ExperimentRun } from './experiment.js';
import type { RunResult } from './result.js';
import { expandArms, parseSpec, type SpecInput } from './spec.js';
import { metricValue, summarizeExperiment } from './summarize.js';

type RunSketch = { solveEpoch: number | null; status?: RunResult['status'] | 'crashed'; memoryArd?: number; elapsedMs?: number };

/** A run whose solve epoch is given (null: never solved); the other figures follow from it. */
function makeRun(seed: number, { solveEpoch, status = 'ok', memoryArd, elapsedMs = 1000 }: RunSketch): ExperimentRun {
  if (status === 'crashed') return { seed, status: 'crashed', message: 'worker exited with code 1', elapsed_ms: 5 };
  const solved = solveEpoch !== null;
  return {
    seed,
    status,
    solved,
    reached_95: solved,
    best_test_acc: solved ? 1 : 0.6,
    final_test_acc: solved ? 1 : 0.55,
    epoch_90: solved ? Math.max(1, solveEpoch - 3) : null,
    solve_epoch: solveEpoch,
    epochs: solveEpoch ?? 200,
    elapsed_ms: elapsedMs,
    time_to_solve_ms: solved ? elapsedMs : null,
    secret: [0, 1, 2],
    history: [],
    ...(memoryArd !== undefined ? { memory: { ard: memoryArd, weighted_ard: 1, dmc: 1, energy_pj: 1, clock: 1, reads: 1, writes: 1, floats_read: 1, floats_written: 1, cold_reads: 0, buffers: {} } } : {}),
  };
}

const baseSpec: SpecInput = {
  id: 'exp-test',
  title: 'test',
  question: 'does egd solve faster?',
  hypothesis: 'yes',
  task: 'parity',
  base: { max_epochs: 200 },
  arms: [{ name: 'sgd', baseline: true }, { name: 'egd', overrides: { optimizer: 'egd' } }],
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
    runs: (runsByArm[arm.name] ?? []).map((sketch, i) => makeRun(42 + i, sketch)),
  }));
  return { spec, arms };
}

const epochs = (...values: (number | null)[]): RunSketch[] => values.map((solveEpoch) => ({ solveEpoch }));
const baselineEpochs = epochs(40, 42, 44, 46, 48);

describe('summarizeExperiment', () => {
  it('calls an arm that is faster on every seed a WIN with an exact p of 2/252 and a scannable headline', () => {
    const { spec, arms } = experiment({ sgd: baselineEpochs, egd: epochs(20, 21, 22, 23, 24) });
    const summary = summarizeExperiment(spec, arms);
    const egd = summary.arms.find((arm) => arm.name === 'egd')!;
    expect(egd.class).toBe('WIN');
    expect(egd.comparison!.p_value).toBeCloseTo(2 / 252, 12);
    expect(egd.comparison!.ratio).toBeCloseTo(22 / 44, 12);
    expect(egd.comparison!.ratio_ci_high!).toBeLessThan(1);
    expect(egd.metrics.solve_epoch).toMatchObject({ n: 5, censored: 0, median: 22, mean: 22 });
    expect(summary.arms.find((arm) => arm.name === 'sgd')!.class).toBe('BASELINE');
    expect(summary).toMatchObject({ class: 'WIN', best_arm: 'egd', primary: { metric: 'solve_epoch', direction: 'lower' } });
    expect(summary.headline).toMatch(/^egd solves in 0\.50x the epochs of sgd \(95% CI 0\.\d\d-0\.\d\d, p=0\.0079, 5\/5 solved\)$/);
    expect(summary.headline.length).toBeLessThan(120);
  });

  it('is deterministic: the same runs give the same summary, bootstrap CIs included', () => {
    const { spec, arms } = experiment({ sgd: baselineEpochs, egd: epochs(30, 35, 41, 47, 52) });
    expect(summarizeExperiment(spec, arms)).toEqual(summarizeExperiment(spec, arms));
  });

  it('calls a lower solve rate a LOSS even when the solved seeds were faster', () => {
    const { spec, arms } = experiment({ sgd: baselineEpochs, egd: epochs(20, 21, 22, 23, null) });
    const summary = summarizeExperiment(spec, arms);
    const egd = summary.arms.find((arm) => arm.name === 'egd')!;
    expect(egd).toMatchObject({ class: 'LOSS', solved: 4, solve_rate: 0.8 });
    expect(egd.reason).toMatch(/lower solve rate: solved 4\/5 vs baseline 5\/5/);
    expect(summary.class).toBe('LOSS');
    expect(summary.headline).toMatch(/^egd solves fewer seeds than sgd: 4\/5 vs 5\/5/);
  });

  it('calls a significantly slower arm a LOSS on the metric', () => {
    const { spec, arms } = experiment({ sgd: baselineEpochs, egd: epochs(80, 81, 82, 83, 84) });
    const summary = summarizeExperiment(spec, arms);
    const egd = summary.arms.find((arm) => arm.name === 'egd')!;
    expect(egd.class).toBe('LOSS');
    expect(egd.reason).toMatch(/^worse: median solve_epoch 1\.86x/);
    expect(egd.comparison!.ratio_ci_low!).toBeGreaterThan(1);
    expect(summary.headline).toMatch(/^egd is worse: solves in 1\.86x the epochs of sgd/);
  });

  it('calls 3 seeds INCONCLUSIVE because no result can reach p <= 0.05', () => {
    const { spec, arms } = experiment({ sgd: epochs(40, 42, 44), egd: epochs(20, 21, 22) }, { seeds: '42-44', seeds_reason: 'a test' });
    const summary = summarizeExperiment(spec, arms);
    const egd = summary.arms.find((arm) => arm.name === 'egd')!;
    expect(egd.comparison!.p_value).toBeCloseTo(0.1, 12); // 2 / C(6, 3)
    expect(egd.class).toBe('INCONCLUSIVE');
    expect(egd.reason).toMatch(/too few seeds \(3 vs 3 runs: the smallest possible p is 0\.1 > 0\.05\)/);
    expect(summary.headline).toBe('no arm beats sgd on solve_epoch (best: egd, 0.50x, p=0.1)');
  });

  it('calls overlapping samples INCONCLUSIVE, naming p', () => {
    const { spec, arms } = experiment({ sgd: baselineEpochs, egd: epochs(38, 41, 43, 47, 50) });
    const egd = summarizeExperiment(spec, arms).arms.find((arm) => arm.name === 'egd')!;
    expect(egd.class).toBe('INCONCLUSIVE');
    expect(egd.reason).toMatch(/^not significant \(p > 0\.05\)/);
  });

  it('calls the comparison INVALID when a run of the arm crashed', () => {
    const egdRuns: RunSketch[] = [...epochs(20, 21, 22, 23), { solveEpoch: null, status: 'crashed' }];
    const { spec, arms } = experiment({ sgd: baselineEpochs, egd: egdRuns });
    const summary = summarizeExperiment(spec, arms);
    const egd = summary.arms.find((arm) => arm.name === 'egd')!;
    expect(egd).toMatchObject({ class: 'INVALID', crashed: 1, runs: 5 });
    expect(egd.reason).toBe('of the 5 runs of egd, 1 crashed: the comparison is void');
    expect(summary.class).toBe('INVALID');
    expect(summary.headline).toBe('invalid: of the 5 runs of egd, 1 crashed: the comparison is void');
  });

  it('calls everything INVALID when a baseline run timed out', () => {
    const sgdRuns: RunSketch[] = [...epochs(40, 42, 44, 46), { solveEpoch: null, status: 'timeout' }];
    const { spec, arms } = experiment({ sgd: sgdRuns, egd: epochs(20, 21, 22, 23, 24) });
    const summary = summarizeExperiment(spec, arms);
    const egd = summary.arms.find((arm) => arm.name === 'egd')!;
    expect(egd.class).toBe('INVALID');
    expect(egd.reason).toMatch(/of the 5 runs of sgd \(baseline\), 1 timed out/);
    expect(summary.arms.find((arm) => arm.name === 'sgd')).toMatchObject({ class: 'BASELINE', timed_out: 1 });
    expect(summary).toMatchObject({ class: 'INVALID', best_arm: 'egd' });
  });

  it('counts diverged runs as censored at max_epochs, not as harness failures', () => {
    const egdRuns: RunSketch[] = [...epochs(20, 21, 22), { solveEpoch: null, status: 'diverged' }, { solveEpoch: null, status: 'diverged' }];
    const { spec, arms } = experiment({ sgd: epochs(40, 42, 44, null, null), egd: egdRuns });
    const egd = summarizeExperiment(spec, arms).arms.find((arm) => arm.name === 'egd')!;
    expect(egd).toMatchObject({ diverged: 2, crashed: 0, solved: 3, solve_rate: 0.6 });
    // Censored runs count at 200 (max_epochs): median of [20, 21, 22, 200, 200] is 22, mean 92.6.
    expect(egd.metrics.solve_epoch).toMatchObject({ n: 5, censored: 2, median: 22, mean: 92.6 });
    expect(egd.class).not.toBe('INVALID');
  });

  it('gives a baseline-only experiment the class BASELINE and no best arm', () => {
    const { spec, arms } = experiment({ sgd: baselineEpochs }, { arms: [{ name: 'sgd', baseline: true }] });
    const summary = summarizeExperiment(spec, arms);
    expect(summary).toMatchObject({ class: 'BASELINE', best_arm: null });
    expect(summary.arms[0]!.comparison).toBeNull();
    expect(summary.headline).toMatch(/^baseline only: sgd solved 5\/5, median solve_epoch 44 \(95% CI \d+-\d+\)$/);
  });

  it('skips memory secondaries when no run was tracked, and reports them when runs were', () => {
    const overrides = { secondary: ['ard' as const, 'elapsed_ms' as const] };
    const untracked = experiment({ sgd: baselineEpochs, egd: epochs(20, 21, 22, 23, 24) }, overrides);
    const egdUntracked = summarizeExperiment(untracked.spec, untracked.arms).arms[1]!;
    expect(Object.keys(egdUntracked.metrics).sort()).toEqual(['elapsed_ms', 'solve_epoch']);
    const trackedRuns = (ard: number) => baselineEpochs.map((sketch) => ({ ...sketch, memoryArd: ard }));
    const tracked = experiment({ sgd: trackedRuns(100), egd: trackedRuns(50) }, overrides);
    expect(summarizeExperiment(tracked.spec, tracked.arms).arms[1]!.metrics.ard).toMatchObject({ n: 5, median: 50 });
  });

  it('judges a higher-is-better primary metric in its own direction', () => {
    const { spec, arms } = experiment({ sgd: epochs(null, null, null, null, 40), egd: baselineEpochs }, { metric: { name: 'best_test_acc' } });
    const summary = summarizeExperiment(spec, arms);
    expect(summary.primary.direction).toBe('higher');
    // sgd best_test_acc [0.6 x4, 1]; egd all 1: but sgd solved 1/5 vs egd 5/5, so no solve-rate loss for egd.
    expect(summary.arms[1]!.comparison).toMatchObject({ better: true });
    expect(summary.arms[1]!.comparison!.ratio).toBeCloseTo(1 / 0.6, 12);
  });

  it('refuses arms without a baseline, naming the experiment and the fix', () => {
    const { spec, arms } = experiment({ sgd: baselineEpochs, egd: baselineEpochs });
    expect(() => summarizeExperiment(spec, arms.map((arm) => ({ ...arm, baseline: false })))).toThrow(/exp-test.*no arm has baseline: true.*mark one/);
  });
});

describe('metricValue', () => {
  const { arms } = experiment({});
  const config = arms[0]!.config;

  it('censors an unsolved run at max_epochs for epoch metrics and at its elapsed_ms for time to solve', () => {
    const run = makeRun(1, { solveEpoch: null, status: 'diverged', elapsedMs: 777 });
    expect(metricValue(run, 'solve_epoch', config)).toEqual({ value: 200, censored: true });
    expect(metricValue(run, 'epoch_90', config)).toEqual({ value: 200, censored: true });
    expect(metricValue(run, 'time_to_solve_ms', config)).toEqual({ value: 777, censored: true });
    expect(metricValue(run, 'best_test_acc', config)).toEqual({ value: 0.6, censored: false });
  });

  it('gives crashed and timed-out runs no value, and untracked runs no memory value', () => {
    expect(metricValue(makeRun(1, { solveEpoch: null, status: 'crashed' }), 'solve_epoch', config)).toEqual({ value: null, censored: false });
    expect(metricValue(makeRun(1, { solveEpoch: 30, status: 'timeout' }), 'solve_epoch', config)).toEqual({ value: null, censored: false });
    expect(metricValue(makeRun(1, { solveEpoch: 30 }), 'ard', config)).toEqual({ value: null, censored: false });
    expect(metricValue(makeRun(1, { solveEpoch: 30, memoryArd: 12.5 }), 'ard', config)).toEqual({ value: 12.5, censored: false });
  });
});
