// The Claude planner: sends the lab's state to Claude, takes its answer only as a tool call validated
// with the same zod schemas as spec files (and, for an interpretation, against the numbers), sends the
// problems back once, and records every exchange, summarised reasoning included.
import type { ExperimentResults } from '../../core/index.js';
import { LlmClient, type Middleware } from '../llm/client.js';
import type { OutagePolicy } from '../llm/outage.js';
import type { ModelPrice } from '../llm/prices.js';
import { createReplayMiddleware } from '../llm/replay.js';
import type { Transcript } from '../llm/transcript.js';
import { converse, type Step, type Tool, type ToolReader } from './claude-conversation.js';
import { validateInterpretation, validatePlanAnswer, type Validated } from './claude-output.js';
import { interpretToolsFor, planToolsFor } from './claude-tools.js';
import { interpretBlocks, planBlocks, systemBlocks } from './claude-prompts.js';
import { readTools } from './claude-read-tools.js';
import type { Plan, Planner, PlanningContext } from './planner.js';
import type { Interpretation } from '../domain.js';

export { PlannerOutputError, PlannerStopError } from './claude-output.js';
export { BudgetExceededError } from '../llm/client.js';

/** Sonnet 5.5: the SDK's current Sonnet, $2 / $10 per million tokens, plenty for writing specs. */
export const defaultClaudeModel = 'claude-sonnet-5-5';
/** Room for adaptive thinking plus a spec. */
export const defaultMaxTokens = 16_000;
/** A tool call cut off at max_tokens is asked again once with up to this many. */
export const maxTokensCeiling = 32_000;
/** output_config.effort levels, lowest first. */
export const effortLevels = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
export type Effort = (typeof effortLevels)[number];
/** Rounds of read_finding / read_results / read_spec per step before the model must answer. */
export const defaultMaxReads = 4;

export type ClaudePlannerOptions = {
  apiKey: string;
  model?: string;
  baseURL?: string;
  /** USD; requests stop (BudgetExceededError) once spentUsd + this planner's cost reaches it. */
  budgetUsd?: number;
  /** Spend from earlier cycles that counts against the budget. */
  spentUsd?: number;
  /** SDK retries on 429 / 5xx / 529 (exponential backoff, honouring retry-after-ms / retry-after); default 2. */
  maxRetries?: number;
  /** Per-attempt timeout in ms; default 180 s. */
  timeoutMs?: number;
  /** Cancels the request in flight (Ctrl-C). */
  signal?: AbortSignal;
  /** Pauses after the SDK's retries (bounded by maxWaitMs, e.g. the night's deadline). */
  outage?: Partial<OutagePolicy>;
  /** Overrides the price table (USD per million tokens). */
  price?: ModelPrice;
  middleware?: Middleware[];
  maxTokens?: number;
  /** output_config.effort; left to the model's default when unset. */
  effort?: Effort;
  /** Adaptive thinking with summarised reasoning (kept in the transcript); default on. */
  thinking?: boolean;
  /** Answers read_finding / read_results / read_spec; without one the model gets no read tools. */
  reader?: ToolReader;
  maxReads?: number;
  now?: () => number;
  log?: (line: string) => void;
};

export interface ClaudePlanner extends Planner {
  readonly model: string;
  /** Every exchange since the last reset: save it as results/<id>/llm-transcript.json. */
  transcript(): Transcript;
  spentUsd(): number;
}

export function createClaudePlanner(options: ClaudePlannerOptions): ClaudePlanner {
  const model = options.model ?? defaultClaudeModel;
  const client = new LlmClient({
    apiKey: options.apiKey,
    model,
    ...pick(options, ['baseURL', 'maxRetries', 'middleware', 'budgetUsd', 'spentUsd', 'now', 'timeoutMs', 'signal', 'outage', 'price', 'log']),
  });
  const ask = <T>(
    step: Step,
    context: PlanningContext,
    user: ReturnType<typeof planBlocks>,
    tools: Tool[],
    validate: (name: string, input: unknown) => Validated<T>,
  ) =>
    converse({
      client,
      model,
      maxTokens: options.maxTokens ?? defaultMaxTokens,
      maxTokensCeiling: Math.max(maxTokensCeiling, options.maxTokens ?? 0),
      effort: options.effort,
      thinking: options.thinking ?? true,
      step,
      system: systemBlocks(context),
      user,
      answerTools: tools,
      readTools,
      reader: options.reader,
      maxReads: options.maxReads ?? defaultMaxReads,
      validate,
    });
  return {
    name: 'claude',
    model,
    plan: (context: PlanningContext): Promise<Plan> =>
      ask('plan', context, planBlocks(context), planToolsFor(context.searchSpace), (toolName, input) => validatePlanAnswer(toolName, input, context)),
    interpret: (context: PlanningContext, results: ExperimentResults): Promise<Interpretation> =>
      ask('interpret', context, interpretBlocks(context, results), interpretToolsFor(context.searchSpace), (_toolName, input) =>
        validateInterpretation(input, context, results),
      ),
    usage: () => client.usage(),
    transcript: () => client.transcript(),
    resetTranscript: () => client.resetTranscript(),
    spentUsd: () => client.spentUsd(),
  };
}

/** A planner that answers from a recorded transcript, offline; the planning steps (and what the read tools read) must match the recording. */
export function createClaudeReplayPlanner(transcript: Transcript, source = 'llm-transcript.json', reader?: ToolReader): ClaudePlanner {
  return createClaudePlanner({
    // The read tools answer from the workspace again: at the commit the cycle ran on, the same text as recorded.
    ...(reader ? { reader } : {}),
    apiKey: 'replay-needs-no-key',
    model: transcript.model,
    baseURL: 'http://replay.invalid',
    maxRetries: 0,
    outage: { maxWaitMs: 0 },
    middleware: [createReplayMiddleware(transcript, source)],
  });
}

function pick<T extends object, K extends keyof T>(object: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]])) as Partial<Pick<T, K>>;
}
