// `lab train`'s config flags, derived from the config schema in core (keys, enums, numbers, lists, defaults;
// kebab-case), and their values turned into a validated TrainConfig with errors that name the flag, the value
// and what is allowed.
import type { z } from 'zod';
import { parseSeeds, SpecSchema, TrainConfigSchema, trainConfigFields, type TrainConfig } from '../../core/index.js';
import { formatSeeds } from '../findings/format.js';
import { UserError } from '../user-error.js';
import { knobOf } from '../workspace/search-knobs.js';
import type { ValueFlag } from './define.js';

export type FlagValues = Record<string, string | boolean | undefined>;

type ConfigKey = keyof typeof trainConfigFields;

export const configKeys = Object.keys(trainConfigFields) as ConfigKey[];

/** The seeds of a spec that names none (42-46), from the spec schema. */
export const defaultSeeds: number[] = SpecSchema.shape.seeds.parse(undefined);

export function flagName(key: string): string {
  return `--${key.replace(/_/g, '-')}`;
}

/** What the schema says about each key (kind, an enum's choices, the default), read as the search space reads it. */
const knobs = new Map(configKeys.map((key) => [key, knobOf(key, 'config', trainConfigFields[key] as z.ZodType)]));

/** One flag per config key; the values stay text until configFromFlags, so the schema applies its own defaults. */
export function configFlags(): Record<string, ValueFlag<string>> {
  return Object.fromEntries(
    configKeys.map((key) => {
      const { kind, choices, default: defaultValue } = knobs.get(key)!;
      const flag: ValueFlag<string> = {
        type: 'value',
        value: kind === 'stage-list' ? 'list' : kind === 'enum' ? 'name' : 'number',
        description: trainConfigFields[key].description ?? `config key ${key}`,
        ...(choices ? { choices } : {}),
        ...(defaultValue !== null ? { shownDefault: String(defaultValue) } : {}),
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
  const { kind } = knobs.get(key)!;
  if (kind === 'stage-list') {
    const stages = raw.split(',').map((part) => Number(part.trim()));
    if (stages.some((stage) => !Number.isInteger(stage))) {
      throw new UserError(`${flagName(key)} "${raw}": give comma-separated whole numbers, e.g. ${flagName(key)} 10,20`);
    }
    return stages;
  }
  if (kind !== 'enum') {
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
