// Which planner a command uses: Claude when an API key is set (or --planner claude), the built-in
// rules otherwise, a recorded transcript with --replay. The whole loop works offline by default.
import { createBuiltinPlanner } from './builtin.js';
import { createClaudePlanner, createClaudeReplayPlanner, defaultClaudeModel, type ClaudePlannerOptions, type Effort } from './claude.js';
import { workspaceReader } from './claude-read-tools.js';
import { priceForModel, pricesCheckedOn, type ModelPrice } from '../llm/prices.js';
import type { Planner } from './planner.js';
import { parseTranscript } from '../llm/transcript.js';
import { readText } from '../io/workspace-files.js';
import { UserError } from '../user-error.js';

export type PlannerChoice = {
  planner?: string | undefined;
  apiKey?: string | undefined;
  baseURL?: string | undefined;
  model?: string | undefined;
  budgetUsd?: number | undefined;
  /** Spend already committed (commit trailers) that counts against budgetUsd. */
  spentUsd?: number | undefined;
  replayPath?: string | undefined;
  /** Per-request timeout in seconds (--request-timeout). */
  requestTimeoutSeconds?: number | undefined;
  effort?: Effort | undefined;
  /** USD per million input and output tokens (--price IN,OUT), for a model the table does not list. */
  price?: ModelPrice | undefined;
  /** Cancels a request in flight (Ctrl-C). */
  signal?: AbortSignal | undefined;
  /** The workspace the read tools (read_finding, read_results, read_spec) read. */
  workspace?: string | undefined;
  /** The night's end (ms on the clock's `now`): outage pauses stop there. */
  outageDeadlineMs?: number | undefined;
  now?: (() => number) | undefined;
  log?: ((line: string) => void) | undefined;
};

export class PlannerChoiceError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'PlannerChoiceError';
  }
}

export async function selectPlanner(choice: PlannerChoice): Promise<Planner> {
  if (choice.replayPath) {
    const text = await readText(choice.replayPath).catch(() => {
      throw new PlannerChoiceError(`--replay ${choice.replayPath}: cannot read the transcript; give results/<id>/llm-transcript.json`);
    });
    return createClaudeReplayPlanner(
      parseTranscript(text, choice.replayPath),
      choice.replayPath,
      choice.workspace ? workspaceReader(choice.workspace) : undefined,
    );
  }
  const name = choice.planner ?? (choice.apiKey ? 'claude' : 'builtin');
  if (name === 'builtin') return createBuiltinPlanner();
  if (name !== 'claude') throw new PlannerChoiceError(`--planner "${name}": use builtin or claude`);
  if (!choice.apiKey)
    throw new PlannerChoiceError('--planner claude needs ANTHROPIC_API_KEY in the environment (or use --planner builtin, which works offline)');
  const model = choice.model ?? defaultClaudeModel;
  if (choice.budgetUsd !== undefined && !choice.price && !priceForModel(model)) {
    throw new PlannerChoiceError(
      `--budget-usd cannot be kept for model "${model}": the price table (checked ${pricesCheckedOn}) does not list it; give its price with --price IN,OUT (USD per million input, output tokens)`,
    );
  }
  return createClaudePlanner(claudeOptions(choice, choice.apiKey));
}

function claudeOptions(choice: PlannerChoice, apiKey: string): ClaudePlannerOptions {
  const options: ClaudePlannerOptions = { apiKey };
  if (choice.model) options.model = choice.model;
  if (choice.baseURL) options.baseURL = choice.baseURL;
  if (choice.budgetUsd !== undefined) options.budgetUsd = choice.budgetUsd;
  if (choice.spentUsd !== undefined) options.spentUsd = choice.spentUsd;
  if (choice.requestTimeoutSeconds !== undefined) options.timeoutMs = choice.requestTimeoutSeconds * 1000;
  if (choice.effort) options.effort = choice.effort;
  if (choice.price) options.price = choice.price;
  if (choice.signal) options.signal = choice.signal;
  if (choice.workspace) options.reader = workspaceReader(choice.workspace);
  if (choice.now) options.now = choice.now;
  if (choice.log) options.log = choice.log;
  if (choice.outageDeadlineMs !== undefined) options.outage = { deadlineMs: choice.outageDeadlineMs, ...(choice.now ? { now: choice.now } : {}) };
  return options;
}
