// The flags of `lab cycle` and `lab loop` that shape the Claude planner: budget, request timeout, effort, price.
import { InvalidArgumentError } from 'commander';
import type { ModelPrice } from '../llm/prices.js';
import { effortLevels } from '../planners/claude.js';
import { positiveNumber } from './define.js';

export const claudeFlags = {
  'budget-usd': {
    type: 'value',
    value: 'usd',
    parse: positiveNumber,
    description: 'stop asking Claude once it has cost this much, counting the cycles committed in the last 24 h',
  },
  'request-timeout': {
    type: 'value',
    value: 's',
    parse: positiveNumber,
    description: 'give up on one Claude request after this many seconds',
    shownDefault: '180',
  },
  effort: {
    type: 'value',
    value: 'level',
    choices: effortLevels,
    description: 'how hard Claude thinks (output_config.effort)',
    shownDefault: "the model's default",
  },
  price: { type: 'value', value: 'in,out', parse: parsePrice, description: 'USD per million input, output tokens, for a model the price table does not list' },
} as const;

/** --price 0.8,4: USD per million input tokens, then output tokens. */
export function parsePrice(raw: string): ModelPrice {
  const [input, output, ...rest] = raw.split(',').map((part) => Number(part.trim()));
  if (rest.length > 0 || !Number.isFinite(input) || !Number.isFinite(output) || input! < 0 || output! < 0) {
    throw new InvalidArgumentError('expected IN,OUT in USD per million tokens, e.g. 0.8,4');
  }
  return { input_per_million: input!, output_per_million: output! };
}
