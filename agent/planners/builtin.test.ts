// The built-in planner's rules on constructed contexts and results judged by the real summarizer: what it runs
// first, the recipes for plain-English TODO items, the follow-ups each class of evidence leads to, and a
// simulated run of several cycles that never repeats an experiment.
import { ledgerOf } from '../experiments/ledger.js';
import { describe, expect, it } from 'vitest';
import {
  expandArms,
  parseSpec,
  summarizeExperiment,
  type ArmRuns,
  type ExperimentResults,
  type RunResult,
  type Spec,
  type SpecInput,
} from '../../core/index.js';
import { withHeadline } from '../findings/verdict-text.js';
import { buildFixtureResults } from '../findings/test-helpers/fixture.js';
import { readFileSync } from 'node:fs';
import { parseSearchSpace } from '../workspace/search-space.js';

const defaultSearchSpaceText = readFileSync(new URL('../../templates/experiments/search-space.yaml', import.meta.url), 'utf8');
import { createBuiltinPlanner } from './builtin.js';
import { runKeys } from './builtin-select.js';
import { checkSpecInSearchSpace } from './claude-search-space.js';
import type { Plan, PlanningContext } from './planner.js';
import type { FindingSummary, QueueItem } from '../domain.js';

const searchSpace = parseSearchSpace(defaultSearchSpaceText);
const planner = createBuiltinPlanner();

function context(overrides: Partial<PlanningContext> = {}): PlanningContext {
  return {
    todoText: '',
    discoveriesText: '',
    findings: [],
    searchSpace,
    searchSpaceText: defaultSearchSpaceText,
    queue: [],
    existingSpecIds: [],
    lastResults: null,
    ledger: ledgerOf([]),
    coreHash: 'c'.repeat(64),
    today: '2026-11-22',
    ...overrides,
  };
}

function item(id: string, text: string, spec_path: string | null = null): QueueItem {
  return { id, text, section: 'Queue', spec_path, motivated_by: null };
}

function findingOf(results: ExperimentResults): FindingSummary {
  return {
    id: results.id,
    date: '2026-11-22',
    class: results.summary.class,
    question: results.spec.question,
    primary_metric: results.spec.metric.name,
    headline: results.summary.headline,
    path: `findings/${results.id}.md`,
    results_path: `results/${results.id}/results.json`,
    arms: {},
    best_arm: results.summary.best_arm,
  };
}

const baselineFinding: FindingSummary = { ...findingOf(buildFixtureResults()), id: 'canonical-sgd-baseline', class: 'BASELINE' };

/** How an arm does: the epoch each seed solves at (null: never within max_epochs). */
type Outcome = (arm: { name: string; baseline: boolean }, seed: number) => number | null;

/** Runs that solve at 40 (baseline) and 20 (every other arm), 5 of 5: a clear WIN. */
const winOutcome: Outcome = (arm, seed) => (arm.baseline ? 40 : 20) + (seed % 5);
/** Every other arm never solves: a clear LOSS. */
const lossOutcome: Outcome = (arm, seed) => (arm.baseline ? 40 + (seed % 5) : null);
/** Interleaved epochs: no difference either way. */
const sameOutcome: Outcome = (arm, seed) => 40 + ((seed * 7 + (arm.baseline ? 0 : 3)) % 9);
const baselineOutcome: Outcome = (_arm, seed) => 38 + (seed % 5);

/** What the runner would write for `spec` if the arms trained as `outcome` says, judged by summarizeExperiment. */
function fabricate(input: SpecInput | Spec, outcome: Outcome): ExperimentResults {
  const spec = parseSpec(input, 'fabricated');
  const arms: ArmRuns[] = expandArms(spec).map((arm) => ({
    name: arm.name,
    baseline: arm.baseline,
    config: arm.config,
    runs: spec.seeds.map((seed): RunResult => {
      const solveEpoch = outcome(arm, seed);
      const epochs = solveEpoch ?? arm.config.max_epochs;
      return {
        seed,
        status: 'ok',
        solved: solveEpoch !== null,
        reached_95: solveEpoch !== null,
        best_test_acc: solveEpoch !== null ? 1 : 0.62,
        final_test_acc: solveEpoch !== null ? 1 : 0.6,
        epoch_90: solveEpoch !== null ? solveEpoch - 3 : null,
        solve_epoch: solveEpoch,
        epochs,
        elapsed_ms: epochs * 3,
        time_to_solve_ms: solveEpoch !== null ? epochs * 3 : null,
        secret: [1, 5, 9],
        history: [],
      };
    }),
  }));
  const provenance = {
    spec_hash: 'sha256:0',
    core_hash: 'sha256:0',
    package_version: '0.1.0',
    node_version: 'v20',
    git_commit: null,
    started_at: '',
    finished_at: '',
    wall_ms: 1,
    workers: 1,
  };
  return { schema_version: 2, id: spec.id, spec, provenance, arms, summary: withHeadline(summarizeExperiment(spec, arms)), results_hash: 'sha256:test' };
}

function twoArms(id: string, key: string, from: number | string, to: number | string, extra: Partial<SpecInput> = {}): SpecInput {
  return {
    id,
    title: id,
    question: 'q',
    hypothesis: 'h',
    task: 'parity',
    arms: [
      { name: `${key}=${from}`, baseline: true },
      { name: `${key}=${to}`, overrides: { [key]: to } },
    ],
    seeds: '42-46',
    metric: { name: 'solve_epoch' },
    time_limit: 60,
    ...extra,
  };
}

function specOf(plan: Plan): { input: SpecInput; spec: Spec; body: string } {
  if (plan.kind !== 'spec') throw new Error(`expected a spec plan, got ${JSON.stringify(plan)}`);
  return { input: plan.spec, spec: parseSpec(plan.spec, 'plan'), body: plan.body };
}

function expectInsideSearchSpace(input: SpecInput, spec: Spec): void {
  expect(checkSpecInSearchSpace(input as Record<string, unknown>, spec, searchSpace)).toEqual([]);
}

/** Arm name -> overrides of a parsed spec (overrides as written: the keys an arm changes). */
function armChanges(spec: Spec): Record<string, unknown>[] {
  return spec.arms.map((arm) => arm.overrides);
}

describe('the built-in planner: what comes first', () => {
  it('establishes the canonical baseline in a workspace that knows nothing', async () => {
    const plan = await planner.plan(context({ queue: [item('try-sign', 'Try sign SGD')] }));
    const { input, spec } = specOf(plan);
    expect(plan.kind === 'spec' && plan.item_id).toBeNull();
    expect(spec.id).toBe('baseline-canonical');
    expect(spec.arms).toEqual([{ name: 'sgd', baseline: true, overrides: {} }]);
    expect(spec.metric.name).toBe('solve_epoch');
    expect(spec.secondary).toEqual(['epoch_90', 'time_to_solve_ms']);
    expect(spec.seeds).toEqual([42, 43, 44, 45, 46]);
    expect(expandArms(spec)[0]!.config).toMatchObject({ n_bits: 20, k: 3, hidden: 200, lr: 0.1, wd: 0.01, batch_size: 32, loss: 'hinge', optimizer: 'sgd' });
    expectInsideSearchSpace(input, spec);
  });

  it('answers the queue baseline item with the baseline, but not an item that asks for a method against the baseline', async () => {
    const queue = [
      item('egd-vs-baseline', 'EGD vs the SGD baseline'),
      item('canonical-sgd-baseline', 'Canonical SGD baseline: 20-bit parity, k=3, hidden 200'),
    ];
    const plan = await planner.plan(context({ queue }));
    expect(plan.kind === 'spec' && plan.item_id).toBe('canonical-sgd-baseline');
    expect(specOf(plan).spec.arms).toHaveLength(1);
  });

  it('runs the top open item as written when it links a spec, even before a baseline', async () => {
    const plan = await planner.plan(context({ queue: [item('mine', 'my experiment', 'experiments/mine.md')] }));
    expect(plan).toEqual({ kind: 'linked', item_id: 'mine', spec_path: 'experiments/mine.md', rationale: expect.stringContaining('experiments/mine.md') });
  });

  it('turns "Try sign SGD" into a sign-SGD spec that answers the item, inside the search space', async () => {
    const plan = await planner.plan(context({ findings: [baselineFinding], queue: [item('try-sign', 'Try sign SGD')] }));
    const { input, spec, body } = specOf(plan);
    expect(plan.kind === 'spec' && plan.item_id).toBe('try-sign');
    expect(spec.id).toBe('try-sign');
    expect(armChanges(spec)).toEqual([{}, { optimizer: 'sign-sgd' }]); // one factor: the lr ladder is the planner's, not bundled in
    expect(body).toMatch(/## Question[\s\S]*## Hypothesis[\s\S]*## Rationale/);
    expectInsideSearchSpace(input, spec);
  });

  it('skips items it cannot read, takes a free id, and moves a recipe to the size the item names', async () => {
    const queue = [item('think', 'Think about the meaning of grokking'), item('egd-k5', 'What happens with EGD on k=5?')];
    const plan = await planner.plan(context({ findings: [baselineFinding], queue, existingSpecIds: ['egd-k5'] }));
    const { input, spec } = specOf(plan);
    expect(plan.kind === 'spec' && plan.item_id).toBe('egd-k5');
    expect(spec.id).toBe('egd-k5-2');
    const configs = expandArms(spec).map((arm) => arm.config);
    expect(configs.map((config) => [config.optimizer, config.k, config.max_epochs])).toEqual([
      ['sgd', 5, 500],
      ['egd', 5, 500],
    ]);
    expect(spec.time_limit).toBe(240);
    expectInsideSearchSpace(input, spec);
  });
});

describe('the built-in planner: follow-ups from the evidence', () => {
  it('pushes a winning learning rate one step further, citing the finding and its numbers', async () => {
    const results = fabricate(twoArms('lr-up', 'lr', 0.1, 0.2), winOutcome);
    expect(results.summary.class).toBe('WIN');
    const plan = await planner.plan(context({ findings: [baselineFinding, findingOf(results)], lastResults: results }));
    const { input, spec, body } = specOf(plan);
    expect(expandArms(spec).map((arm) => arm.config.lr)).toEqual([0.2, 0.5]);
    expect(spec.motivated_by).toBe('lr-up');
    expect(body).toContain('lr-up (WIN)');
    expect(body).toContain(results.summary.headline);
    expectInsideSearchSpace(input, spec);
  });

  it('tries a winning method one problem size up (n, then k) when its change cannot be pushed further', async () => {
    const results = fabricate(twoArms('egd-wins', 'optimizer', 'sgd', 'egd'), winOutcome);
    const plan = await planner.plan(context({ findings: [findingOf(results)], lastResults: results }));
    const { input, spec } = specOf(plan);
    const configs = expandArms(spec).map((arm) => arm.config);
    expect(configs.map((config) => [config.optimizer, config.n_bits, config.k, config.max_epochs])).toEqual([
      ['sgd', 30, 3, 500],
      ['egd', 30, 3, 500],
    ]);
    expectInsideSearchSpace(input, spec);

    const interpretation = await planner.interpret(context({ findings: [] }), results);
    const sizes = interpretation.follow_ups.map((followUp) =>
      expandArms(parseSpec(followUp.spec!, 'follow-up')).map((arm) => `${arm.config.n_bits}/${arm.config.k}`),
    );
    expect(sizes).toEqual([
      ['30/3', '30/3'],
      ['20/4', '20/4'],
    ]);
  });

  it('re-runs an inconclusive experiment with twice the seeds, and moves on at the seed limit', async () => {
    const results = fabricate(twoArms('maybe', 'wd', 0.01, 0.1), sameOutcome);
    expect(results.summary.class).toBe('INCONCLUSIVE');
    const { spec } = specOf(await planner.plan(context({ findings: [findingOf(results)], lastResults: results })));
    expect(spec.id).toBe('maybe-seeds10');
    expect(spec.seeds).toEqual([42, 43, 44, 45, 46, 47, 48, 49, 50, 51]);
    expect(spec.motivated_by).toBe('maybe');

    const atLimit = fabricate(twoArms('maybe-seeds20', 'wd', 0.01, 0.1, { seeds: '42-61' }), sameOutcome);
    expect(atLimit.summary.class).toBe('INCONCLUSIVE');
    const next = specOf(await planner.plan(context({ findings: [findingOf(atLimit)], lastResults: atLimit })));
    expect(next.spec.seeds.length).toBeLessThanOrEqual(20);
    expect(next.spec.id).not.toMatch(/seeds\d+$/);
  });

  it('tries the other direction after a loss, and not again after that one loses too', async () => {
    const lost = fabricate(twoArms('lr-up', 'lr', 0.1, 0.2), lossOutcome);
    expect(lost.summary.class).toBe('LOSS');
    const { input, spec } = specOf(await planner.plan(context({ findings: [findingOf(lost)], lastResults: lost })));
    expect(expandArms(spec).map((arm) => arm.config.lr)).toEqual([0.1, 0.05]);
    expect(spec.motivated_by).toBe('lr-up');

    const lostAgain = fabricate(input, lossOutcome);
    expect(lostAgain.summary.class).toBe('LOSS');
    const findings = [findingOf(lost), findingOf(lostAgain)];
    const interpretation = await planner.interpret(context({ findings, existingSpecIds: ['lr-up'] }), lostAgain);
    expect(interpretation.follow_ups).toEqual([]);
    expect(interpretation.discoveries[0]!.text).toMatch(/ hurts against .*not yet confirmed on fresh seeds\)$/);
  });

  it('re-runs an INVALID experiment once with twice the time limit, and not past the limit', async () => {
    const invalid = { ...fabricate(twoArms('slow', 'hidden', 200, 400), winOutcome) };
    invalid.summary = { ...invalid.summary, class: 'INVALID', headline: 'INVALID: 4 of 10 runs timed out' };
    const { spec } = specOf(await planner.plan(context({ findings: [findingOf(invalid)], lastResults: invalid })));
    expect([spec.id, spec.time_limit]).toEqual(['slow-retry', 120]);

    const atLimit = { ...invalid, spec: { ...invalid.spec, time_limit: 300 } };
    const interpretation = await planner.interpret(context({ findings: [findingOf(invalid)] }), atLimit);
    expect(interpretation.follow_ups).toEqual([]);
    expect(interpretation.discoveries).toEqual([]);
  });

  it('never proposes runs the last experiment already made', async () => {
    const sweep = fabricate(
      {
        ...twoArms('lr-sweep', 'lr', 0.1, 0.2),
        arms: [
          { name: 'lr=0.1', baseline: true },
          { name: 'lr=0.2', overrides: { lr: 0.2 } },
          { name: 'lr=0.5', overrides: { lr: 0.5 } },
        ],
      },
      (arm, seed) => (arm.baseline ? 40 : arm.name === 'lr=0.2' ? 20 : 30) + (seed % 5),
    );
    expect([sweep.summary.class, sweep.summary.best_arm]).toEqual(['WIN', 'lr=0.2']);
    const ran = new Set(runKeys(sweep.spec));
    const taken: string[] = [];
    for (let i = 0; i < 40; i++) {
      const plan = await planner.plan(context({ findings: [findingOf(sweep)], lastResults: sweep, existingSpecIds: [...taken] }));
      if (plan.kind !== 'spec') break;
      const { spec } = specOf(plan);
      expect(runKeys(spec).every((run) => ran.has(run))).toBe(false);
      taken.push(spec.id);
    }
    // lr=0.5 (one step past the winner) already ran in the sweep: the first proposal is the next size up.
    expect(taken[0]).toBe('lr-0-2-at-n-bits-30');
  });

  it('goes idle when every rule is exhausted, with every proposal valid, new and inside the search space', async () => {
    const taken: string[] = [];
    let plan = await planner.plan(context({ findings: [baselineFinding] }));
    for (let i = 0; i < 100 && plan.kind === 'spec'; i++) {
      const { input, spec } = specOf(plan);
      expect(taken).not.toContain(spec.id);
      expectInsideSearchSpace(input, spec);
      taken.push(spec.id);
      plan = await planner.plan(context({ findings: [baselineFinding], existingSpecIds: [...taken] }));
    }
    expect(plan).toEqual({ kind: 'idle', reason: expect.stringContaining('exhausted') });
    expect(taken.length).toBeGreaterThan(10);
  });
});

describe('the built-in planner: interpret()', () => {
  it('writes a narrative with the winning arm and its ratio, follow-ups motivated by the results, and a discovery', async () => {
    const results = buildFixtureResults();
    const interpretation = await planner.interpret(context(), results);
    const worked = interpretation.narrative.worked.join(' ');
    expect(worked).toContain('egd');
    expect(worked).toContain('0.53');
    expect(interpretation.follow_ups.length).toBeGreaterThanOrEqual(1);
    for (const followUp of interpretation.follow_ups) {
      expect(followUp.motivated_by).toBe(results.id);
      expect(followUp.spec?.motivated_by).toBe(results.id);
      expect(followUp.body).toContain(results.summary.headline);
    }
    expect(interpretation.discoveries).toEqual([
      {
        topic: 'Optimizers',
        text: expect.stringMatching(/^egd helps against sgd: .*\(5 seeds; the canonical configuration; not yet confirmed on fresh seeds\)$/),
      },
    ]);
  });

  it('adds no discovery for an inconclusive result', async () => {
    const results = fabricate(twoArms('maybe', 'wd', 0.01, 0.1), sameOutcome);
    const interpretation = await planner.interpret(context(), results);
    expect(interpretation.discoveries).toEqual([]);
    expect(interpretation.follow_ups.map((followUp) => followUp.spec?.id)).toEqual(['maybe-seeds10']);
  });
});

describe('the built-in planner over several cycles', () => {
  it('plans, runs, interprets and queues follow-ups for 5 cycles without repeating an experiment', async () => {
    const outcomes: Outcome[] = [baselineOutcome, winOutcome, lossOutcome, sameOutcome, winOutcome];
    const specs = new Map<string, SpecInput>();
    let queue: QueueItem[] = [];
    const findings: FindingSummary[] = [];
    let lastResults: ExperimentResults | null = null;
    const experiments: string[] = [];
    const classes: string[] = [];
    for (const outcome of outcomes) {
      const now = context({ findings: [...findings], queue: [...queue], existingSpecIds: [...specs.keys()], lastResults });
      const plan = await planner.plan(now);
      if (plan.kind === 'idle') throw new Error(`idle after ${findings.length} cycles: ${plan.reason}`);
      const input = plan.kind === 'linked' ? specs.get(plan.spec_path.replace(/^experiments\/|\.md$/g, ''))! : plan.spec;
      if (plan.kind === 'spec') specs.set(String(plan.spec.id), plan.spec);
      queue = queue.filter((open) => open.id !== plan.item_id);

      const results = fabricate(input, outcome);
      const experiment = runKeys(results.spec).sort().join('\n');
      expect(experiments).not.toContain(experiment);
      experiments.push(experiment);
      classes.push(results.summary.class);

      const interpretation = await planner.interpret(now, results);
      findings.push(findingOf(results));
      lastResults = results;
      for (const followUp of interpretation.follow_ups) {
        const spec = parseSpec(followUp.spec!, 'follow-up');
        expect(specs.has(spec.id)).toBe(false);
        expect(spec.motivated_by).toBe(results.id);
        expect(followUp.body).toContain(`Evidence: ${results.id} (${results.summary.class}): ${results.summary.headline}`);
        expectInsideSearchSpace(followUp.spec!, spec);
        specs.set(spec.id, followUp.spec!);
        queue.push({ id: spec.id, text: followUp.text, section: 'Follow-ups', spec_path: `experiments/${spec.id}.md`, motivated_by: followUp.motivated_by });
      }
    }
    expect(classes).toEqual(['BASELINE', 'WIN', 'LOSS', 'INCONCLUSIVE', 'WIN']);
    expect(new Set(specs.keys()).size).toBe(specs.size);
  });
});
