// A realistic ExperimentResults for the findings tests: SGD baseline vs EGD vs EGD at a tiny learning rate,
// 5 seeds each, full per-epoch histories, memory tracked in the EGD arm. Deterministic (seeded Rng).
import {
  expandArms,
  parseSpec,
  Rng,
  type ArmRuns,
  type ArmSummary,
  type EpochRecord,
  type ExperimentResults,
  type MemoryReport,
  type RunResult,
  type RunStatus,
} from '../../../core/index.js';

type RunPlan = { seed: number; solveEpoch: number | null; status: RunStatus; epochs: number; plateau: number; msPerEpoch: number };

function history(plan: RunPlan, rng: Rng): EpochRecord[] {
  const records: EpochRecord[] = [];
  let movement = 0;
  for (let epoch = 1; epoch <= plan.epochs; epoch++) {
    const transition = plan.solveEpoch ?? 10_000;
    const rise = 1 / (1 + Math.exp(-(epoch - (transition - 5)) / 1.8));
    const drift = Math.min(0.26, epoch / 600) * (plan.solveEpoch === null ? 1 : 0);
    let testAcc =
      plan.solveEpoch !== null && epoch >= plan.solveEpoch ? 1 : Math.min(0.995, plan.plateau + drift + (1 - plan.plateau) * rise + rng.normal() * 0.015);
    testAcc = Math.round(Math.max(0.4, testAcc) * 200) / 200; // 200 test samples: multiples of 0.005
    movement += 3 + 40 * rise * (1 - rise) + rng.uniform();
    records.push({
      epoch,
      stage_n: 20,
      train_acc: Math.min(1, testAcc + 0.02),
      test_acc: testAcc,
      train_loss: 1 - testAcc,
      test_loss: 1.05 - testAcc,
      weight_movement_l1: movement,
      fourier_secret: rise,
      w1_sparsity: 0.1 + 0.5 * rise,
      grad_norm_layer1: 0.2 + rng.uniform() * 0.05,
      grad_norm_layer2: 0.4 + rng.uniform() * 0.05,
    });
  }
  return records;
}

function memoryReport(seed: number): MemoryReport {
  const scale = 1 + (seed - 44) * 0.01;
  return {
    ard: 12_345.6 * scale,
    weighted_ard: 23_456.7 * scale,
    dmc: 4.56e6 * scale,
    energy_pj: 2.34e7 * scale,
    clock: 9.9e6,
    reads: 40_000,
    writes: 30_000,
    floats_read: 5e6,
    floats_written: 4e6,
    cold_reads: 4,
    buffers: {},
  };
}

function runFrom(plan: RunPlan, tracked: boolean): RunResult {
  const records = history(plan, new Rng(plan.seed, `fixture-${plan.solveEpoch}-${plan.status}`));
  const best = Math.max(...records.map((record) => record.test_acc));
  const epoch90 = records.find((record) => record.test_acc >= 0.9)?.epoch ?? null;
  const elapsed = plan.epochs * plan.msPerEpoch;
  const run: RunResult = {
    seed: plan.seed,
    status: plan.status,
    solved: plan.solveEpoch !== null,
    reached_95: best >= 0.95,
    best_test_acc: best,
    final_test_acc: records[records.length - 1]!.test_acc,
    epoch_90: epoch90,
    solve_epoch: plan.solveEpoch,
    epochs: plan.epochs,
    elapsed_ms: elapsed,
    time_to_solve_ms: plan.solveEpoch === null ? null : elapsed,
    secret: [2, 7, 13],
    history: records,
  };
  if (plan.status === 'diverged') run.message = 'loss became NaN at epoch 60';
  if (tracked) run.memory = memoryReport(plan.seed);
  return run;
}

const seeds = [42, 43, 44, 45, 46];

function plans(solveEpochs: (number | null)[], options: { msPerEpoch: number; maxEpochs: number; divergedSeed?: number }): RunPlan[] {
  return seeds.map((seed, i) => {
    const diverged = seed === options.divergedSeed;
    const solveEpoch = diverged ? null : solveEpochs[i]!;
    return {
      seed,
      solveEpoch,
      status: diverged ? 'diverged' : 'ok',
      epochs: diverged ? 60 : (solveEpoch ?? options.maxEpochs),
      plateau: 0.5,
      msPerEpoch: options.msPerEpoch + i * 0.1,
    };
  });
}

export const fixtureSpecInput = {
  id: 'exp-egd-vs-sgd',
  title: 'Egalitarian Gradient Descent vs SGD on 20-bit parity',
  question: 'Does EGD shorten the grokking plateau on 20-bit sparse parity?',
  hypothesis: 'If gradient singular values are set to 1 (EGD), all directions learn at equal speed and the plateau shortens.',
  task: 'parity' as const,
  base: { n_bits: 20, k: 3, hidden: 200, lr: 0.1, wd: 0.01, batch_size: 32, max_epochs: 200 },
  arms: [
    { name: 'sgd', baseline: true },
    { name: 'egd', overrides: { optimizer: 'egd' as const } },
    { name: 'egd-lr0.005', overrides: { optimizer: 'egd' as const, lr: 0.005 } },
  ],
  seeds: '42-46',
  metric: { name: 'solve_epoch' as const },
  secondary: ['epoch_90' as const, 'elapsed_ms' as const],
  time_limit: 60,
};

/** The fixture: a WIN for egd (p = 0.0079), a LOSS for egd-lr0.005 (2 of 5 unsolved, one diverged). */
export function buildFixtureResults(): ExperimentResults {
  const spec = parseSpec(fixtureSpecInput, 'fixture');
  const configs = expandArms(spec);
  const runsByArm: Record<string, RunResult[]> = {
    sgd: plans([40, 38, 44, 41, 37], { msPerEpoch: 2.8, maxEpochs: 200 }).map((plan) => runFrom(plan, false)),
    egd: plans([21, 19, 23, 20, 22], { msPerEpoch: 14.1, maxEpochs: 200 }).map((plan) => runFrom(plan, true)),
    'egd-lr0.005': plans([120, null, 135, null, 150], { msPerEpoch: 7.6, maxEpochs: 200, divergedSeed: 45 }).map((plan) => runFrom(plan, false)),
  };
  const arms: ArmRuns[] = configs.map((arm) => ({ name: arm.name, baseline: arm.baseline, config: arm.config, runs: runsByArm[arm.name]! }));
  const summaries: ArmSummary[] = [
    armSummary(arms[0]!, { median: 40, ci: [37, 44], comparison: null, class: 'BASELINE', reasons: ['baseline'] }),
    armSummary(arms[1]!, {
      median: 21,
      ci: [19, 23],
      comparison: { ratio: 0.525, ci: [0.45, 0.6], p: 0.007936507936507936, better: true },
      class: 'WIN',
      reasons: ['better'],
      better_on: ['solve_epoch'],
    }),
    armSummary(arms[2]!, {
      median: 150,
      ci: [120, null],
      comparison: { ratio: 3.75, ci: [3, null], p: 0.007936507936507936, better: false },
      class: 'LOSS',
      reasons: ['worse'],
      worse_on: ['solve_rate'],
    }),
  ];
  return {
    schema_version: 2,
    id: spec.id,
    spec,
    provenance: {
      spec_hash: 'sha256:5b0c',
      core_hash: 'sha256:c0de',
      package_version: '0.1.0',
      node_version: 'v20.19.0',
      git_commit: '03d1e8f',
      started_at: '2026-03-16T22:00:00.000Z',
      finished_at: '2026-03-16T22:00:09.000Z',
      wall_ms: 9000,
      workers: 2,
    },
    arms,
    summary: {
      primary: { metric: 'solve_epoch', direction: 'lower' },
      min_effect: 0.05,
      alpha: 0.05,
      arms: summaries,
      class: 'WIN',
      best_arm: 'egd',
      reasons: ['best_arm'],
      headline: 'egd: solve_epoch 0.53x baseline [0.45, 0.60], p=0.0079 (5/5 solved)',
    },
    results_hash: 'sha256:9f2a6c1e0b7d4a55e3c81f2d0a9b6e4c7d1f3a5b8c2e9d0f1a4b7c6e5d8f9a0b',
  };
}

type SummaryPlan = {
  median: number;
  ci: [number, number | null];
  comparison: { ratio: number; ci: [number, number | null]; p: number; better: boolean } | null;
  class: ArmSummary['class'];
  reasons: ArmSummary['reasons'];
  better_on?: ArmSummary['better_on'];
  worse_on?: ArmSummary['worse_on'];
};

function armSummary(arm: ArmRuns, plan: SummaryPlan): ArmSummary {
  const runs = arm.runs as RunResult[];
  const solved = runs.filter((run) => run.solved).length;
  const censored = runs.filter((run) => run.solve_epoch === null).length;
  return {
    name: arm.name,
    baseline: arm.baseline,
    runs: runs.length,
    solved,
    solve_rate: solved / runs.length,
    diverged: runs.filter((run) => run.status === 'diverged').length,
    timed_out: runs.filter((run) => run.status === 'timeout').length,
    crashed: 0,
    mean_best_test_acc: runs.reduce((sum, run) => sum + run.best_test_acc, 0) / runs.length,
    metrics: {
      solve_epoch: {
        metric: 'solve_epoch',
        n: runs.length,
        censored,
        median: plan.median,
        median_censored: false,
        mean: null,
        ci_low: plan.ci[0],
        ci_high: plan.ci[1],
      },
    },
    comparison: plan.comparison && {
      metric: 'solve_epoch',
      ratio: plan.comparison.ratio,
      ratio_ci_low: plan.comparison.ci[0],
      ratio_ci_high: plan.comparison.ci[1],
      p_value: plan.comparison.p,
      measure: 'ratio_of_medians',
      test: 'mann_whitney_permutation',
      better: plan.comparison.better,
    },
    verdicts: [],
    claim: { metric: 'solve_epoch', verdict: null, seeds: runs.length, conditions: [], changes: [], outcomes: [] },
    class: plan.class,
    reasons: plan.reasons,
    better_on: plan.better_on ?? [],
    worse_on: plan.worse_on ?? [],
  };
}
