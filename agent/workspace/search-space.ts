// experiments/search-space.yaml: the ordered value lists a planner may propose (so "one step further" is the next
// value). The keys come from the core (search-knobs.ts): an enum the file leaves out allows all of the core's values,
// a number it leaves out only its default. The runner itself accepts any valid spec.
import { z } from 'zod';
import { taskNames } from '../../core/index.js';
import type { SearchSpace, SearchValue } from '../domain.js';
import { UserError } from '../user-error.js';
import { SEARCH_SPACE_PATH } from './paths.js';
import { knobNamed, knobsBoundElsewhere, searchKnobs } from './search-knobs.js';
import { parseYamlFile } from './yaml-file.js';

const SearchSpaceFileSchema = z
  .object({
    tasks: z.array(z.enum(taskNames)).min(1),
    parameters: z.record(z.string(), z.array(z.unknown()).min(1)),
    limits: z
      .object({
        max_seeds: z.number().int().positive(),
        max_time_limit: z.number().positive(),
        max_epochs: z.number().int().positive(),
        max_runs: z.number().int().positive(),
      })
      .strict(),
  })
  .strict();

export class SearchSpaceError extends UserError {}

export function parseSearchSpace(text: string, file = SEARCH_SPACE_PATH): SearchSpace {
  const data = parseYamlFile(text, file, SearchSpaceFileSchema, { what: 'search space', failure: SearchSpaceError });
  const problems = Object.entries(data.parameters).flatMap(([key, values]) => checkListed(key, values));
  if (problems.length > 0) throw new SearchSpaceError(`${file}: invalid search space\n  - ${problems.join('\n  - ')}`);
  return { tasks: data.tasks, parameters: withCoreKnobs(data.parameters as Record<string, SearchValue[]>), limits: data.limits };
}

/** A listed key must be a knob of the core and each value valid for it (the core's own schema says why not). */
function checkListed(key: string, values: unknown[]): string[] {
  const knob = knobNamed(key);
  if (!knob) {
    if (knobsBoundElsewhere.includes(key))
      return key === 'max_epochs' ? [] : [`parameters.${key}: set by "tasks", not a parameter list; move the values there`];
    return [`parameters.${key}: not a knob of the core; knobs: ${searchKnobs.map((candidate) => candidate.key).join(', ')} (and max_epochs)`];
  }
  return values.flatMap((value, i) => {
    const result = knob.schema.safeParse(value);
    if (result.success) return [];
    const why = result.error.issues.map((issue) => issue.message).join('; ');
    return [`parameters.${key}.${i} (got ${JSON.stringify(value)}): not a valid ${key}: ${why}; fix or remove the value`];
  });
}

/** The file's lists, then every knob it leaves out: an enum with all its values, a number with its default only. */
function withCoreKnobs(listed: Record<string, SearchValue[]>): Record<string, SearchValue[]> {
  const parameters: Record<string, SearchValue[]> = { ...listed };
  for (const knob of searchKnobs) {
    if (parameters[knob.key] !== undefined) continue;
    if (knob.choices) parameters[knob.key] = [...knob.choices];
    else if (knob.default !== null) parameters[knob.key] = [knob.default];
  }
  return parameters;
}
