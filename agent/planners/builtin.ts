// The built-in planner: explicit rules, no network, no disk (everything comes in the PlanningContext).
// plan() takes, in this order:
//   1. an unresolved contradiction: a queued decide- experiment (builtin-claims.ts);
//   2. the open TODO items a human wrote, in queue order (a linked spec as written, free text read by text-draft.ts);
//   3. with no findings at all, the canonical baseline;
//   4. the queued follow-up with the most expected information (the score interpret() wrote on its line), unless a
//      claim with no follow-up yet (a WIN, LOSS or MIXED interpreted by another planner, or before these rules
//      existed: nothing confirmed it) scores higher: the rules on that result (builtin-rules.ts), oldest result first;
//   5. a generated candidate: the rules on the newest results and one-factor changes around the best known
//      configuration (the agenda's ready questions first), ranked by builtin-select.ts, dropping known runs.
// interpret() writes the templated narrative, the rules' candidates as scored follow-ups (builtin-rules.ts), and,
// only for a confirmation on fresh seeds, the DISCOVERIES.md line, the agenda's claim and any contradiction.
import { parseTrainConfig, type ExperimentResults, type TrainConfig } from '../../core/index.js';
import { knownRun, ledgerOf } from '../experiments/ledger.js';
import { templateNarrative } from '../findings/narrative.js';
import { emptyUsage } from '../llm/transcript.js';
import { uniqueId } from '../workspace/ids.js';
import { answerQuestion, DECISION_PREFIX, isConfirmation, parseAgenda, readyQuestions, renderAgenda, type Agenda } from '../workspace/agenda.js';
import { candidatesFrom, oneFactor, oneFactorKeys, type Candidate } from './builtin-rules.js';
import { judgeConfirmation } from './builtin-claims.js';
import { finishDraft, rankCandidates, type Scored } from './builtin-select.js';
import { canonicalBaselineDraft, configTag, type SpecDraft } from './builtin-spec.js';
import { draftFromText, isBaselineItem } from './text-draft.js';
import type { Plan, Planner, PlanningContext } from './planner.js';
import type { Interpretation, QueueItem } from '../domain.js';

const scorePattern = /\(expected information (-?\d+(?:\.\d+)?)\)/;

export function createBuiltinPlanner(): Planner {
  return {
    name: 'builtin',
    plan: async (context) => planNext(context),
    interpret: async (context, results) => interpretResults(context, results),
    usage: emptyUsage,
    transcript: () => null,
    resetTranscript: () => undefined,
  };
}

const isHumanItem = (item: QueueItem) => item.motivated_by === null && item.section !== 'Follow-ups';

function planNext(context: PlanningContext): Plan {
  const decide = context.queue.find((item) => item.spec_path?.startsWith(`experiments/${DECISION_PREFIX}`));
  if (decide) return linked(decide, `an unresolved contradiction comes before anything new (${decide.id})`);
  for (const item of context.queue.filter(isHumanItem)) {
    if (item.spec_path) return linked(item, `the first open TODO item a human wrote (${item.id}) links ${item.spec_path}`);
    const draft = isBaselineItem(item) ? canonicalBaselineDraft() : draftFromText(item);
    const plan = draft && draftPlan(context, { ...draft, id: item.id }, item.id);
    if (plan) return { ...plan, rationale: `the first open TODO item a human wrote (${item.id}) asks "${item.text}"; ${draft!.rationale}` };
  }
  const baseline = context.findings.length === 0 && draftPlan(context, { ...canonicalBaselineDraft(), id: 'baseline-canonical' }, null);
  if (baseline)
    return { ...baseline, rationale: 'the workspace knows nothing yet: the canonical baseline comes first, every later experiment is judged against it' };
  const followUp = bestFollowUp(context.queue.filter((item) => !isHumanItem(item) && item.spec_path));
  const [claim] = rank(context, unfollowedClaims(context), null);
  if (claim && (!followUp || claim.score > scoreOf(followUp))) {
    const rationale = `${claim.candidate.motivated_by} (${claim.candidate.text}) has no follow-up yet, and nothing queued scores higher (expected information ${claim.score})`;
    return { kind: 'spec', spec: claim.spec, body: claim.body, item_id: null, rationale };
  }
  if (followUp)
    return linked(followUp, `the queued follow-up with the most expected information (${followUp.id}: ${scorePattern.exec(followUp.text)?.[1] ?? '?'})`);
  const [best] = rank(context, generated(context), null);
  if (best) return { kind: 'spec', spec: best.spec, body: best.body, item_id: null, rationale: `${best.candidate.text} (expected information ${best.score})` };
  const reason =
    'nothing adds information: no open TODO item, and every rule and one-factor change around the best known configuration has its runs in the ledger';
  return { kind: 'idle', reason };
}

function linked(item: QueueItem, rationale: string): Plan {
  return { kind: 'linked', item_id: item.id, spec_path: item.spec_path!, rationale };
}

/** A human's item (or the canonical baseline) as a spec under a free id: only validity is required, not the search space's lists. */
function draftPlan(context: PlanningContext, draft: SpecDraft, itemId: string | null): Extract<Plan, { kind: 'spec' }> | null {
  const built = finishDraft({ ...draft, id: uniqueId(draft.id, new Set(context.existingSpecIds)) }, context.searchSpace);
  return built ? { kind: 'spec', spec: built.spec, body: built.body, item_id: itemId, rationale: draft.rationale } : null;
}

const scoreOf = (item: QueueItem) => Number(scorePattern.exec(item.text)?.[1] ?? 0);

function bestFollowUp(items: QueueItem[]): QueueItem | null {
  return items.reduce<QueueItem | null>((best, item) => (best === null || scoreOf(item) > scoreOf(best) ? item : best), null);
}

/** The rules' follow-ups of every WIN, LOSS or MIXED with a finding, oldest first (rank() drops the taken ids and known runs). */
function unfollowedClaims(context: PlanningContext): Candidate[] {
  const withFinding = new Set(context.findings.map((finding) => finding.id));
  return context.ledger.experiments
    .filter((results) => withFinding.has(results.id) && ['WIN', 'LOSS', 'MIXED'].includes(results.summary.class))
    .flatMap((results) => candidatesFrom(results, context.searchSpace));
}

/** Candidates with no queued follow-up to take: the rules on the newest results, then one-factor changes (ready questions' keys first). */
function generated(context: PlanningContext): Candidate[] {
  const results = context.lastResults;
  const agenda = context.agendaText ? parseAgenda(context.agendaText) : null;
  const ready = agenda ? readyQuestions(agenda).flatMap((question) => question.keys.map((key) => key.split('=')[0]!)) : [];
  const keys = [...new Set([...ready.filter((key) => (oneFactorKeys as readonly string[]).includes(key)), ...oneFactorKeys])];
  return [...(results ? candidatesFrom(results, context.searchSpace) : []), ...oneFactor(bestKnownConfig(results), context.searchSpace, results, keys)];
}

/** The newest results' deciding arm when it won, else their baseline, else the canonical configuration. */
function bestKnownConfig(results: ExperimentResults | null): TrainConfig {
  if (!results) return parseTrainConfig({});
  const winner = results.summary.class === 'WIN' ? results.arms.find((arm) => arm.name === results.summary.best_arm) : undefined;
  return (winner ?? results.arms.find((arm) => arm.baseline)!).config;
}

function rank(context: PlanningContext, candidates: Candidate[], results: ExperimentResults | null): Scored[] {
  const own = results ? ledgerOf([results]) : null;
  return rankCandidates(candidates, {
    space: context.searchSpace,
    taken: new Set([...context.existingSpecIds, ...(results ? [results.id] : [])]),
    isKnownRun: (job) => knownRun(context.ledger, job, context.coreHash) !== null || (own !== null && knownRun(own, job, context.coreHash) !== null),
    coreHash: context.coreHash,
    agenda: context.agendaText ? parseAgenda(context.agendaText) : null,
  });
}

function interpretResults(context: PlanningContext, results: ExperimentResults): Interpretation {
  let agenda: Agenda | null = context.agendaText ? parseAgenda(context.agendaText) : null;
  const confirmation = isConfirmation(results.spec) ? judgeConfirmation(results, { findings: context.findings, agenda, ledger: context.ledger }) : null;
  if (confirmation) agenda = confirmation.agenda;
  if (agenda && results.summary.class === 'BASELINE' && configTag(results.arms[0]!.config) === '')
    agenda = answerQuestion(agenda, 'baseline', `${results.summary.headline} (findings/${results.id}.md)`);
  // A contradiction is decided before the contested result climbs any further.
  const candidates = confirmation?.decide.length ? confirmation.decide : candidatesFrom(results, context.searchSpace);
  const ranked = rank(context, candidates, results).slice(0, 4);
  return {
    narrative: templateNarrative(results),
    follow_ups: ranked.map(({ candidate, spec, body, score }) => ({
      text: `${candidate.text} (expected information ${score})`,
      spec,
      body,
      motivated_by: results.id,
    })),
    discoveries: confirmation?.discoveries ?? [],
    ...(confirmation?.contested.length ? { contested: confirmation.contested } : {}),
    ...(agenda && context.agendaText ? { agenda: renderAgenda(agenda) } : {}),
  };
}
