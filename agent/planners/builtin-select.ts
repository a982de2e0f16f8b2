// Chooses among the built-in planner's candidates by expected information per cost:
//   score = value(kind) + agenda(question) - 0.5 * log10(1 + new run cost)
//   value:  decide 10 (a contradiction makes earlier claims unusable) > confirm 8 (decides what enters DISCOVERIES.md)
//           > split 7 = ladder 7 (a bundled result cannot be attributed; a method's LOSS stands only at its best lr)
//           > baseline 6 (every comparison at a new size needs it) > metric 5 (re-judging reuses every run)
//           > size 4 > seeds 3 > one-factor 2 > time 1
//   agenda: +1 when the agenda question the candidate is about is ready, +2 when contested, -1 when answered
//   cost:   runs the ledger does not have, each weighted by n_train x max_epochs x hidden against the canonical one
// A candidate whose every run is in the ledger adds nothing and is dropped (unless it re-judges runs on purpose);
// so is one that does not validate, leaves the search space (generated values) or reuses a taken id.
import { expandArms, parseSpec, type Spec, type SpecInput } from '../../core/index.js';
import { specJobs } from '../experiments/ledger.js';
import { runJobId } from '../io/queue-connection.js';
import type { TrainJob } from '../io/train-worker.js';
import { questionFor, readyQuestions, type Agenda } from '../workspace/agenda.js';
import { buildSpec, type SpecDraft } from './builtin-spec.js';
import { candidateKinds, type Candidate } from './builtin-rules.js';
import { checkSpecInSearchSpace } from './claude-search-space.js';
import type { SearchSpace } from '../domain.js';

export type Scored = { candidate: Candidate; spec: SpecInput; body: string; parsed: Spec; score: number; newRuns: number };

export type SelectOptions = {
  space: SearchSpace;
  taken: ReadonlySet<string>;
  /** Whether a run is made already (in the ledger, or in the experiment being interpreted), under any time limit it fits. */
  isKnownRun: (job: TrainJob) => boolean;
  coreHash: string;
  agenda: Agenda | null;
};

/** The candidates that add something, best score first (ties: the order given). */
export function rankCandidates(candidates: readonly Candidate[], options: SelectOptions): Scored[] {
  const seen = new Set<string>();
  const scored: Scored[] = [];
  for (const candidate of candidates) {
    const built = finishDraft(candidate, options.space);
    if (!built || options.taken.has(built.parsed.id) || seen.has(built.parsed.id)) continue;
    const jobs = specJobs(built.parsed);
    const experiment = jobs
      .map((job) => runJobId(job, options.coreHash))
      .sort()
      .join('\n');
    if (seen.has(experiment)) continue;
    const fresh = jobs.filter((job) => !options.isKnownRun(job));
    if (fresh.length === 0 && !candidate.rerun) continue;
    seen.add(built.parsed.id).add(experiment);
    const score =
      candidateKinds[candidate.kind].value + agendaBonus(options.agenda, candidate.changes) - 0.5 * Math.log10(1 + runCost(built.parsed, fresh.length));
    scored.push({ candidate, ...built, score: Math.round(score * 100) / 100, newRuns: fresh.length });
  }
  return scored.sort((a, b) => b.score - a.score); // a stable sort: ties keep the order given
}

function agendaBonus(agenda: Agenda | null, changes: readonly string[]): number {
  const question = agenda && changes.length > 0 ? questionFor(agenda, changes) : null;
  if (!question) return 0;
  if (question.status === 'contested') return 2;
  if (question.status === 'answered') return -1;
  return readyQuestions(agenda!).includes(question) ? 1 : 0;
}

/** New runs weighted by their size against the canonical run (n_train 1000, 200 epochs, hidden 200). */
function runCost(spec: Spec, newRuns: number): number {
  const arms = expandArms(spec);
  const mean = arms.reduce((sum, arm) => sum + (arm.config.n_train / 1000) * (arm.config.max_epochs / 200) * (arm.config.hidden / 200), 0) / arms.length;
  return newRuns * mean;
}

export type BuiltSpec = { spec: SpecInput; body: string; parsed: Spec };

/** The spec of a draft with seeds and seconds capped to the limits, or null when it does not parse or (bounded) leaves the search space. */
export function finishDraft(candidate: SpecDraft & { bounded?: boolean }, space: SearchSpace): BuiltSpec | null {
  const seeds = candidate.seeds && candidate.seeds.length > space.limits.max_seeds ? candidate.seeds.slice(0, space.limits.max_seeds) : candidate.seeds;
  try {
    const { spec, body } = buildSpec({ ...candidate, ...(seeds ? { seeds } : {}) });
    spec.time_limit = Math.min(spec.time_limit ?? space.limits.max_time_limit, space.limits.max_time_limit);
    const parsed = parseSpec(spec, `builtin draft ${candidate.id}`);
    expandArms(parsed);
    const outside = candidate.bounded && checkSpecInSearchSpace(spec as Record<string, unknown>, parsed, space).length > 0;
    return outside ? null : { spec, body, parsed };
  } catch {
    return null; // a draft that is not a valid spec (a human's value out of range) is not proposed
  }
}
