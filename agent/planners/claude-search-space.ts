// Keeps a proposed spec inside experiments/search-space.yaml: allowed task, config and run-setting values
// (the knobs of workspace/search-knobs.ts), seed / time / epoch / run limits. Returns problems as lines the model can act on (empty = inside).
import { expandArms, type Spec } from '../../core/index.js';
import type { SearchSpace } from '../domain.js';
import { searchKnobs } from '../workspace/search-knobs.js';

/**
 * `input` is the spec as written (parseSpec fills every default into base and overrides, so only the
 * input tells which keys the planner chose); `spec` is its parsed form, for seeds, limits and arms.
 */
export function checkSpecInSearchSpace(input: Record<string, unknown>, spec: Spec, space: SearchSpace, source = 'spec'): string[] {
  const problems: string[] = [];
  if (!space.tasks.includes(spec.task)) {
    problems.push(`${source}.task (got ${JSON.stringify(spec.task)}): not in the search space; allowed tasks: ${space.tasks.join(', ')}`);
  }
  for (const [key, value] of entries(input.base)) problems.push(...checkValue(space, `${source}.base.${key}`, key, value));
  for (const [i, arm] of (Array.isArray(input.arms) ? input.arms : []).entries()) {
    for (const [key, value] of entries(isRecord(arm) ? arm.overrides : undefined))
      problems.push(...checkValue(space, `${source}.arms.${i}.overrides.${key}`, key, value));
  }
  for (const [key, values] of entries(input.sweep)) {
    for (const value of Array.isArray(values) ? values : [values]) problems.push(...checkValue(space, `${source}.sweep.${key}`, key, value));
  }
  for (const knob of searchKnobs.filter((candidate) => candidate.scope === 'spec'))
    problems.push(...checkValue(space, `${source}.${knob.key}`, knob.key, input[knob.key]));
  problems.push(...checkLimits(spec, space, source));
  return [...new Set(problems)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function entries(value: unknown): [string, unknown][] {
  return isRecord(value) ? Object.entries(value) : [];
}

function checkValue(space: SearchSpace, path: string, key: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (key === 'max_epochs') {
    // Bounded by a limit rather than a value list.
    return typeof value === 'number' && value > space.limits.max_epochs ? [`${path} (got ${value}): above the limit of ${space.limits.max_epochs} epochs`] : [];
  }
  const allowed = space.parameters[key];
  if (!allowed) {
    return [
      `${path}: "${key}" is not a parameter of the search space; keys you may set: ${Object.keys(space.parameters).join(', ')} (and max_epochs up to ${space.limits.max_epochs})`,
    ];
  }
  const wanted = JSON.stringify(value);
  if (allowed.some((candidate) => JSON.stringify(candidate) === wanted)) return [];
  return [`${path} (got ${wanted}): not in the search space; allowed values: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`];
}

function checkLimits(spec: Spec, space: SearchSpace, source: string): string[] {
  const { limits } = space;
  const problems: string[] = [];
  if (spec.seeds.length > limits.max_seeds) {
    problems.push(`${source}.seeds: ${spec.seeds.length} seeds exceed the limit of ${limits.max_seeds}; use at most ${limits.max_seeds}`);
  }
  if (spec.time_limit > limits.max_time_limit) {
    problems.push(`${source}.time_limit (got ${spec.time_limit}): above the limit of ${limits.max_time_limit} seconds per run`);
  }
  let arms: ReturnType<typeof expandArms>;
  try {
    arms = expandArms(spec, source);
  } catch {
    return problems; // parseSpec already reported invalid arm configs
  }
  for (const arm of arms) {
    if (arm.config.max_epochs > limits.max_epochs) {
      problems.push(`${source}: arm "${arm.name}" has max_epochs ${arm.config.max_epochs}, above the limit of ${limits.max_epochs}`);
    }
  }
  const runs = arms.length * spec.seeds.length;
  if (runs > limits.max_runs) {
    problems.push(`${source}: ${arms.length} arms x ${spec.seeds.length} seeds = ${runs} runs, above the limit of ${limits.max_runs}; drop arms or seeds`);
  }
  return problems;
}
