// Building specs for the built-in planner: a base config, arms as overrides, seeds and a time limit, a body with
// Question / Hypothesis / Rationale that cites the evidence; and the config helpers ids and arms are made from.
import {
  CANONICAL_SEEDS,
  isModularTask,
  parseTrainConfig,
  type MetricName,
  type SpecInput,
  type TrainConfig,
  type TrainConfigInput,
} from '../../core/index.js';
import type { SearchValue } from '../domain.js';

export type ArmDraft = { name: string; overrides: Partial<TrainConfigInput>; baseline?: boolean };

export type SpecDraft = {
  id: string;
  title: string;
  question: string;
  hypothesis: string;
  rationale: string;
  base: Partial<TrainConfigInput>;
  arms: ArmDraft[];
  metric: MetricName;
  secondary?: MetricName[];
  seeds?: number[];
  track?: boolean;
  motivated_by?: string;
  /** Seconds per run; by default from the configs' size. */
  timeLimit?: number;
};

/** The canonical SGD baseline, for a workspace whose queue does not link one: every experiment is judged against it. */
export function canonicalBaselineDraft(): Omit<SpecDraft, 'id'> {
  return {
    title: 'Canonical SGD baseline on 20-bit sparse parity',
    question: 'How fast does the canonical configuration (n=20, k=3, hidden 200, lr 0.1, wd 0.01, batch 32, hinge) solve 20-bit parity on our core?',
    hypothesis: 'It solves 5/5 seeds with a median of 28-49 epochs to solve, as in the seeds (33 epochs to 90%, 40 to solve).',
    rationale: 'Every other experiment is judged against this baseline; the seeds report it on numpy, and our core must reproduce it.',
    base: {},
    arms: [{ name: 'sgd', overrides: {}, baseline: true }],
    metric: 'solve_epoch',
  };
}

/** The spec front matter and body for a draft (the task goes to the spec's task key, not into overrides). */
export function buildSpec(draft: SpecDraft): { spec: SpecInput; body: string } {
  const withoutTask = ({ task: _task, ...rest }: Partial<TrainConfigInput>) => rest;
  const seeds = [...(draft.seeds ?? CANONICAL_SEEDS)].sort((a, b) => a - b);
  const contiguous = seeds.length > 1 && seeds.every((seed, index) => index === 0 || seed === seeds[index - 1]! + 1);
  const spec: SpecInput = {
    id: shortId(draft.id),
    title: draft.title,
    question: draft.question,
    hypothesis: draft.hypothesis,
    task: draft.base.task ?? 'parity',
    base: withoutTask(draft.base),
    arms: draft.arms.map((arm) => ({ name: arm.name, baseline: arm.baseline ?? false, overrides: withoutTask(arm.overrides) })),
    seeds: contiguous ? `${seeds[0]}-${seeds[seeds.length - 1]}` : seeds.join(','),
    metric: { name: draft.metric },
    secondary: (draft.secondary ?? ['epoch_90', 'time_to_solve_ms']).filter((metric) => metric !== draft.metric),
    time_limit: draft.timeLimit ?? defaultTimeLimit(draft),
    ...(draft.track ? { track: true } : {}),
    ...(draft.motivated_by ? { motivated_by: draft.motivated_by } : {}),
  };
  return { spec, body: `\n## Question\n\n${draft.question}\n\n## Hypothesis\n\n${draft.hypothesis}\n\n## Rationale\n\n${draft.rationale}\n` };
}

/** "0.05" -> "0-05", "sign-sgd" -> "sign-sgd": a config value as a piece of an id. */
export function slugValue(value: unknown): string {
  return String(value)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Seconds per run: 60 at the canonical size (well under a second per seed), 240 above it, 300 for the modular tasks (~1.2 s per epoch at p=97). */
export function defaultTimeLimit(draft: Pick<SpecDraft, 'base' | 'arms'>): number {
  const configs = draft.arms.map((arm) => parseTrainConfig({ ...draft.base, ...arm.overrides }));
  if (configs.some((config) => isModularTask(config.task))) return 300;
  const big = (c: TrainConfig) =>
    c.n_bits > 20 || c.k > 3 || c.batch_size < 8 || c.max_epochs > 200 || c.hidden > 200 || c.n_train > 1000 || c.algorithm === 'forward-forward';
  return configs.some(big) ? 240 : 60;
}

/** Config keys whose value differs between two full configs. */
export function changedKeys(config: TrainConfig, baseline: TrainConfig): (keyof TrainConfig)[] {
  return (Object.keys(config) as (keyof TrainConfig)[]).filter((key) => JSON.stringify(config[key]) !== JSON.stringify(baseline[key]));
}

/** ["optimizer=sign-sgd", "lr=0.01"]: the changes of `config` against `reference`, one string each. */
export function changesOf(config: TrainConfig, reference: TrainConfig): string[] {
  return changedKeys(config, reference).map((key) => `${key}=${Array.isArray(config[key]) ? (config[key] as number[]).join('->') : String(config[key])}`);
}

/** "x=1, y=2" for the keys where `config` differs from `reference`. */
export function describeChange(config: TrainConfig, reference: TrainConfig): string {
  return changesOf(config, reference).join(', ') || 'the same configuration';
}

/** The keys of `config` that differ from `reference`, as overrides. */
export function diffOverrides(config: TrainConfig, reference: TrainConfig): Partial<TrainConfigInput> {
  const keys = changedKeys(config, reference).filter((key) => config[key] !== undefined);
  return Object.fromEntries(keys.map((key) => [key, config[key]])) as Partial<TrainConfigInput>;
}

/** A config as spec overrides: only the keys that differ from the canonical defaults (and the task). */
export function overridesFromCanonical(config: TrainConfig): Partial<TrainConfigInput> {
  return { ...diffOverrides(config, parseTrainConfig({ task: config.task })), ...(config.task !== 'parity' ? { task: config.task } : {}) };
}

/** '' for the canonical config; otherwise "-at-<what differs>", so ids stay distinct per starting point. */
export function configTag(config: TrainConfig): string {
  const tag = slugValue(Object.entries(overridesFromCanonical(config)).flat().join('-'));
  return tag === '' ? '' : `-at-${tag}`;
}

/** An id of at most 48 characters (what TODO.md keeps): a longer one is cut and ends in an FNV-1a hash of the whole, so it stays distinct. */
export function shortId(id: string): string {
  const slug = slugValue(id) || 'experiment';
  if (slug.length <= 48) return slug;
  let hash = 0x811c9dc5;
  for (let i = 0; i < slug.length; i++) hash = Math.imul(hash ^ slug.charCodeAt(i), 0x01000193) >>> 0;
  return `${slug.slice(0, 41).replace(/-+$/, '')}-${hash.toString(16).padStart(8, '0').slice(0, 6)}`;
}

/** The value next to `current` in an ordered list, one step in `direction`, or null at the end / when absent. */
export function neighbour(listed: readonly SearchValue[] | undefined, current: number | string, direction: 1 | -1): number | string | null {
  if (!listed) return null;
  const values = listed.filter((value): value is number | string => !Array.isArray(value)); // stage lists have no neighbours here
  const numbers = values.filter((value): value is number => typeof value === 'number');
  if (typeof current !== 'number' || numbers.length !== values.length) {
    const index = values.indexOf(current);
    return index >= 0 ? (values[index + direction] ?? null) : null;
  }
  const sorted = [...(values as number[])].sort((a, b) => a - b);
  return (direction > 0 ? sorted.find((value) => value > current) : sorted.reverse().find((value) => value < current)) ?? null;
}
