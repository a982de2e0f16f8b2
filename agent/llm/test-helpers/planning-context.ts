// A small but real planning context, spec and results for planner tests (no files involved).
import { ledgerOf } from '../../experiments/ledger.js';
import { expandArms, parseSpec, type ExperimentResults, type SpecInput } from '../../../core/index.js';
import type { PlanningContext } from '../../planners/planner.js';
import type { SearchSpace } from '../../domain.js';

export const sampleSearchSpace: SearchSpace = {
  tasks: ['parity', 'sum'],
  parameters: {
    n_bits: [20, 30],
    k: [3, 5],
    hidden: [100, 200],
    lr: [0.03, 0.1, 0.3],
    wd: [0, 0.01],
    batch_size: [1, 32],
    optimizer: ['sgd', 'sign-sgd', 'egd'],
  },
  limits: { max_seeds: 10, max_time_limit: 300, max_epochs: 500, max_runs: 40 },
};

export function validSpecInput(id = 'exp-lr-sweep'): SpecInput {
  return {
    id,
    title: 'Learning rate on 20-bit parity',
    question: 'Does lr 0.3 solve 20-bit parity in fewer epochs than lr 0.1?',
    hypothesis: 'A larger step size reaches the secret subset sooner without diverging.',
    task: 'parity',
    base: { n_bits: 20, k: 3, hidden: 200 },
    arms: [
      { name: 'lr=0.1', baseline: true, overrides: { lr: 0.1 } },
      { name: 'lr=0.3', overrides: { lr: 0.3 } },
    ],
    seeds: '42-46',
    metric: { name: 'solve_epoch' },
    time_limit: 60,
  };
}

export function samplePlanningContext(overrides: Partial<PlanningContext> = {}): PlanningContext {
  return {
    todoText: '# TODO\n\n## Queue\n\n- [ ] lr-sweep: does a larger learning rate solve 20-bit parity sooner?\n',
    discoveriesText: '# Discoveries\n\n- SGD with hinge loss solves 20-bit parity (k=3) within 60 epochs ([exp-baseline](findings/exp-baseline.md)).\n',
    findings: [
      {
        id: 'exp-baseline',
        date: '2026-10-01',
        class: 'BASELINE',
        question: 'How fast does the default config solve 20-bit parity?',
        primary_metric: 'solve_epoch',
        headline: 'baseline solves in a median of 41 epochs (5/5 seeds)',
        path: 'findings/exp-baseline.md',
        results_path: 'results/exp-baseline/results.json',
        arms: { baseline: { solve_epoch: 41 } },
        best_arm: null,
      },
    ],
    searchSpace: sampleSearchSpace,
    searchSpaceText: 'tasks: [parity, sum]\nparameters:\n  lr: [0.03, 0.1, 0.3]\n',
    queue: [
      { id: 'lr-sweep', text: 'does a larger learning rate solve 20-bit parity sooner?', section: 'Queue', spec_path: null, motivated_by: 'exp-baseline' },
    ],
    existingSpecIds: ['exp-baseline'],
    lastResults: null,
    ledger: ledgerOf([]),
    coreHash: 'c'.repeat(64),
    today: '2026-10-02',
    ...overrides,
  };
}

/** Results of validSpecInput() as the runner would write them, with no runs (the planner reads the summary). */
export function sampleResults(): ExperimentResults {
  const spec = parseSpec(validSpecInput());
  const arms = expandArms(spec);
  return {
    schema_version: 2,
    id: spec.id,
    spec,
    provenance: {
      spec_hash: 'spec-hash',
      core_hash: 'core-hash',
      package_version: '0.1.0',
      node_version: 'v20.19.0',
      git_commit: null,
      started_at: '2026-10-02T01:00:00.000Z',
      finished_at: '2026-10-02T01:05:00.000Z',
      wall_ms: 300_000,
      workers: 2,
    },
    arms: arms.map((arm) => ({ name: arm.name, baseline: arm.baseline, config: arm.config, runs: [] })),
    summary: {
      primary: { metric: 'solve_epoch', direction: 'lower' },
      arms: arms.map((arm) => ({
        name: arm.name,
        baseline: arm.baseline,
        runs: 5,
        solved: 5,
        solve_rate: 1,
        diverged: 0,
        timed_out: 0,
        crashed: 0,
        mean_best_test_acc: 1,
        metrics: {},
        comparison: null,
        verdicts: [],
        claim: { metric: 'solve_epoch' as const, verdict: null, seeds: 5, conditions: [], changes: [], outcomes: [] },
        class: arm.baseline ? ('BASELINE' as const) : ('WIN' as const),
        reasons: arm.baseline ? ['baseline' as const] : ['better' as const],
        better_on: arm.baseline ? [] : ['solve_epoch' as const],
        worse_on: [],
      })),
      min_effect: 0.05,
      alpha: 0.05,
      reasons: ['best_arm'],
      class: 'WIN',
      best_arm: 'lr=0.3',
      headline: 'lr=0.3 solves in 0.6x the epochs of lr=0.1 (p = 0.008)',
    },
    results_hash: 'results-hash',
  };
}
