// Turns the built-in planner's candidate drafts into specs the cycle can run: capped to the search space's
// limits, valid (parseSpec), inside the search space, under an id nobody took, and never a repeat of runs
// already made (an experiment is its set of runs: full config + seed).
import { expandArms, parseSpec, type Spec, type SpecInput } from '../../core/index.js';
import { buildSpec, specId, type SpecDraft } from './builtin-spec.js';
import type { FollowUpDraft } from './builtin-evidence.js';
import { checkSpecInSearchSpace } from './claude-search-space.js';
import type { SearchSpace } from '../domain.js';

export type BuiltSpec = { spec: SpecInput; body: string; parsed: Spec };
export type Selected = BuiltSpec & { draft: FollowUpDraft };

export type SelectOptions = {
  space: SearchSpace;
  /** Spec and finding ids that exist: a candidate under one of them (or an alias) was tried. */
  taken: ReadonlySet<string>;
  /** Run keys of experiments whose configs are known (the last results): covering them adds nothing. */
  alreadyRan: ReadonlySet<string>;
  count: number;
};

/** The first `count` candidates that are new, valid and inside the search space, in the candidates' order. */
export function selectDrafts(candidates: readonly FollowUpDraft[], options: SelectOptions): Selected[] {
  const selected: Selected[] = [];
  const chosenExperiments = new Set<string>();
  for (const draft of candidates) {
    if (selected.length >= options.count) break;
    const ids = [draft.id, ...(draft.aliases ?? [])].map(specId);
    if (ids.some((id) => options.taken.has(id))) continue;
    const built = finishDraft(draft, options.space, { insideSearchSpace: true });
    if (!built) continue;
    const runs = runKeys(built.parsed);
    if (!draft.rerun && runs.every((run) => options.alreadyRan.has(run))) continue;
    const experiment = [...runs].sort().join('\n');
    if (chosenExperiments.has(experiment) || selected.some((other) => other.parsed.id === built.parsed.id)) continue;
    chosenExperiments.add(experiment);
    selected.push({ ...built, draft });
  }
  return selected;
}

/**
 * The spec of a draft capped to the limits (seeds, seconds per run), or null when it does not parse or, with
 * insideSearchSpace, when checkSpecInSearchSpace finds a problem.
 */
export function finishDraft(draft: SpecDraft, space: SearchSpace, options: { insideSearchSpace: boolean }): BuiltSpec | null {
  const { spec, body } = buildSpec(withinLimits(draft, space));
  let parsed: Spec;
  try {
    parsed = parseSpec(spec, `builtin draft ${draft.id}`);
    expandArms(parsed);
  } catch {
    return null;
  }
  if (options.insideSearchSpace && checkSpecInSearchSpace(spec as Record<string, unknown>, parsed, space).length > 0) return null;
  return { spec, body, parsed };
}

/** The search space's limits hold for the built-in planner too: seeds and seconds per run are capped. */
export function withinLimits<T extends SpecDraft>(draft: T, space: SearchSpace): T {
  const seeds = draft.seeds && draft.seeds.length > space.limits.max_seeds ? draft.seeds.slice(0, space.limits.max_seeds) : draft.seeds;
  const timeLimit = Math.min(draft.timeLimit ?? buildSpec(draft).spec.time_limit ?? space.limits.max_time_limit, space.limits.max_time_limit);
  return { ...draft, ...(seeds ? { seeds } : {}), timeLimit };
}

/** One key per run an experiment makes: its full config (keys sorted) and its seed. */
export function runKeys(spec: Spec): string[] {
  return expandArms(spec).flatMap((arm) => {
    const config = JSON.stringify(Object.fromEntries(Object.entries(arm.config).sort(([a], [b]) => a.localeCompare(b))));
    return spec.seeds.map((seed) => `${config}#${seed}`);
  });
}
