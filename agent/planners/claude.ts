// The Claude planner: sends the lab's state to Claude, takes its answer only as a tool call validated
// with the same zod schemas as spec files (and, for an interpretation, against the numbers), sends the
// problems back once, and records every exchange, summarised reasoning included.
import type { ExperimentResults } from '../../core/index.js';
import type Anthropic from '@anthropic-ai/sdk';
import { LlmClient, type LlmClientOptions } from '../llm/client.js';
import { createReplayMiddleware } from '../llm/replay.js';
import type { Transcript } from '../llm/transcript.js';
import { converse, type ConversationSetup, type Step, type ToolReader } from './claude-conversation.js';
import { validateInterpretation, validatePlanAnswer } from './claude-output.js';
import { interpretToolsFor, planToolsFor, type Tool } from './claude-tools.js';
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

/** The LLM client's options (key, budget, retries, timeout, outage, price, middleware, clock, log), then the conversation's. */
export type ClaudePlannerOptions = Omit<LlmClientOptions, 'model'> & {
  model?: string;
  maxTokens?: number;
  /** output_config.effort; left to the model's default when unset. */
  effort?: Effort;
  /** Adaptive thinking with summarised reasoning (kept in the transcript); default on. */
  thinking?: boolean;
  /** Answers read_finding / read_results / read_spec; without one the model gets no read tools. */
  reader?: ToolReader;
  maxReads?: number;
};

export interface ClaudePlanner extends Planner {
  readonly model: string;
  /** Every exchange since the last reset: save it as results/<id>/llm-transcript.json. */
  transcript(): Transcript;
  spentUsd(): number;
}

export function createClaudePlanner(options: ClaudePlannerOptions): ClaudePlanner {
  const { model = defaultClaudeModel, maxTokens = defaultMaxTokens, effort, thinking = true, reader, maxReads = defaultMaxReads, ...clientOptions } = options;
  const client = new LlmClient({ ...clientOptions, model });
  const conversation = { client, model, maxTokens, maxTokensCeiling: Math.max(maxTokensCeiling, maxTokens), effort, thinking, readTools, reader, maxReads };
  const ask = <T>(step: Step, context: PlanningContext, user: Anthropic.TextBlockParam[], answerTools: Tool[], validate: ConversationSetup<T>['validate']) =>
    converse({ ...conversation, step, system: systemBlocks(context), user, answerTools, validate });
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
