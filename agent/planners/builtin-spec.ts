// Building specs for the built-in planner: a base config, arms as overrides, sensible seeds and limits, a body
// with Question / Hypothesis / Rationale that cites the evidence; and the config helpers ids and arms are made from.
import {
  CANONICAL_SEEDS,
  isModularTask,
  parseTrainConfig,
  type MetricName,
  type SpecInput,
  type TrainConfig,
  type TrainConfigInput,
} from '../../core/index.js';

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

export const canonicalSeeds = [...CANONICAL_SEEDS];

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
export const defaultSecondary: MetricName[] = ['epoch_90', 'time_to_solve_ms'];

/** The spec front matter and body for a draft. */
export function buildSpec(draft: SpecDraft): { spec: SpecInput; body: string } {
  const seeds = draft.seeds ?? canonicalSeeds;
  const spec: SpecInput = {
    id: specId(draft.id),
    title: draft.title,
    question: draft.question,
    hypothesis: draft.hypothesis,
    task: draft.base.task ?? 'parity',
    base: withoutTask(draft.base),
    arms: draft.arms.map((arm) => ({ name: arm.name, baseline: arm.baseline ?? false, overrides: withoutTask(arm.overrides) })),
    seeds: seedsText(seeds),
    metric: { name: draft.metric },
    secondary: (draft.secondary ?? defaultSecondary).filter((metric) => metric !== draft.metric),
    time_limit: draft.timeLimit ?? defaultTimeLimit(draft),
    ...(draft.track ? { track: true } : {}),
    ...(draft.motivated_by ? { motivated_by: draft.motivated_by } : {}),
  };
  const body = `\n## Question\n\n${draft.question}\n\n## Hypothesis\n\n${draft.hypothesis}\n\n## Rationale\n\n${draft.rationale}\n`;
  return { spec, body };
}

/** A valid spec id (lowercase letters, digits, dashes) from a draft's id, e.g. n_bits-30 -> n-bits-30. */
export function specId(text: string): string {
  return slugValue(text) || 'experiment';
}

/** "0.05" -> "0-05", "sign-sgd" -> "sign-sgd": a config value as a piece of an id. */
export function slugValue(value: unknown): string {
  return String(value)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Seconds per run: 60 for the canonical size (it solves in well under a second per seed), 240 for bigger
 * problems, long budgets, single-sample batches and forward-forward, 300 for the modular tasks (about
 * 1.2 s per epoch at p=97, hidden 200, batch 64 on one core).
 */
export function defaultTimeLimit(draft: Pick<SpecDraft, 'base' | 'arms'>): number {
  const configs = draft.arms.map((arm) => ({ ...draft.base, ...arm.overrides }));
  if (configs.some((config) => config.task !== undefined && isModularTask(config.task))) return 300;
  const big = configs.some(
    (config) =>
      (config.n_bits ?? 20) > 20 ||
      (config.k ?? 3) > 3 ||
      (config.batch_size ?? 32) < 8 ||
      (config.max_epochs ?? 200) > 200 ||
      (config.hidden ?? 200) > 200 ||
      (config.n_train ?? 1000) > 1000 ||
      config.algorithm === 'forward-forward',
  );
  return big ? 240 : 60;
}

function withoutTask(config: Partial<TrainConfigInput>): Partial<TrainConfigInput> {
  const { task: _task, ...rest } = config;
  return rest;
}

function seedsText(seeds: number[]): string {
  const sorted = [...seeds].sort((a, b) => a - b);
  const contiguous = sorted.every((seed, index) => index === 0 || seed === sorted[index - 1]! + 1);
  return contiguous && sorted.length > 1 ? `${sorted[0]}-${sorted[sorted.length - 1]}` : sorted.join(',');
}

/** Config keys whose value differs between two full configs. */
export function changedKeys(config: TrainConfig, baseline: TrainConfig): (keyof TrainConfig)[] {
  return (Object.keys(config) as (keyof TrainConfig)[]).filter((key) => JSON.stringify(config[key]) !== JSON.stringify(baseline[key]));
}

/** A config as spec overrides: only the keys that differ from the canonical defaults. */
export function overridesFromCanonical(config: TrainConfig): Partial<TrainConfigInput> {
  const canonical = parseTrainConfig({ task: config.task });
  const overrides: Record<string, unknown> = {};
  for (const key of changedKeys(config, canonical)) overrides[key] = config[key];
  if (config.task !== 'parity') overrides['task'] = config.task;
  return overrides as Partial<TrainConfigInput>;
}

/** '' for the canonical config; otherwise "-at-<what differs>" (shortened with a hash), so ids stay distinct per starting point. */
export function configTag(config: TrainConfig): string {
  const overrides = overridesFromCanonical(config) as Record<string, unknown>;
  const tag = slugValue(
    Object.keys(overrides)
      .map((key) => `${key}-${String(overrides[key])}`)
      .join('-'),
  );
  if (tag === '') return '';
  return `-at-${tag.length > 40 ? `${tag.slice(0, 33).replace(/-+$/, '')}-${hash(tag)}` : tag}`;
}

/** FNV-1a, six hex digits: a short stable tag. */
function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return value.toString(16).padStart(8, '0').slice(0, 6);
}

/** "x=1, y=2" for the keys where `config` differs from `reference`. */
export function describeChange(config: TrainConfig, reference: TrainConfig): string {
  return (
    changedKeys(config, reference)
      .map((key) => `${key}=${String(config[key])}`)
      .join(', ') || 'the same configuration'
  );
}

/** The keys of `config` that differ from `reference`, as overrides. */
export function diffOverrides(config: TrainConfig, reference: TrainConfig): Partial<TrainConfigInput> {
  const overrides: Record<string, unknown> = {};
  for (const key of changedKeys(config, reference)) if (config[key] !== undefined) overrides[key] = config[key];
  return overrides as Partial<TrainConfigInput>;
}

/** The value next to `current` in an ordered list, one step in `direction`, or null at the end / when absent. */
export function neighbour(values: readonly (number | string)[] | undefined, current: number | string, direction: 1 | -1): number | string | null {
  if (!values) return null;
  const numbers = values.filter((value): value is number => typeof value === 'number');
  if (typeof current !== 'number' || numbers.length !== values.length) {
    const index = values.indexOf(current);
    return index >= 0 ? (values[index + direction] ?? null) : null;
  }
  const sorted = [...numbers].sort((a, b) => a - b);
  const next = direction > 0 ? sorted.find((value) => value > current) : [...sorted].reverse().find((value) => value < current);
  return next ?? null;
}
