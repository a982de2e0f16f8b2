// The Claude planner: sends the lab's state to Claude, takes its answer only as a tool call validated
// with the same zod schemas as spec files, sends the problems back once, and records every exchange.
import type Anthropic from '@anthropic-ai/sdk';
import type { ExperimentResults } from '../../core/index.js';
import { LlmClient, type Fetch, type MessageResponse } from '../llm/client.js';
import { createReplayFetch } from '../llm/replay.js';
import type { Transcript } from '../llm/transcript.js';
import { PlannerOutputError, interpretTools, planTools, validateInterpretation, validatePlanAnswer, type Validated } from './claude-output.js';
import { interpretMessage, planMessage, systemPrompt } from './claude-prompts.js';
import type { Plan, Planner, PlanningContext } from './planner.js';
import type { Interpretation } from '../domain.js';

export { PlannerOutputError } from './claude-output.js';
export { BudgetExceededError } from '../llm/client.js';

/** Sonnet 5.5: the SDK's current Sonnet, $2 / $10 per million tokens, plenty for writing specs. */
export const defaultClaudeModel = 'claude-sonnet-5-5';
/** Room for adaptive thinking plus a spec; below the SDK's 21,333-token non-streaming ceiling. */
export const defaultMaxTokens = 16_000;

export type ClaudePlannerOptions = {
  apiKey: string;
  model?: string;
  baseURL?: string;
  /** USD; requests stop (BudgetExceededError) once spentUsd + this planner's cost reaches it. */
  budgetUsd?: number;
  /** Spend from earlier cycles that counts against the budget. */
  spentUsd?: number;
  /** SDK retries on 429 / 5xx / 529 (exponential backoff, honouring retry-after-ms / retry-after). */
  maxRetries?: number;
  fetch?: Fetch;
  maxTokens?: number;
  /** output_config.effort; left to the model's default when unset. */
  effort?: 'low' | 'medium' | 'high';
  now?: () => number;
};

export interface ClaudePlanner extends Planner {
  readonly model: string;
  /** Every exchange since the last reset: save it as results/<id>/llm-transcript.json. */
  transcript(): Transcript;
  spentUsd(): number;
}

type Tool = { name: string };
type Step = 'plan' | 'interpret';

export function createClaudePlanner(options: ClaudePlannerOptions): ClaudePlanner {
  const model = options.model ?? defaultClaudeModel;
  const client = new LlmClient({
    apiKey: options.apiKey,
    model,
    baseURL: options.baseURL,
    maxRetries: options.maxRetries,
    fetch: options.fetch,
    budgetUsd: options.budgetUsd,
    spentUsd: options.spentUsd,
    now: options.now,
  });
  const ask = <T>(step: Step, userText: string, tools: Tool[], validate: (toolName: string, input: unknown) => Validated<T>) =>
    askWithOneRetry({ client, model, maxTokens: options.maxTokens ?? defaultMaxTokens, effort: options.effort, step, userText, tools, validate });
  return {
    name: 'claude',
    model,
    plan: (context: PlanningContext): Promise<Plan> =>
      ask('plan', planMessage(context), planTools, (toolName, input) => validatePlanAnswer(toolName, input, context)),
    interpret: (context: PlanningContext, results: ExperimentResults): Promise<Interpretation> =>
      ask('interpret', interpretMessage(context, results), interpretTools, (_toolName, input) => validateInterpretation(input, context, results)),
    usage: () => client.usage(),
    transcript: () => client.transcript(),
    resetTranscript: () => client.resetTranscript(),
    spentUsd: () => client.spentUsd(),
  };
}

/** A planner that answers from a recorded transcript, offline; the planning steps must match the recording. */
export function createClaudeReplayPlanner(transcript: Transcript, source = 'llm-transcript.json'): ClaudePlanner {
  return createClaudePlanner({
    apiKey: 'replay-needs-no-key',
    model: transcript.model,
    baseURL: 'http://replay.invalid',
    maxRetries: 0,
    fetch: createReplayFetch(transcript, source),
  });
}

type AskSetup<T> = {
  client: LlmClient;
  model: string;
  maxTokens: number;
  effort: 'low' | 'medium' | 'high' | undefined;
  step: Step;
  userText: string;
  tools: Tool[];
  validate: (toolName: string, input: unknown) => Validated<T>;
};

/**
 * tool_choice stays "auto": the current models (Sonnet 5.5, Opus 5.5, Fable 5.1) reject a forced tool
 * with a 400. A missing or invalid call is answered once with the problems; a second miss throws.
 */
async function askWithOneRetry<T>(setup: AskSetup<T>): Promise<T> {
  const { client, step, tools } = setup;
  const toolNames = tools.map((tool) => tool.name);
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: setup.userText }];
  let problems: string[] = [];
  for (let round = 0; round < 2; round++) {
    const message = await client.create(
      {
        model: setup.model,
        max_tokens: setup.maxTokens,
        system: systemPrompt(),
        messages,
        tools: tools as Anthropic.Tool[],
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
        ...(setup.effort ? { output_config: { effort: setup.effort } } : {}),
      },
      step,
    );
    const answer = readAnswer(message, toolNames, setup.validate);
    if (answer.ok) return answer.value;
    problems = answer.problems;
    // The assistant turn goes back verbatim: thinking blocks are bound to the conversation that made them.
    messages.push({ role: 'assistant', content: message.content as Anthropic.ContentBlockParam[] });
    messages.push({ role: 'user', content: feedback(message, problems, toolNames) });
  }
  throw new PlannerOutputError(step, problems);
}

function toolUses(message: MessageResponse): Anthropic.ToolUseBlock[] {
  return message.content.filter((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
}

function readAnswer<T>(message: MessageResponse, toolNames: string[], validate: (toolName: string, input: unknown) => Validated<T>): Validated<T> {
  const uses = toolUses(message);
  if (uses.length === 0) {
    const why =
      message.stop_reason === 'max_tokens' ? 'the answer was cut off at max_tokens before a tool call; answer more briefly' : 'the answer had no tool call';
    return { ok: false, problems: [`${why}: call one of ${toolNames.join(', ')}`] };
  }
  if (uses.length > 1) return { ok: false, problems: [`${uses.length} tool calls: call exactly one of ${toolNames.join(', ')}`] };
  const use = uses[0]!;
  if (!toolNames.includes(use.name)) return { ok: false, problems: [`unknown tool "${use.name}": call one of ${toolNames.join(', ')}`] };
  return validate(use.name, use.input);
}

/** A tool_result with is_error for each call (the API requires one per tool_use), else plain text. */
function feedback(message: MessageResponse, problems: string[], toolNames: string[]): Anthropic.ContentBlockParam[] {
  const text = `Rejected:\n- ${problems.join('\n- ')}\nCall ${toolNames.join(' or ')} again with every problem fixed.`;
  const uses = toolUses(message);
  if (uses.length === 0) return [{ type: 'text', text }];
  return uses.map((use, i) => ({
    type: 'tool_result' as const,
    tool_use_id: use.id,
    is_error: true,
    content: i === 0 ? text : 'Rejected; see the first result.',
  }));
}
