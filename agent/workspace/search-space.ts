// experiments/search-space.yaml: the methods and parameter values a planner may propose (ordered lists,
// so "one step further" is the next value). The runner itself accepts any valid spec.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatIssues } from '../../core/index.js';
import type { SearchSpace } from '../planners/planner.js';
import { UserError } from '../user-error.js';

export const SEARCH_SPACE_PATH = 'experiments/search-space.yaml';

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

export const defaultSearchSpaceText = `# What a planner may propose (lab cycle / lab loop). Values are ordered: the built-in planner's
# "one step further" is the next value in a list. The runner itself accepts any valid spec.
tasks: [parity, sum, and, mod-add, mod-mul]
parameters:
  n_bits: [10, 20, 30, 40, 50]
  k: [2, 3, 4, 5]
  hidden: [50, 100, 200, 400]
  lr: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5]
  wd: [0, 0.001, 0.01, 0.1, 1.0]
  batch_size: [1, 4, 8, 16, 32, 64, 128]
  n_train: [200, 500, 1000, 2000, 5000]
  n_test: [200, 500, 1000]
  max_epochs: [100, 200, 500, 1000]
  loss: [hinge, logistic, mse]
  optimizer: [sgd, sign-sgd, grokfast, egd]
  grokfast_alpha: [0.9, 0.95, 0.98, 0.99]
  grokfast_lambda: [0.5, 1, 2, 5]
  order: [standard, fused, per-layer]
  algorithm: [backprop, forward-forward]
limits:
  max_seeds: 20
  max_time_limit: 300
  max_epochs: 1000
  max_runs: 120
`;
