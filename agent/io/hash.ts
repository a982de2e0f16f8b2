// Stable hashes: canonical JSON (sorted keys) through sha256. results_hash leaves out wall times,
// so the same spec gives the same hash on any machine.
import { createHash } from 'node:crypto';
import type { ArmRuns, Spec } from '../../core/index.js';

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner && typeof inner === 'object' && !Array.isArray(inner) && !ArrayBuffer.isView(inner)) {
      return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return inner;
  });
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const wallTimeFields = new Set(['elapsed_ms', 'time_to_solve_ms']);

/** Hash of spec and runs without wall-clock fields. */
export function resultsHash(spec: Spec, arms: ArmRuns[]): string {
  const stripped = arms.map((arm) => ({
    name: arm.name,
    baseline: arm.baseline,
    config: arm.config,
    runs: arm.runs.map((run) => Object.fromEntries(Object.entries(run).filter(([key]) => !wallTimeFields.has(key)))),
  }));
  return sha256(canonicalJson({ spec, arms: stripped }));
}

export function specHash(spec: Spec): string {
  return sha256(canonicalJson(spec));
}
