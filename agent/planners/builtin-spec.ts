// Building specs for the built-in planner: a base config, arms as overrides, sensible seeds and limits,
// and a body with Question / Hypothesis / Rationale that cites the evidence.
import { parseTrainConfig, type MetricName, type SpecInput, type TrainConfig, type TrainConfigInput } from '../../core/index.js';

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

export const canonicalSeeds = [42, 43, 44, 45, 46];
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
    time_limit: draft.timeLimit ?? timeLimitFor(draft),
    ...(draft.track ? { track: true } : {}),
    ...(draft.motivated_by ? { motivated_by: draft.motivated_by } : {}),
  };
  const body = `\n## Question\n\n${draft.question}\n\n## Hypothesis\n\n${draft.hypothesis}\n\n## Rationale\n\n${draft.rationale}\n`;
  return { spec, body };
}

/** A valid spec id (lowercase letters, digits, dashes) from a draft's id, e.g. n_bits-30 -> n-bits-30. */
export function specId(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'experiment';
}

/** Seconds per run: generous for the canonical size, more for bigger or single-sample runs. */
function timeLimitFor(draft: SpecDraft): number {
  const configs = draft.arms.map((arm) => ({ ...draft.base, ...arm.overrides }));
  const big = configs.some((config) => (config.n_bits ?? 20) > 20 || (config.batch_size ?? 32) < 8 || (config.max_epochs ?? 200) > 200 || config.algorithm === 'forward-forward');
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

/** The canonical configuration of the seeds, as a full config. */
export function canonicalConfig(): TrainConfig {
  return parseTrainConfig({});
}

/** A config as spec overrides: only the keys that differ from the canonical defaults. */
export function overridesFromCanonical(config: TrainConfig): Partial<TrainConfigInput> {
  const canonical = parseTrainConfig({ task: config.task });
  const overrides: Record<string, unknown> = {};
  for (const key of changedKeys(config, canonical)) overrides[key] = config[key];
  if (config.task !== 'parity') overrides['task'] = config.task;
  return overrides as Partial<TrainConfigInput>;
}
