// The built-in planner's rules on constructed contexts and results: what it runs first, the recipes for
// plain-English TODO items, and the follow-ups each class of evidence leads to.
import { describe, expect, it } from 'vitest';
import { parseSpec, type ExperimentClass, type ExperimentResults, type SpecInput } from '../../core/index.js';
import { buildFixtureResults } from '../findings/test-helpers/fixture.js';
import { defaultSearchSpaceText, parseSearchSpace } from '../workspace/search-space.js';
import { createBuiltinPlanner } from './builtin.js';
import { checkSpecInSearchSpace } from './claude-search-space.js';
import type { Plan, PlanningContext, QueueItem } from './planner.js';

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
    today: '2026-11-22',
    ...overrides,
  };
}

function item(id: string, text: string, spec_path: string | null = null): QueueItem {
  return { id, text, section: 'Queue', spec_path, motivated_by: null };
}

const someFinding = {
  id: 'older',
  date: '2026-11-01',
  class: 'BASELINE' as const,
  question: 'q',
  primary_metric: 'solve_epoch',
  headline: 'h',
  path: 'findings/older.md',
  results_path: 'results/older/results.json',
  arms: {},
  best_arm: null,
};

/** Results of a two-arm spec judged as `cls`, best arm `arm` (the planner reads the spec and the summary). */
function judged(id: string, arms: SpecInput['arms'], cls: ExperimentClass, bestArm: string | null, seeds = '42-46'): ExperimentResults {
  const spec = parseSpec({ id, title: id, question: 'q', hypothesis: 'h', task: 'parity', arms, seeds, metric: { name: 'solve_epoch' } });
  return {
    schema_version: 1,
    id,
    spec,
    provenance: {} as ExperimentResults['provenance'],
    arms: [],
    summary: { primary: { metric: 'solve_epoch', direction: 'lower' }, arms: [], class: cls, best_arm: bestArm, headline: `${bestArm} ${cls}` },
    results_hash: 'x',
  };
}

function specOf(plan: Plan) {
  if (plan.kind !== 'spec') throw new Error(`expected a spec plan, got ${plan.kind}`);
  return parseSpec(plan.spec, 'plan');
}

describe('the built-in planner', () => {
  it('establishes the canonical baseline in a workspace that knows nothing, answering the baseline item', async () => {
    const plan = await planner.plan(context({ queue: [item('sign', 'Try sign SGD'), item('canonical-sgd-baseline', 'Canonical SGD baseline')] }));
    const spec = specOf(plan);
    expect(plan.kind === 'spec' && plan.item_id).toBe('canonical-sgd-baseline');
    expect(spec.arms).toHaveLength(1);
    expect(spec.seeds).toEqual([42, 43, 44, 45, 46]);
    expect(checkSpecInSearchSpace(plan.kind === 'spec' ? (plan.spec as Record<string, unknown>) : {}, spec, searchSpace)).toEqual([]);
  });

  it('runs the top open item as written when it links a spec', async () => {
    const plan = await planner.plan(context({ findings: [someFinding], queue: [item('mine', 'my experiment', 'experiments/mine.md')] }));
    expect(plan).toEqual({ kind: 'linked', item_id: 'mine', spec_path: 'experiments/mine.md', rationale: expect.stringContaining('mine') });
  });

  it('turns a plain-English item into the matching recipe, inside the search space', async () => {
    const plan = await planner.plan(context({ findings: [someFinding], queue: [item('try-sign', 'Try sign SGD on the canonical problem')] }));
    const spec = specOf(plan);
    expect(plan.kind === 'spec' && plan.item_id).toBe('try-sign');
    expect(spec.id).toBe('try-sign');
    expect(spec.arms.map((arm) => arm.overrides.optimizer ?? 'sgd')).toEqual(['sgd', 'sign-sgd']);
    expect(checkSpecInSearchSpace(plan.kind === 'spec' ? (plan.spec as Record<string, unknown>) : {}, spec, searchSpace)).toEqual([]);
  });

  it('pushes a winning parameter one step further along the search space', async () => {
    const results = judged('lr-up', [{ name: 'lr=0.1', baseline: true }, { name: 'lr=0.2', overrides: { lr: 0.2 } }], 'WIN', 'lr=0.2');
    const spec = specOf(await planner.plan(context({ findings: [someFinding], lastResults: results })));
    expect(spec.arms.map((arm) => arm.overrides.lr)).toEqual([undefined, 0.5]);
    expect(spec.base.lr).toBe(0.2);
    expect(spec.motivated_by).toBe('lr-up');
  });

  it('tries a winner at the next problem size when its change cannot be pushed further', async () => {
    const results = judged('egd-wins', [{ name: 'sgd', baseline: true }, { name: 'egd', overrides: { optimizer: 'egd' } }], 'WIN', 'egd');
    const spec = specOf(await planner.plan(context({ findings: [someFinding], lastResults: results })));
    expect(spec.base.n_bits).toBe(30);
    expect(spec.arms[1]!.overrides.optimizer).toBe('egd');
  });

  it('re-runs an inconclusive experiment with twice the seeds', async () => {
    const results = judged('maybe', [{ name: 'sgd', baseline: true }, { name: 'wd', overrides: { wd: 0.1 } }], 'INCONCLUSIVE', 'wd');
    const spec = specOf(await planner.plan(context({ findings: [someFinding], lastResults: results })));
    expect(spec.seeds).toHaveLength(10);
    expect(spec.id).toBe('maybe-seeds10');
  });

  it('tries the other direction after a loss, and only once', async () => {
    const results = judged('lr-up', [{ name: 'lr=0.1', baseline: true }, { name: 'lr=0.2', overrides: { lr: 0.2 } }], 'LOSS', 'lr=0.2');
    const spec = specOf(await planner.plan(context({ findings: [someFinding], lastResults: results })));
    expect(spec.arms[1]!.overrides.lr).toBe(0.05);
    const again = judged(spec.id, [{ name: 'lr=0.1', baseline: true }, { name: 'lr=0.05', overrides: { lr: 0.05 } }], 'LOSS', 'lr=0.05');
    const next = specOf(await planner.plan(context({ findings: [someFinding], lastResults: again, existingSpecIds: [spec.id] })));
    expect(next.id).not.toContain('other-direction');
  });

  it('never proposes a spec id that exists, and goes idle when every rule is exhausted', async () => {
    const taken: string[] = [];
    let plan = await planner.plan(context({ findings: [someFinding] }));
    for (let i = 0; i < 100 && plan.kind === 'spec'; i++) {
      expect(taken).not.toContain(String(plan.spec.id));
      taken.push(String(plan.spec.id));
      plan = await planner.plan(context({ findings: [someFinding], existingSpecIds: [...taken] }));
    }
    expect(plan.kind).toBe('idle');
    expect(taken.length).toBeGreaterThan(5);
  });

  it('interprets results with numbers from the results, follow-ups citing them, and a discovery for a win', async () => {
    const results = buildFixtureResults();
    const interpretation = await planner.interpret(context(), results);
    const best = results.summary.best_arm!;
    expect(interpretation.narrative.worked.join(' ')).toContain(best);
    for (const followUp of interpretation.follow_ups) expect(followUp.motivated_by).toBe(results.id);
    if (results.summary.class === 'WIN') expect(interpretation.discoveries[0]!.text).toContain(results.summary.headline);
  });
});
