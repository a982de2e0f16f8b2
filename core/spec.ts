// Experiment specs: the YAML front matter of experiments/<id>.md, validated with zod, expanded into arms.
import { z } from 'zod';
import { TrainConfigInputSchema, TrainConfigOverridesSchema, formatIssues, parseTrainConfig, type TrainConfig, type TrainConfigInput } from './config.js';

/** Metrics a spec may judge by; each is read from a run result (memory ones need tracking). */
/** The seeds' five seeds (42-46): the default of every spec and of `lab train`. */
export const CANONICAL_SEEDS: readonly number[] = [42, 43, 44, 45, 46];

export const metricNames = [
  'solve_epoch',
  'epoch_90',
  'time_to_solve_ms',
  'elapsed_ms',
  'best_test_acc',
  'final_test_acc',
  'epochs',
  'ard',
  'weighted_ard',
  'dmc',
  'energy_pj',
  // The LRU stack (InstrumentedTracker): Data Movement Distance, mean stack depth, element reads served by DRAM.
  'dmd',
  'mean_depth',
  'dram_reads',
] as const;
export type MetricName = (typeof metricNames)[number];
export const memoryMetrics: readonly MetricName[] = ['ard', 'weighted_ard', 'dmc', 'energy_pj', 'dmd', 'mean_depth', 'dram_reads'];
export const wallTimeMetrics: readonly MetricName[] = ['time_to_solve_ms', 'elapsed_ms'];
/** Metrics undefined for a run that never solved: censored at the worst rank. */
export const solveMetrics: readonly MetricName[] = ['solve_epoch', 'epoch_90', 'time_to_solve_ms'];

export const defaultMetricDirection: Record<MetricName, 'lower' | 'higher'> = {
  solve_epoch: 'lower',
  epoch_90: 'lower',
  time_to_solve_ms: 'lower',
  elapsed_ms: 'lower',
  best_test_acc: 'higher',
  final_test_acc: 'higher',
  epochs: 'lower',
  ard: 'lower',
  weighted_ard: 'lower',
  dmc: 'lower',
  energy_pj: 'lower',
  dmd: 'lower',
  mean_depth: 'lower',
  dram_reads: 'lower',
};

const overridesSchema = TrainConfigOverridesSchema.omit({ task: true });

const armSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.=,+-]*$/, 'use letters, digits and _ . = , + - (no spaces)'),
    baseline: z.boolean().default(false),
    overrides: overridesSchema.default({}),
  })
  .strict();

/** "42-46", "42,43,50-52", a single number, or a list of numbers. */
const seedsSchema = z.union([z.string(), z.number().int().nonnegative(), z.array(z.number().int().nonnegative())]).transform((value, ctx) => {
  try {
    return parseSeeds(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const metricSchema = z
  .object({
    name: z.enum(metricNames),
    direction: z.enum(['lower', 'higher']).optional(),
  })
  .strict();

export const SpecSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes, e.g. exp-egd-lr'),
    title: z.string().min(1),
    question: z.string().min(1),
    hypothesis: z.string().min(1),
    task: TrainConfigInputSchema.shape.task,
    base: overridesSchema.default({}),
    arms: z.array(armSchema).default([]),
    sweep: z.record(z.string(), z.array(z.union([z.number(), z.string(), z.boolean()])).min(1)).optional(),
    seeds: seedsSchema.default([...CANONICAL_SEEDS]),
    seeds_reason: z.string().optional(),
    metric: metricSchema,
    secondary: z.array(z.enum(metricNames)).default([]),
    /** Seconds per run before it is stopped and marked timed out. */
    time_limit: z.number().positive().default(120),
    /** Smallest effect that counts (relative; absolute for a solve rate); default 0.05 (DEFAULT_MIN_EFFECT). No default here, so older specs hash the same. */
    min_effect: z.number().min(0).lt(1).optional(),
    /** Track memory traffic (implied by a memory metric): ARD from the clock model, DMD and energy from the LRU stack. */
    track: z.boolean().optional(),
    /** The LRU stack measures one step in this many and extrapolates (1, the default: every step); for big configs. */
    track_every: z.number().int().min(1).optional(),
    /** The finding or TODO item that motivated this experiment. */
    motivated_by: z.string().optional(),
    todo_id: z.string().optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    if (spec.seeds.length < 5 && !spec.seeds_reason) {
      ctx.addIssue({
        code: 'custom',
        path: ['seeds'],
        message: `${spec.seeds.length} seeds is fewer than 5; add seeds (e.g. 42-46) or say why in seeds_reason`,
      });
    }
    const names = new Set<string>();
    for (const [i, arm] of spec.arms.entries()) {
      if (names.has(arm.name))
        ctx.addIssue({ code: 'custom', path: ['arms', i, 'name'], message: `arm name "${arm.name}" is used twice; arm names must be unique` });
      names.add(arm.name);
    }
    const baselines = spec.arms.filter((arm) => arm.baseline).length;
    if (baselines > 1) ctx.addIssue({ code: 'custom', path: ['arms'], message: `${baselines} arms say baseline: true; mark exactly one` });
    if (spec.arms.length === 0 && !spec.sweep)
      ctx.addIssue({ code: 'custom', path: ['arms'], message: 'no arms and no sweep: add at least one arm (name + overrides) or a sweep' });
    for (const key of Object.keys(spec.sweep ?? {})) {
      if (!(key in overridesSchema.shape))
        ctx.addIssue({
          code: 'custom',
          path: ['sweep', key],
          message: `unknown config key "${key}"; sweepable keys: ${Object.keys(overridesSchema.shape).join(', ')}`,
        });
    }
  });

export type SpecInput = z.input<typeof SpecSchema>;
export type Spec = z.output<typeof SpecSchema>;

export type Arm = { name: string; baseline: boolean; overrides: Partial<TrainConfigInput>; config: TrainConfig };

export class SpecError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid experiment spec\n  - ${problems.join('\n  - ')}`);
    this.name = 'SpecError';
  }
}

/** Validates front matter; throws SpecError naming the file, each field path, its value and the fix. */
export function parseSpec(frontMatter: unknown, source = 'spec'): Spec {
  const result = SpecSchema.safeParse(frontMatter);
  if (!result.success) throw new SpecError(source, formatIssues(result.error, frontMatter));
  const spec = result.data;
  expandArms(spec, source); // every arm's config must validate too
  return spec;
}

export function primaryDirection(spec: Spec): 'lower' | 'higher' {
  return spec.metric.direction ?? defaultMetricDirection[spec.metric.name];
}

export function needsTracking(spec: Spec): boolean {
  return spec.track ?? [spec.metric.name, ...spec.secondary].some((m) => memoryMetrics.includes(m));
}

/** Explicit arms, then one arm per sweep combination; a "baseline" arm (base as is) when none is marked. */
export function expandArms(spec: Spec, source = spec.id): Arm[] {
  const raw: { name: string; baseline: boolean; overrides: Record<string, unknown> }[] = spec.arms.map((arm) => ({ ...arm }));
  for (const combination of sweepCombinations(spec.sweep ?? {})) {
    const name = Object.entries(combination)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    if (!raw.some((arm) => arm.name === name)) raw.push({ name, baseline: false, overrides: combination });
  }
  if (!raw.some((arm) => arm.baseline)) {
    const plain = raw.find((arm) => Object.keys(arm.overrides).length === 0);
    if (plain) plain.baseline = true;
    else raw.unshift({ name: 'baseline', baseline: true, overrides: {} });
  }
  const problems: string[] = [];
  const arms: Arm[] = [];
  for (const arm of raw) {
    try {
      const config = parseTrainConfig({ ...spec.base, ...arm.overrides, task: spec.task }, `arm "${arm.name}"`);
      arms.push({ name: arm.name, baseline: arm.baseline, overrides: arm.overrides as Partial<TrainConfigInput>, config });
    } catch (error) {
      problems.push((error as Error).message.replace(/\n\s*/g, ' '));
    }
  }
  if (problems.length > 0) throw new SpecError(source, problems);
  return arms;
}

function sweepCombinations(sweep: Record<string, unknown[]>): Record<string, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(sweep)) {
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value })));
  }
  return Object.keys(sweep).length === 0 ? [] : combos;
}

/** Parses "42-46", "42,44,50-52", 7 or [1, 2]; refuses empty or reversed ranges. */
export function parseSeeds(value: string | number | number[]): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return dedupe(value);
  const seeds: number[] = [];
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (to < from) throw new Error(`seed range "${part}" runs backwards; write it as ${to}-${from}`);
      if (to - from > 10_000) throw new Error(`seed range "${part}" is too long (at most 10001 seeds)`);
      for (let s = from; s <= to; s++) seeds.push(s);
    } else if (/^\d+$/.test(part)) {
      seeds.push(Number(part));
    } else {
      throw new Error(`"${part}" is not a seed; use whole numbers and ranges like 42-46 or 42,43,50-52`);
    }
  }
  if (seeds.length === 0) throw new Error('no seeds given; use e.g. 42-46');
  return dedupe(seeds);
}

function dedupe(seeds: number[]): number[] {
  return [...new Set(seeds)];
}
