// What each arm changes relative to the baseline arm's full training config (keys in a stable order).
import { trainConfigFields, type TrainConfig } from '../../core/index.js';

export type ConfigChange = { key: string; from: unknown; to: unknown };

/** The order config keys are listed in: the config schema's (the seeds' config-table order), then unknown keys alphabetically. */
const keyOrder = Object.keys(trainConfigFields);

export function orderedConfigKeys(config: TrainConfig | Record<string, unknown>): string[] {
  const keys = Object.keys(config);
  const known = keyOrder.filter((key) => keys.includes(key));
  const rest = keys.filter((key) => !keyOrder.includes(key)).sort();
  return [...known, ...rest];
}

export function formatConfigValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function configChanges(baseline: TrainConfig, arm: TrainConfig): ConfigChange[] {
  const keys = orderedConfigKeys({ ...baseline, ...arm });
  const base = baseline as Record<string, unknown>;
  const changed = arm as Record<string, unknown>;
  return keys.filter((key) => !sameValue(base[key], changed[key])).map((key) => ({ key, from: base[key], to: changed[key] }));
}

/** "optimizer=egd, lr=0.005", or "no change" when the arm runs the baseline config. */
export function describeChanges(changes: readonly ConfigChange[]): string {
  if (changes.length === 0) return 'no change';
  return changes.map((change) => `${change.key}=${formatConfigValue(change.to)}`).join(', ');
}
