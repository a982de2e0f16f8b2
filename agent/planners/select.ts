// Which planner a command uses: Claude when an API key is set (or --planner claude), the built-in
// rules otherwise, a recorded transcript with --replay. The whole loop works offline by default.
import { createBuiltinPlanner } from './builtin.js';
import { createClaudePlanner, createClaudeReplayPlanner, defaultClaudeModel, type ClaudePlannerOptions } from './claude.js';
import { workspaceReader } from './claude-read-tools.js';
import { priceForModel, pricesCheckedOn } from '../llm/prices.js';
import type { Planner } from './planner.js';
import { parseTranscript } from '../llm/transcript.js';
import { readText } from '../io/workspace-files.js';
import { UserError } from '../user-error.js';

/** The Claude options a command passes as they are, and the ones it names in its own terms (flags, the workspace, the night's end). */
export type PlannerChoice = Partial<
  Pick<ClaudePlannerOptions, 'apiKey' | 'baseURL' | 'model' | 'budgetUsd' | 'spentUsd' | 'effort' | 'price' | 'signal' | 'now' | 'log'>
> & {
  planner?: string | undefined;
  replayPath?: string | undefined;
  /** Per-request timeout in seconds (--request-timeout). */
  requestTimeoutSeconds?: number | undefined;
  /** The workspace the read tools (read_finding, read_results, read_spec) read. */
  workspace?: string | undefined;
  /** The night's end (ms on the clock's `now`): outage pauses stop there. */
  outageDeadlineMs?: number | undefined;
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
  const { planner: _planner, replayPath: _replayPath, requestTimeoutSeconds, workspace, outageDeadlineMs, ...passed } = choice;
  return {
    ...passed,
    apiKey,
    model: choice.model || undefined,
    baseURL: choice.baseURL || undefined,
    timeoutMs: requestTimeoutSeconds === undefined ? undefined : requestTimeoutSeconds * 1000,
    reader: workspace ? workspaceReader(workspace) : undefined,
    outage: outageDeadlineMs === undefined ? undefined : { deadlineMs: outageDeadlineMs, ...(choice.now ? { now: choice.now } : {}) },
  };
}
