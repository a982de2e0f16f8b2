// The built-in planner: rules, no network. What it runs, in this order (the first rule that yields wins):
//   1. The top open TODO item links a spec (experiments/<id>.md): run it as written.
//   2. A workspace with no findings yet: the canonical baseline (answering the queue's baseline item if any).
//   3. The first open item whose text names a known question (weight decay, sign SGD, GrokFast, logistic loss,
//      EGD, sparse sum, batch size, update order / ARD, forward-forward): that recipe's spec, answering the item.
//   4. Evidence from the newest results: WIN -> push the changed parameter one step further in the search
//      space (at the end of a list: the next problem size, n then k); INCONCLUSIVE -> twice the seeds;
//      LOSS -> the other direction, once; INVALID -> again with twice the time limit.
//   5. A one-factor change around the best known configuration (the newest WIN's arm, else the baseline).
//   6. Nothing left that was not tried (spec ids already in experiments/): idle.
// interpret() writes the templated narrative from the numbers, rule-4 follow-ups for this result, and a
// discovery line for a WIN or a LOSS.
import { expandArms, parseTrainConfig, type ExperimentResults, type TrainConfig } from '../../core/index.js';
import { templateNarrative } from '../findings/narrative.js';
import { uniqueId } from '../workspace/ids.js';
import { followUpsFromResults, oneFactorAround, type FollowUpDraft } from './builtin-evidence.js';
import { isBaselineItem, recipeFor } from './builtin-recipes.js';
import { buildSpec, changedKeys, type SpecDraft } from './builtin-spec.js';
import type { Discovery, Interpretation, Plan, Planner, PlanningContext, SearchSpace } from './planner.js';

type Rule = (context: PlanningContext) => Plan | null;

const rules: Rule[] = [linkedItem, baselineFirst, recipeItem, evidence, oneFactor];

export function createBuiltinPlanner(): Planner {
  return {
    name: 'builtin',
    plan: async (context) => {
      for (const rule of rules) {
        const plan = rule(context);
        if (plan) return plan;
      }
      return { kind: 'idle', reason: 'every rule is exhausted: no linked or recognised TODO item, and every follow-up of the evidence was already tried' };
    },
    interpret: async (context, results) => interpretResults(context, results),
    usage: () => ({ input_tokens: 0, output_tokens: 0, cost_usd: 0, requests: 0 }),
  };
}

function linkedItem(context: PlanningContext): Plan | null {
  const item = context.queue.find((candidate) => candidate.spec_path !== null);
  if (!item || context.queue.indexOf(item) !== 0) return null;
  return { kind: 'linked', item_id: item.id, spec_path: item.spec_path!, rationale: `the top open TODO item (${item.id}) links ${item.spec_path}` };
}

function baselineFirst(context: PlanningContext): Plan | null {
  if (context.findings.length > 0) return null;
  const item = context.queue.find(isBaselineItem) ?? null;
  const draft = { ...recipeFor({ id: 'baseline', text: 'canonical baseline', section: '', spec_path: null, motivated_by: null })!, id: freeId(item?.id ?? 'baseline-canonical', context) };
  return specPlan(draft, item?.id ?? null, 'the workspace knows nothing yet: establish the canonical baseline first', context);
}

function recipeItem(context: PlanningContext): Plan | null {
  for (const item of context.queue) {
    if (item.spec_path) return { kind: 'linked', item_id: item.id, spec_path: item.spec_path, rationale: `the first runnable TODO item (${item.id}) links ${item.spec_path}` };
    const recipe = recipeFor(item);
    if (recipe) return specPlan({ ...recipe, id: freeId(item.id, context) }, item.id, `the first runnable TODO item (${item.id}) asks: ${item.text}`, context);
  }
  return null;
}

function evidence(context: PlanningContext): Plan | null {
  if (!context.lastResults) return null;
  const [draft] = followUpsFromResults(context.lastResults, context.searchSpace, new Set(context.existingSpecIds));
  return draft ? specPlan(draft, null, draft.text, context) : null;
}

function oneFactor(context: PlanningContext): Plan | null {
  const [draft] = oneFactorAround(bestKnownConfig(context.lastResults), context.searchSpace, new Set(context.existingSpecIds), context.lastResults?.id ?? null, 1);
  return draft ? specPlan(draft, null, draft.text, context) : null;
}

/** The newest result's winning arm, else its baseline, else the canonical configuration. */
function bestKnownConfig(results: ExperimentResults | null): TrainConfig {
  if (!results) return parseTrainConfig({});
  const arms = expandArms(results.spec);
  const winner = results.summary.class === 'WIN' ? arms.find((arm) => arm.name === results.summary.best_arm) : undefined;
  return (winner ?? arms.find((arm) => arm.baseline)!).config;
}

function specPlan(draft: SpecDraft, itemId: string | null, rationale: string, context: PlanningContext): Plan {
  const { spec, body } = buildSpec(withinLimits(draft, context.searchSpace));
  return { kind: 'spec', spec, body, item_id: itemId, rationale };
}

/** The search space's limits hold for the built-in planner too: seconds per run and seeds are capped. */
function withinLimits<T extends SpecDraft>(draft: T, space: SearchSpace): T {
  const seeds = draft.seeds && draft.seeds.length > space.limits.max_seeds ? draft.seeds.slice(0, space.limits.max_seeds) : draft.seeds;
  const timeLimit = Math.min(draft.timeLimit ?? buildSpec(draft).spec.time_limit ?? space.limits.max_time_limit, space.limits.max_time_limit);
  return { ...draft, ...(seeds ? { seeds } : {}), timeLimit };
}

function freeId(base: string, context: PlanningContext): string {
  return uniqueId(base, new Set(context.existingSpecIds));
}

function interpretResults(context: PlanningContext, results: ExperimentResults): Interpretation {
  const taken = new Set([...context.existingSpecIds, results.id]);
  const followUps: FollowUpDraft[] = followUpsFromResults(results, context.searchSpace, taken).slice(0, 2);
  return {
    narrative: templateNarrative(results),
    follow_ups: followUps.map((draft) => ({ text: draft.text, ...buildSpec(withinLimits(draft, context.searchSpace)), motivated_by: results.id })),
    discoveries: discoveriesFrom(results),
  };
}

function discoveriesFrom(results: ExperimentResults): Discovery[] {
  const { summary } = results;
  if (summary.class !== 'WIN' && summary.class !== 'LOSS') return [];
  const arms = expandArms(results.spec);
  const baseline = arms.find((arm) => arm.baseline)!;
  const arm = arms.find((candidate) => candidate.name === summary.best_arm);
  if (!arm) return [];
  const keys = changedKeys(arm.config, baseline.config);
  const config = baseline.config;
  const where = `${config.task} n=${config.n_bits} k=${config.k}`;
  const text = summary.class === 'WIN' ? `${summary.headline} (${where})` : `Did not work: ${summary.headline} (${where})`;
  return [{ topic: topicFor(keys), text }];
}

function topicFor(keys: (keyof TrainConfig)[]): string {
  if (keys.includes('optimizer') || keys.includes('grokfast_alpha') || keys.includes('grokfast_lambda')) return 'Optimizers';
  if (keys.includes('loss')) return 'Loss functions';
  if (keys.includes('order') || keys.includes('algorithm')) return 'Update order and memory';
  if (keys.includes('n_bits') || keys.includes('k') || keys.includes('curriculum')) return 'Problem size';
  return 'Hyperparameters';
}
