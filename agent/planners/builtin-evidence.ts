// Follow-up experiments from evidence, as explicit rules (the built-in planner's "what next"):
// WIN -> push the changed parameter one step further (or try the next problem size); INCONCLUSIVE -> twice
// the seeds; LOSS -> the other direction, once; INVALID -> again with twice the time; BASELINE -> one-factor changes.
import { expandArms, type ExperimentResults, type TrainConfig } from '../../core/index.js';
import { changedKeys, overridesFromCanonical, specId, type SpecDraft } from './builtin-spec.js';
import type { SearchSpace } from './planner.js';

export type FollowUpDraft = SpecDraft & { text: string };

/** Parameters tried, in this order, for one-factor changes around a configuration. */
export const oneFactorKeys = ['optimizer', 'lr', 'wd', 'batch_size', 'loss', 'hidden', 'order'] as const;

export function followUpsFromResults(results: ExperimentResults, space: SearchSpace, taken: ReadonlySet<string>): FollowUpDraft[] {
  const arms = expandArms(results.spec);
  const baseline = arms.find((arm) => arm.baseline)!;
  const bestName = results.summary.best_arm;
  const best = arms.find((arm) => arm.name === bestName && !arm.baseline) ?? null;
  const seeds = results.spec.seeds;
  const common = { motivated_by: results.id, seeds, metric: results.spec.metric.name, secondary: results.spec.secondary };
  const drafts: FollowUpDraft[] = [];
  switch (results.summary.class) {
    case 'WIN':
      if (best) drafts.push(...pushFurther(results, baseline.config, best.config, space, common));
      break;
    case 'INCONCLUSIVE': {
      const doubled = Math.min(space.limits.max_seeds, seeds.length * 2);
      if (doubled > seeds.length) {
        const moreSeeds = Array.from({ length: doubled }, (_, i) => seeds[0]! + i);
        drafts.push(rerun(results, `${results.id}-seeds${doubled}`, moreSeeds, `Re-run ${results.id} with ${doubled} seeds: ${results.summary.headline}`, common));
      }
      break;
    }
    case 'LOSS':
      if (best && !results.id.includes('other-direction')) drafts.push(...otherDirection(results, baseline.config, best.config, space, common, arms.map((arm) => arm.config)));
      break;
    case 'INVALID':
      if (!results.id.endsWith('-retry')) drafts.push({ ...rerun(results, `${results.id}-retry`, seeds, `Re-run ${results.id} with twice the time limit (it was INVALID: ${results.summary.headline})`, common), timeLimit: results.spec.time_limit * 2 });
      break;
    case 'BASELINE':
      drafts.push(...oneFactorAround(baseline.config, space, taken, results.id, 2));
      break;
  }
  return drafts.map((draft) => ({ ...draft, id: specId(draft.id) })).filter((draft) => !taken.has(draft.id));
}

type Common = Pick<SpecDraft, 'motivated_by' | 'seeds' | 'metric' | 'secondary'>;

function pushFurther(results: ExperimentResults, baseline: TrainConfig, winner: TrainConfig, space: SearchSpace, common: Common): FollowUpDraft[] {
  for (const key of changedKeys(winner, baseline)) {
    const [from, to] = [baseline[key], winner[key]];
    if (typeof from !== 'number' || typeof to !== 'number') continue;
    const next = neighbour(space.parameters[key], to, to > from ? 1 : -1);
    if (next === null) continue;
    return [comparison(`${key}-${slugValue(next)}-vs-${slugValue(to)}`, winner, key, next, common, {
      text: `Push ${key} further: ${to} -> ${next} (${key}=${to} won in ${results.id}: ${results.summary.headline})`,
      hypothesis: `${key}=${next} improves on ${key}=${to} the way ${to} improved on ${from}.`,
    })];
  }
  for (const key of ['n_bits', 'k'] as const) {
    const next = neighbour(space.parameters[key], winner[key], 1);
    if (next === null) continue;
    const longer = neighbour(space.parameters['max_epochs'], winner.max_epochs, 1) ?? winner.max_epochs;
    const id = `${slugValue(changedKeys(winner, baseline).map((k) => `${k}-${winner[k]}`).join('-'))}-at-${key}-${next}`;
    return [{
      id,
      text: `Does ${describe(winner, baseline)} still win at ${key}=${next}? (it won in ${results.id}: ${results.summary.headline})`,
      title: `${describe(winner, baseline)} at ${key}=${next}`,
      question: `Does the win of ${describe(winner, baseline)} hold one problem size up, at ${key}=${next}?`,
      hypothesis: `The effect seen in ${results.id} holds or grows at ${key}=${next}.`,
      rationale: `A method that wins at one problem size is tried at the next size up. Evidence: ${results.summary.headline}.`,
      base: overridesFromCanonical({ ...baseline, [key]: next, max_epochs: Math.max(longer as number, baseline.max_epochs) }),
      arms: [
        { name: 'baseline', overrides: {}, baseline: true },
        { name: 'winner', overrides: overridesFromCanonical({ ...winner, [key]: next, max_epochs: Math.max(longer as number, winner.max_epochs) }) },
      ],
      ...common,
    }];
  }
  return [];
}

function otherDirection(results: ExperimentResults, baseline: TrainConfig, loser: TrainConfig, space: SearchSpace, common: Common, tried: TrainConfig[]): FollowUpDraft[] {
  for (const key of changedKeys(loser, baseline)) {
    const [from, to] = [baseline[key], loser[key]];
    if (typeof from !== 'number' || typeof to !== 'number') continue;
    const other = neighbour(space.parameters[key], from, to > from ? -1 : 1);
    // Nothing to learn from a value this experiment already ran (e.g. the other arms of a sweep).
    if (other === null || tried.some((config) => config[key] === other && changedKeys(config, baseline).length === 1)) continue;
    return [comparison(`${key}-${slugValue(other)}-other-direction`, baseline, key, other, common, {
      text: `Try ${key} the other way: ${other} instead of ${to} (${key}=${to} lost in ${results.id}: ${results.summary.headline})`,
      hypothesis: `Moving ${key} from ${from} to ${other} helps where ${to} hurt.`,
    })];
  }
  return [];
}

/** Up to `count` one-factor changes around `config` whose spec ids are not taken yet. */
export function oneFactorAround(config: TrainConfig, space: SearchSpace, taken: ReadonlySet<string>, motivatedBy: string | null, count: number): FollowUpDraft[] {
  const drafts: FollowUpDraft[] = [];
  const around = aroundTag(config);
  for (const key of oneFactorKeys) {
    const values = space.parameters[key] ?? [];
    const current = config[key];
    const candidates = typeof current === 'number' ? [neighbour(values, current, 1), neighbour(values, current, -1)] : values.filter((value) => value !== current);
    for (const value of candidates) {
      if (value === null || value === undefined) continue;
      const id = specId(`one-factor-${key}-${slugValue(value)}${around}`);
      if (taken.has(id) || drafts.some((draft) => draft.id === id)) continue;
      drafts.push(comparison(id, config, key, value, { motivated_by: motivatedBy ?? undefined, seeds: undefined, metric: 'solve_epoch', secondary: undefined }, {
        text: `One-factor change around the best known configuration: ${key} ${String(current)} -> ${value}`,
        hypothesis: `${key}=${value} solves in fewer epochs than ${key}=${String(current)}.`,
      }));
      if (drafts.length >= count) return drafts;
    }
  }
  return drafts;
}

function comparison(id: string, reference: TrainConfig, key: keyof TrainConfig, value: number | string, common: Partial<Common>, words: { text: string; hypothesis: string }): FollowUpDraft {
  return {
    id,
    text: words.text,
    title: `${key}=${value} against ${key}=${String(reference[key])}`,
    question: `Does ${key}=${value} beat ${key}=${String(reference[key])} on ${common.metric ?? 'solve_epoch'}?`,
    hypothesis: words.hypothesis,
    rationale: words.text,
    base: overridesFromCanonical(reference),
    arms: [
      { name: `${key}=${String(reference[key])}`, overrides: {}, baseline: true },
      { name: `${key}=${value}`, overrides: { [key]: value } },
    ],
    metric: common.metric ?? 'solve_epoch',
    ...(common.secondary ? { secondary: common.secondary } : {}),
    ...(common.seeds ? { seeds: common.seeds } : {}),
    ...(common.motivated_by ? { motivated_by: common.motivated_by } : {}),
  };
}

function rerun(results: ExperimentResults, id: string, seeds: number[], text: string, common: Common): FollowUpDraft {
  const arms = expandArms(results.spec);
  return {
    id,
    text,
    title: `${results.spec.title} (again, ${seeds.length} seeds)`,
    question: results.spec.question,
    hypothesis: results.spec.hypothesis,
    rationale: text,
    base: overridesFromCanonical(arms.find((arm) => arm.baseline)!.config),
    arms: arms.map((arm) => ({ name: arm.name, baseline: arm.baseline, overrides: overridesFromCanonical(arm.config) })),
    ...common,
    seeds,
  };
}

/** The value next to `current` in an ordered list, one step in `direction`, or null at the end / when absent. */
export function neighbour(values: readonly (number | string)[] | undefined, current: number | string, direction: 1 | -1): number | string | null {
  if (!values) return null;
  const numbers = values.filter((value): value is number => typeof value === 'number');
  if (typeof current !== 'number' || numbers.length !== values.length) {
    const index = values.indexOf(current);
    return index >= 0 ? values[index + direction] ?? null : null;
  }
  const sorted = [...numbers].sort((a, b) => a - b);
  const next = direction > 0 ? sorted.find((value) => value > current) : [...sorted].reverse().find((value) => value < current);
  return next ?? null;
}

function describe(config: TrainConfig, baseline: TrainConfig): string {
  return changedKeys(config, baseline).map((key) => `${key}=${String(config[key])}`).join(', ') || 'the winning arm';
}

function slugValue(value: unknown): string {
  return String(value).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** '' around the canonical config; otherwise a short tag of what differs, so ids stay unique per starting point. */
function aroundTag(config: TrainConfig): string {
  const overrides = overridesFromCanonical(config);
  const keys = Object.keys(overrides);
  if (keys.length === 0) return '';
  return `-around-${slugValue(keys.map((key) => `${key}-${String((overrides as Record<string, unknown>)[key])}`).join('-'))}`.slice(0, 60);
}
