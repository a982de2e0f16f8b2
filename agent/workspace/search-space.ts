// experiments/search-space.yaml: the methods and parameter values a planner may propose (ordered lists,
// so "one step further" is the next value). The runner itself accepts any valid spec.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatIssues } from '../../core/index.js';
import type { SearchSpace } from '../domain.js';
import { UserError } from '../user-error.js';

export { SEARCH_SPACE_PATH } from './paths.js';
import { SEARCH_SPACE_PATH } from './paths.js';

const SearchSpaceSchema = z
  .object({
    tasks: z.array(z.string()).min(1),
    parameters: z.record(z.string(), z.array(z.union([z.number(), z.string()])).min(1)),
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

export class SearchSpaceError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'SearchSpaceError';
  }
}

export function parseSearchSpace(text: string, file = SEARCH_SPACE_PATH): SearchSpace {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new SearchSpaceError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = SearchSpaceSchema.safeParse(data);
  if (!parsed.success) throw new SearchSpaceError(`${file}: invalid search space\n  - ${formatIssues(parsed.error, data).join('\n  - ')}`);
  return parsed.data;
}
