// Response bodies in the Messages API's shape, for the stub server: a tool call, plain text, errors.
import type { StubResponse } from './stub-server.js';

type Usage = { input_tokens: number; output_tokens: number };
let nextId = 1;

export function toolUseReply(options: { name: string; input: unknown; usage?: Usage; model?: string }): StubResponse {
  const id = nextId++;
  return {
    body: {
      id: `msg_stub_${id}`,
      type: 'message',
      role: 'assistant',
      model: options.model ?? 'claude-sonnet-5-5',
      content: [
        { type: 'text', text: 'Here is my answer.' },
        { type: 'tool_use', id: `toolu_stub_${id}`, name: options.name, input: options.input },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 1000, output_tokens: 200, ...options.usage },
    },
  };
}

export function textReply(text: string, usage: Usage = { input_tokens: 1000, output_tokens: 50 }): StubResponse {
  return messageReply([{ type: 'text', text }], 'end_turn', usage);
}

/** 529 as the API sends it when overloaded; retry-after-ms keeps the SDK's backoff short in tests. */
export function overloadedReply(): StubResponse {
  return { status: 529, headers: { 'retry-after-ms': '5' }, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } };
}

export function rateLimitedReply(): StubResponse {
  return { status: 429, headers: { 'retry-after-ms': '5' }, body: { type: 'error', error: { type: 'rate_limit_error', message: 'Rate limited' } } };
}

/** A reply with any content blocks and stop_reason (refusal, max_tokens, pause_turn, ...). */
export function messageReply(content: unknown[], stopReason: string, usage: Usage = { input_tokens: 1000, output_tokens: 200 }): StubResponse {
  const id = nextId++;
  return {
    body: {
      id: `msg_stub_${id}`,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-5-5',
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage,
    },
  };
}

/** A tool call the model was cut off in: the block is there, its input incomplete, stop_reason max_tokens. */
export function truncatedToolUseReply(name: string, input: unknown): StubResponse {
  return messageReply([{ type: 'tool_use', id: `toolu_cut_${nextId}`, name, input }], 'max_tokens', { input_tokens: 1000, output_tokens: 16_000 });
}

export function refusalReply(): StubResponse {
  return messageReply([{ type: 'text', text: 'I cannot help with that.' }], 'refusal', { input_tokens: 1000, output_tokens: 10 });
}
