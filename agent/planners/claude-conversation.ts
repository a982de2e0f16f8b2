// One planning step as a conversation with Claude: send, then branch on stop_reason (refusal, max_tokens,
// pause_turn, a full context window), answer read-only tool calls from the workspace in a bounded loop,
// and validate the final tool call, sending the problems back once.
import type Anthropic from '@anthropic-ai/sdk';
import type { LlmClient, MessageResponse } from '../llm/client.js';
import { PlannerOutputError, PlannerStopError, type Validated } from './claude-output.js';
import type { Tool } from './claude-tools.js';

export type Step = 'plan' | 'interpret';
/** Answers a read-only tool call (read_finding, ...) with text; unknown names never reach it. */
export type ToolReader = (name: string, input: unknown) => Promise<string>;

export type ConversationSetup<T> = {
  client: LlmClient;
  model: string;
  maxTokens: number;
  /** The model may go this high once, after a tool call was cut off at maxTokens. */
  maxTokensCeiling: number;
  effort: string | undefined;
  thinking: boolean;
  step: Step;
  system: Anthropic.TextBlockParam[];
  user: Anthropic.ContentBlockParam[];
  /** The tools that end the step (propose_experiment, record_interpretation, ...). */
  answerTools: Tool[];
  /** Read-only tools the model may call first, at most maxReads rounds. */
  readTools: Tool[];
  reader: ToolReader | undefined;
  maxReads: number;
  validate: (toolName: string, input: unknown) => Validated<T>;
};

/** pause_turn continues the same turn; a server that pauses forever is cut off here. */
const maxPauses = 3;

export async function converse<T>(setup: ConversationSetup<T>): Promise<T> {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: setup.user }];
  const counts = { rejections: 0, reads: 0, pauses: 0, widened: false };
  let maxTokens = setup.maxTokens;
  let namedItem: string | null = null;
  for (;;) {
    const message = await setup.client.create(request(setup, messages, maxTokens), setup.step);
    const stop = message.stop_reason;
    if (stop === 'refusal' || stop === 'model_context_window_exceeded') throw new PlannerStopError(setup.step, stop);
    if (stop === 'pause_turn' && counts.pauses++ < maxPauses) {
      messages.push(assistantTurn(message));
      continue;
    }
    if (stop === 'max_tokens' && !counts.widened) {
      // The tool call (if any) is cut off mid-input: not an answer to validate. Ask again with more room.
      counts.widened = true;
      maxTokens = Math.max(maxTokens, Math.min(maxTokens * 2, setup.maxTokensCeiling));
      continue;
    }
    const uses = toolUses(message);
    const readNames = setup.readTools.map((tool) => tool.name);
    if (setup.reader && uses.length > 0 && uses.every((use) => readNames.includes(use.name)) && counts.reads < setup.maxReads) {
      counts.reads++;
      messages.push(assistantTurn(message), { role: 'user', content: await readResults(setup.reader, uses) });
      continue;
    }
    const answer = readAnswer(message, setup);
    namedItem = namedItemOf(uses) ?? namedItem;
    if (answer.ok) return answer.value;
    if (++counts.rejections >= 2) throw new PlannerOutputError(setup.step, answer.problems, namedItem);
    // The assistant turn goes back verbatim: thinking blocks are bound to the conversation that made them.
    messages.push(assistantTurn(message), { role: 'user', content: feedback(message, answer.problems, setup.answerTools) });
  }
}

function request<T>(setup: ConversationSetup<T>, messages: Anthropic.MessageParam[], maxTokens: number): Anthropic.MessageCreateParamsNonStreaming {
  const tools = [...setup.answerTools, ...(setup.reader ? setup.readTools : [])];
  return {
    model: setup.model,
    max_tokens: maxTokens,
    system: setup.system,
    messages: [...messages],
    tools: tools as Anthropic.Tool[],
    // tool_choice stays "auto": the current models reject a forced tool with a 400 when thinking.
    tool_choice: { type: 'auto', disable_parallel_tool_use: true },
    ...(setup.thinking ? { thinking: { type: 'adaptive', display: 'summarized' } } : {}),
    ...(setup.effort ? { output_config: { effort: setup.effort as 'high' } } : {}),
  };
}

function assistantTurn(message: MessageResponse): Anthropic.MessageParam {
  return { role: 'assistant', content: message.content as Anthropic.ContentBlockParam[] };
}

function toolUses(message: MessageResponse): Anthropic.ToolUseBlock[] {
  return message.content.filter((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
}

function namedItemOf(uses: Anthropic.ToolUseBlock[]): string | null {
  const input = uses[0]?.input as { item_id?: unknown } | undefined;
  return typeof input?.item_id === 'string' ? input.item_id : null;
}

async function readResults(reader: ToolReader, uses: Anthropic.ToolUseBlock[]): Promise<Anthropic.ContentBlockParam[]> {
  const results: Anthropic.ContentBlockParam[] = [];
  for (const use of uses) {
    const answer = await reader(use.name, use.input).then(
      (content) => ({ content, is_error: false }),
      (error: Error) => ({ content: error.message, is_error: true }),
    );
    results.push({ type: 'tool_result', tool_use_id: use.id, ...answer });
  }
  return results;
}

function readAnswer<T>(message: MessageResponse, setup: ConversationSetup<T>): Validated<T> {
  const names = setup.answerTools.map((tool) => tool.name);
  const uses = toolUses(message);
  if (uses.length === 0) {
    const why = message.stop_reason === 'max_tokens' ? 'the answer was cut off at max_tokens twice; answer more briefly' : 'the answer had no tool call';
    return { ok: false, problems: [`${why}: call one of ${names.join(', ')}`] };
  }
  if (message.stop_reason === 'max_tokens') return { ok: false, problems: [`the ${uses[0]!.name} call was cut off at max_tokens twice; answer more briefly`] };
  if (uses.length > 1) return { ok: false, problems: [`${uses.length} tool calls: call exactly one of ${names.join(', ')}`] };
  const use = uses[0]!;
  if (!names.includes(use.name)) return { ok: false, problems: [`"${use.name}" does not answer this step: call one of ${names.join(', ')}`] };
  return setup.validate(use.name, use.input);
}

/** A tool_result with is_error for each call (the API requires one per tool_use), else plain text. */
function feedback(message: MessageResponse, problems: string[], tools: Tool[]): Anthropic.ContentBlockParam[] {
  const text = `Rejected:\n- ${problems.join('\n- ')}\nCall ${tools.map((tool) => tool.name).join(' or ')} again with every problem fixed.`;
  const uses = toolUses(message);
  if (uses.length === 0) return [{ type: 'text', text }];
  return uses.map((use, i) => ({
    type: 'tool_result' as const,
    tool_use_id: use.id,
    is_error: true,
    content: i === 0 ? text : 'Rejected; see the first result.',
  }));
}
