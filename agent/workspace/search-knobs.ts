// The knobs a planner may turn, derived from the core's config schema (core/config.ts) and the spec's own run
// settings, so a new config key cannot be left out of the search space. One source for the search-space parser,
// the validator of proposed specs, and the Claude planner's prompt and tool schema.
import { z } from 'zod';
import { SpecSchema, trainConfigFields } from '../../core/index.js';
import type { SearchSpace, SearchValue } from '../domain.js';

export type KnobKind = 'enum' | 'integer' | 'number' | 'stage-list';

export type SearchKnob = {
  key: string;
  /** 'config': a key of base / arm overrides / sweep; 'spec': a top-level spec key (a run setting). */
  scope: 'config' | 'spec';
  kind: KnobKind;
  /** An enum's values, in the core's order; null for numbers and stage lists. */
  choices: readonly string[] | null;
  /** The core's default (what an absent key means), or null when absence means "off" (curriculum, backend). */
  default: SearchValue | null;
  /** Validates one value of this knob (the core's own schema for the key). */
  schema: z.ZodType;
};

/** Keys the search space bounds another way: the task by `tasks`, max_epochs by `limits.max_epochs`. */
export const knobsBoundElsewhere: readonly string[] = ['task', 'max_epochs'];
/** Spec keys a planner may set besides the config (run settings that change no training maths). */
const specKnobKeys = ['track_every'] as const;

function unwrapped(schema: z.ZodType): { inner: z.ZodType; default: SearchValue | null } {
  if (schema instanceof z.ZodDefault) return { inner: schema.unwrap() as z.ZodType, default: schema.def.defaultValue as SearchValue };
  if (schema instanceof z.ZodOptional) return { inner: schema.unwrap() as z.ZodType, default: null };
  return { inner: schema, default: null };
}

export function knobOf(key: string, scope: SearchKnob['scope'], schema: z.ZodType): SearchKnob {
  const { inner, default: fallback } = unwrapped(schema);
  const base = { key, scope, default: fallback, schema: inner };
  if (inner instanceof z.ZodEnum) return { ...base, kind: 'enum', choices: inner.options.map(String) };
  if (inner instanceof z.ZodArray) return { ...base, kind: 'stage-list', choices: null };
  if (inner instanceof z.ZodNumber) return { ...base, kind: inner.isInt ? 'integer' : 'number', choices: null };
  throw new Error(`search-knobs: config key "${key}" has a schema kind the search space does not know (${inner.constructor.name}); teach knobOf about it`);
}

/** Every knob, config keys in core/config.ts order, then the spec's run settings. */
export const searchKnobs: readonly SearchKnob[] = [
  ...Object.entries(trainConfigFields)
    .filter(([key]) => !knobsBoundElsewhere.includes(key))
    .map(([key, schema]) => knobOf(key, 'config', schema as z.ZodType)),
  ...specKnobKeys.map((key) => knobOf(key, 'spec', SpecSchema.shape[key] as z.ZodType)),
];

export function knobNamed(key: string): SearchKnob | undefined {
  return searchKnobs.find((knob) => knob.key === key);
}

/** A knob as a planner sees it: its allowed values in this workspace's search space, ordered ("one step further"). */
export type KnobSummary = { key: string; scope: SearchKnob['scope']; kind: KnobKind; values: SearchValue[]; default: SearchValue | null };

/** The knobs of a parsed search space, with their allowed values: what a prompt or tool schema is generated from. */
export function searchSpaceKnobs(space: SearchSpace): KnobSummary[] {
  return searchKnobs
    .filter((knob) => space.parameters[knob.key] !== undefined)
    .map((knob) => ({ key: knob.key, scope: knob.scope, kind: knob.kind, values: space.parameters[knob.key]!, default: knob.default }));
}

/**
 * JSON Schema of what a planner may write in a spec's `base` / arm `overrides` (config knobs, each an enum of its
 * allowed values; max_epochs an integer up to the limit) and of the spec-level knobs: for an LLM tool definition.
 */
export function searchSpaceJsonSchema(space: SearchSpace): { overrides: Record<string, unknown>; spec: Record<string, unknown> } {
  const properties = (scope: SearchKnob['scope']) =>
    Object.fromEntries(searchSpaceKnobs(space).flatMap((knob) => (knob.scope === scope ? [[knob.key, { enum: knob.values }]] : [])));
  return {
    overrides: {
      type: 'object',
      additionalProperties: false,
      properties: { ...properties('config'), max_epochs: { type: 'integer', minimum: 1, maximum: space.limits.max_epochs } },
    },
    spec: {
      type: 'object',
      properties: { task: { enum: space.tasks }, ...properties('spec') },
    },
  };
}

/** The parsed space as lines (tasks, each knob's values, the limits): what the validator enforces, for a prompt. */
export function searchSpaceLines(space: SearchSpace): string[] {
  const { tasks, limits } = space;
  return [
    `tasks: ${tasks.join(', ')}`,
    ...searchSpaceKnobs(space).map(
      (knob) => `${knob.scope === 'spec' ? 'spec ' : ''}${knob.key}: ${knob.values.map((value) => JSON.stringify(value)).join(', ')}`,
    ),
    `limits: at most ${limits.max_seeds} seeds, time_limit <= ${limits.max_time_limit} s per run, max_epochs <= ${limits.max_epochs}, arms x seeds <= ${limits.max_runs} runs`,
  ];
}
