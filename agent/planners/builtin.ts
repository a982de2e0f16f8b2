// The built-in planner: explicit rules, no network, no disk (everything comes in the PlanningContext).
// plan() asks these rules in order; the first that yields a plan wins:
//   1. linkedTopItem       The top open TODO item links a spec (experiments/<id>.md): run it as written.
//   2. canonicalBaseline   No findings at all: the canonical baseline (answering the queue's baseline item, if any).
//   3. firstRunnableItem   The first open item that links a spec, or whose text names a known question (weight
//                          decay, sign SGD, GrokFast, logistic loss, EGD, sparse sum, modular addition, batch size,
//                          update order / ARD, forward-forward, curriculum, a problem size): that spec, answering it.
//   4. followEvidence      The newest results: WIN -> push the changed parameter one step further in the search
//                          space, then the winner one problem size up; INCONCLUSIVE -> twice the seeds; LOSS -> the
//                          other direction, once; INVALID -> twice the time limit, once (builtin-evidence.ts).
//   5. oneFactorAroundBest A one-factor change around the best known configuration (the newest WIN's winning arm,
//                          else the newest baseline, else the canonical configuration), first not yet tried.
//   6. (none yields)       idle.
// Generated specs never reuse an id, never repeat the runs of the last experiment, stay inside the search space.
// interpret() writes the templated narrative from the numbers, rule-4 follow-ups for these results, and a
// discovery line for a WIN or a LOSS.
import { parseTrainConfig, type ExperimentResults, type TrainConfig } from '../../core/index.js';
import { templateNarrative } from '../findings/narrative.js';
import { uniqueId } from '../workspace/ids.js';
import { evidenceOf, followUpCandidates, oneFactorCandidates, type FollowUpDraft } from './builtin-evidence.js';
import { draftFromText, isBaselineItem, type TextDraft } from './text-draft.js';
import { finishDraft, runKeys, selectDrafts } from './builtin-select.js';
import { canonicalBaselineDraft, changedKeys } from './builtin-spec.js';
import type { Plan, Planner, PlanningContext } from './planner.js';
import type { Discovery, Interpretation, QueueItem } from '../domain.js';
import { discoveryText } from '../findings/verdict-text.js';

type Rule = (context: PlanningContext) => Plan | null;

/** The rules, in the order plan() asks them. */
export const builtinRules: readonly Rule[] = [linkedTopItem, canonicalBaseline, firstRunnableItem, followEvidence, oneFactorAroundBest];

export function createBuiltinPlanner(): Planner {
  return {
    name: 'builtin',
    plan: async (context) => {
      for (const rule of builtinRules) {
        const plan = rule(context);
        if (plan) return plan;
      }
      return {
        kind: 'idle',
        reason:
          'every rule is exhausted: no open TODO item links a spec or names a config value or method, and every follow-up of the evidence and one-factor change was already tried',
      };
    },
    interpret: async (context, results) => interpretResults(context, results),
    usage: () => ({ input_tokens: 0, output_tokens: 0, cost_usd: 0, requests: 0 }),
    transcript: () => null,
    resetTranscript: () => undefined,
  };
}

function linkedTopItem(context: PlanningContext): Plan | null {
  const top = context.queue[0];
  if (!top?.spec_path) return null;
  return { kind: 'linked', item_id: top.id, spec_path: top.spec_path, rationale: `the top open TODO item (${top.id}) links ${top.spec_path}` };
}

function canonicalBaseline(context: PlanningContext): Plan | null {
  if (context.findings.length > 0) return null;
  const item = context.queue.find((candidate) => !candidate.spec_path && isBaselineItem(candidate)) ?? null;
  return recipePlan(context, {
    draft: canonicalBaselineDraft(),
    item,
    idBase: item?.id ?? 'baseline-canonical',
    rationale: 'the workspace knows nothing yet: the canonical baseline comes first, every later experiment is judged against it',
  });
}

function firstRunnableItem(context: PlanningContext): Plan | null {
  for (const item of context.queue) {
    if (item.spec_path)
      return {
        kind: 'linked',
        item_id: item.id,
        spec_path: item.spec_path,
        rationale: `the first runnable open TODO item (${item.id}) links ${item.spec_path}`,
      };
    const draft = draftFromText(item);
    if (!draft) continue;
    const plan = recipePlan(context, {
      draft,
      item,
      idBase: item.id,
      rationale: `the first runnable open TODO item (${item.id}) asks "${item.text}"; ${draft.rationale}`,
    });
    if (plan) return plan;
  }
  return null;
}

function followEvidence(context: PlanningContext): Plan | null {
  if (!context.lastResults) return null;
  return generatedPlan(context, followUpCandidates(context.lastResults, context.searchSpace, context.findings));
}

function oneFactorAroundBest(context: PlanningContext): Plan | null {
  const results = context.lastResults;
  return generatedPlan(context, oneFactorCandidates(bestKnownConfig(results), context.searchSpace, results ? evidenceOf(results) : null));
}

/** The newest results' winning arm when they are a WIN, else their baseline, else the canonical configuration. */
function bestKnownConfig(results: ExperimentResults | null): TrainConfig {
  if (!results) return parseTrainConfig({});
  const arms = results.arms;
  const winner = results.summary.class === 'WIN' ? arms.find((arm) => arm.name === results.summary.best_arm) : undefined;
  return (winner ?? arms.find((arm) => arm.baseline)!).config;
}

type RecipeRequest = { draft: TextDraft; item: QueueItem | null; idBase: string; rationale: string };

/** A human's question as a spec under a free id; null when the recipe does not give a valid spec. */
function recipePlan(context: PlanningContext, request: RecipeRequest): Plan | null {
  const id = uniqueId(request.idBase, new Set(context.existingSpecIds));
  // A human's question may need a key the search space cannot list (curriculum stages): only validity is required.
  const built = finishDraft({ ...request.draft, id }, context.searchSpace, { insideSearchSpace: false });
  if (!built) return null;
  return { kind: 'spec', spec: built.spec, body: built.body, item_id: request.item?.id ?? null, rationale: request.rationale };
}

function generatedPlan(context: PlanningContext, candidates: FollowUpDraft[]): Plan | null {
  const [chosen] = selectDrafts(candidates, {
    space: context.searchSpace,
    taken: new Set(context.existingSpecIds),
    alreadyRan: new Set(context.lastResults ? runKeys(context.lastResults.spec) : []),
    count: 1,
  });
  return chosen ? { kind: 'spec', spec: chosen.spec, body: chosen.body, item_id: null, rationale: chosen.draft.text } : null;
}

function interpretResults(context: PlanningContext, results: ExperimentResults): Interpretation {
  const selected = selectDrafts(followUpCandidates(results, context.searchSpace, context.findings), {
    space: context.searchSpace,
    taken: new Set([...context.existingSpecIds, results.id]),
    alreadyRan: new Set(runKeys(results.spec)),
    count: 2,
  });
  return {
    narrative: templateNarrative(results),
    follow_ups: selected.map(({ draft, spec, body }) => ({ text: draft.text, spec, body, motivated_by: results.id })),
    discoveries: discoveriesFrom(results),
  };
}

/** A WIN: the fact with its numbers; a LOSS: what did not work; nothing for the other classes. */
function discoveriesFrom(results: ExperimentResults): Discovery[] {
  const { summary } = results;
  if (summary.class !== 'WIN' && summary.class !== 'LOSS' && summary.class !== 'MIXED') return [];
  const baseline = results.arms.find((arm) => arm.baseline)!;
  // Every arm with the experiment's class gets its line: a sweep whose three arms fail says so three times.
  return summary.arms
    .filter((arm) => !arm.baseline && arm.class === summary.class)
    .flatMap((arm) => {
      const runs = results.arms.find((candidate) => candidate.name === arm.name);
      return runs ? [{ topic: topicFor(changedKeys(runs.config, baseline.config)), text: discoveryText(summary, arm, { confirmed: false }) }] : [];
    });
}

function topicFor(keys: (keyof TrainConfig)[]): string {
  if (keys.includes('optimizer') || keys.includes('grokfast_alpha') || keys.includes('grokfast_lambda')) return 'Optimizers';
  if (keys.includes('loss')) return 'Loss functions';
  if (keys.includes('order') || keys.includes('algorithm')) return 'Update order and memory';
  if (keys.includes('n_bits') || keys.includes('k') || keys.includes('curriculum')) return 'Problem size';
  return 'Hyperparameters';
}
