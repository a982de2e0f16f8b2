// Turns `lab train` / `lab run` style flags (kebab-case config keys) into a validated TrainConfig,
// with errors that name the flag, the value and what is allowed.
import { parseSeeds, TrainConfigSchema, trainConfigFields, type TrainConfig } from '../../core/index.js';

export type FlagValues = Record<string, string | boolean | undefined>;

export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

export const configKeys = Object.keys(trainConfigFields) as (keyof typeof trainConfigFields)[];

export function flagName(key: string): string {
  return `--${key.replace(/_/g, '-')}`;
}

const numericKeys = new Set(['n_bits', 'k', 'modulus', 'train_fraction', 'hidden', 'lr', 'wd', 'batch_size', 'n_train', 'n_test', 'max_epochs', 'grokfast_alpha', 'grokfast_lambda', 'ff_threshold', 'eval_train_every']);

/** Options for node:util parseArgs: every config key as a string flag. */
export function configFlagOptions(): Record<string, { type: 'string' }> {
  return Object.fromEntries(configKeys.map((key) => [flagName(key).slice(2), { type: 'string' as const }]));
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
    throw new FlagError(lines.join('\n'));
  }
  return parsed.data;
}

function convertFlag(key: string, raw: string): unknown {
  if (key === 'curriculum') {
    const stages = raw.split(',').map((part) => Number(part.trim()));
    if (stages.some((stage) => !Number.isInteger(stage))) {
      throw new FlagError(`${flagName(key)} "${raw}": give comma-separated stage sizes of n, e.g. --curriculum 10,20`);
    }
    return stages;
  }
  if (numericKeys.has(key)) {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw new FlagError(`${flagName(key)} "${raw}": expected a number`);
    return value;
  }
  return raw;
}

export function seedsFromFlag(raw: string | boolean | undefined, fallback = '42-46'): number[] {
  try {
    return parseSeeds(typeof raw === 'string' ? raw : fallback);
  } catch (error) {
    throw new FlagError(`--seeds "${raw}": ${(error as Error).message}`);
  }
}
