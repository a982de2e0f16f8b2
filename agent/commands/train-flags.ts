// `lab train`'s config flags, derived from the config schema in core (keys, enums, numbers, lists, defaults;
// kebab-case), and their values turned into a validated TrainConfig with errors that name the flag, the value
// and what is allowed.
import { z } from 'zod';
import { parseSeeds, SpecSchema, TrainConfigSchema, trainConfigFields, type TrainConfig } from '../../core/index.js';
import { formatSeeds } from '../findings/format.js';
import { UserError } from '../user-error.js';
import type { ValueFlag } from './define.js';

export type FlagValues = Record<string, string | boolean | undefined>;

type ConfigKey = keyof typeof trainConfigFields;
type FieldKind = { kind: 'number' | 'list' | 'text'; choices?: readonly string[]; defaultValue?: unknown };

export const configKeys = Object.keys(trainConfigFields) as ConfigKey[];

/** The seeds of a spec that names none (42-46), from the spec schema. */
export const defaultSeeds: number[] = SpecSchema.shape.seeds.parse(undefined);

export function flagName(key: string): string {
  return `--${key.replace(/_/g, '-')}`;
}

/** What the schema says about a field: its kind, its choices (enums) and its default. */
function fieldKind(schema: z.ZodType): FieldKind {
  if (schema instanceof z.ZodDefault) return { ...fieldKind(schema.unwrap() as z.ZodType), defaultValue: schema.def.defaultValue };
  if (schema instanceof z.ZodOptional) return fieldKind(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodNumber) return { kind: 'number' };
  if (schema instanceof z.ZodArray) return { kind: 'list' };
  if (schema instanceof z.ZodEnum) return { kind: 'text', choices: schema.options as string[] };
  return { kind: 'text' };
}

const fieldKinds = new Map(configKeys.map((key) => [key, fieldKind(trainConfigFields[key])]));

/** One flag per config key; the values stay text until configFromFlags, so the schema applies its own defaults. */
export function configFlags(): Record<string, ValueFlag<string>> {
  return Object.fromEntries(
    configKeys.map((key) => {
      const { kind, choices, defaultValue } = fieldKinds.get(key)!;
      const flag: ValueFlag<string> = {
        type: 'value',
        value: kind === 'list' ? 'list' : kind === 'number' ? 'number' : 'name',
        description: trainConfigFields[key].description ?? `config key ${key}`,
        ...(choices ? { choices } : {}),
        ...(defaultValue !== undefined ? { shownDefault: String(defaultValue) } : {}),
      };
      return [flagName(key).slice(2), flag];
    }),
  );
}

/** The config named by the flags (defaults: the canonical configuration of the seeds). */
export function configFromFlags(values: FlagValues): TrainConfig {
  const input: Record<string, unknown> = {};
  for (const key of configKeys) {
    const raw = values[flagName(key).slice(2)];
    if (raw === undefined || typeof raw === 'boolean') continue;
    input[key] = convertFlag(key, raw);
  }
  const parsed = TrainConfigSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const flag = key ? flagName(key) : 'flags';
      const given = key in input ? ` ${JSON.stringify(input[key])}` : '';
      return `${flag}${given}: ${issue.message}`;
    });
    throw new UserError(lines.join('\n'));
  }
  return parsed.data;
}

function convertFlag(key: ConfigKey, raw: string): unknown {
  const { kind } = fieldKinds.get(key)!;
  if (kind === 'list') {
    const stages = raw.split(',').map((part) => Number(part.trim()));
    if (stages.some((stage) => !Number.isInteger(stage))) {
      throw new UserError(`${flagName(key)} "${raw}": give comma-separated whole numbers, e.g. ${flagName(key)} 10,20`);
    }
    return stages;
  }
  if (kind === 'number') {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw new UserError(`${flagName(key)} "${raw}": expected a number`);
    return value;
  }
  return raw;
}

export const seedsFlag: ValueFlag<string> = {
  type: 'value',
  value: 'seeds',
  description: 'ranges and lists, e.g. 42,44,50-52',
  shownDefault: formatSeeds(defaultSeeds),
};

export function seedsFromFlag(raw: string | boolean | undefined): number[] {
  if (typeof raw !== 'string') return defaultSeeds;
  try {
    return parseSeeds(raw);
  } catch (error) {
    throw new UserError(`--seeds "${raw}": ${(error as Error).message}`);
  }
}
