// Replays a recorded cycle offline: SDK middleware that answers each request with the recorded final
// response of the matching call, in order, and fails loudly when the requests drift from the recording.
import Anthropic, { type Middleware } from '@anthropic-ai/sdk';
import type { Transcript, TranscriptExchange } from './transcript.js';

/** Thrown from middleware, so the SDK hands it to the caller as it is: a mismatch is no outage to wait out. */
export class ReplayMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayMismatchError';
  }
}

/**
 * Middleware for the SDK (use it with maxRetries 0): request i gets call i's last recorded attempt, never the network.
 * Retried attempts (a 529 before the success) are skipped: the replay reproduces outcomes, not waits.
 * Requests are compared on model and messages; anything else (system prompt wording, tools) may change.
 */
export function createReplayMiddleware(transcript: Transcript, source = 'llm-transcript.json'): Middleware {
  const calls = finalAttempts(transcript.exchanges);
  let next = 0;
  return async (httpRequest) => {
    const index = next++;
    const recorded = calls[index];
    if (!recorded) {
      throw new ReplayMismatchError(
        `${source}: the recording holds ${calls.length} call(s) but call ${index} was made; replay the same cycle (same planner steps) or record a new transcript`,
      );
    }
    const request = typeof httpRequest.body === 'string' ? (JSON.parse(httpRequest.body) as Record<string, unknown>) : {};
    const problem = compareRequests(recorded.request ?? {}, request);
    if (problem) {
      throw new ReplayMismatchError(
        `${source}: call ${index} ("${recorded.label}") differs from the recording: ${problem}; the planning context must be the one the cycle was recorded with`,
      );
    }
    // The error the SDK made of the recorded connection failure when a fetch threw it.
    if (recorded.status === null)
      throw new Anthropic.APIConnectionError({ cause: new Error(`replayed connection failure: ${recorded.error ?? 'no response'}`) });
    const body = typeof recorded.response === 'string' ? recorded.response : JSON.stringify(recorded.response);
    return new Response(body, { status: recorded.status, headers: { 'content-type': 'application/json' } });
  };
}

function finalAttempts(exchanges: TranscriptExchange[]): TranscriptExchange[] {
  const byCall = new Map<number, TranscriptExchange>();
  for (const exchange of exchanges) {
    const seen = byCall.get(exchange.call);
    if (!seen || exchange.attempt >= seen.attempt) byCall.set(exchange.call, exchange);
  }
  return [...byCall.entries()].sort(([a], [b]) => a - b).map(([, exchange]) => exchange);
}

/** A description of the first difference in model or messages, or null when they match. */
function compareRequests(recorded: Record<string, unknown>, actual: Record<string, unknown>): string | null {
  if (recorded.model !== actual.model) return `model is ${JSON.stringify(actual.model)}, recorded ${JSON.stringify(recorded.model)}`;
  const recordedMessages = Array.isArray(recorded.messages) ? recorded.messages : [];
  const actualMessages = Array.isArray(actual.messages) ? actual.messages : [];
  const length = Math.max(recordedMessages.length, actualMessages.length);
  for (let i = 0; i < length; i++) {
    const want = stableJson(recordedMessages[i]);
    const got = stableJson(actualMessages[i]);
    if (want !== got) return `messages[${i}] ${describeDifference(want, got)}`;
  }
  return null;
}

function stableJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
        : v,
    ) ?? 'nothing'
  );
}

/** Shows both texts around the first character where they part. */
function describeDifference(want: string, got: string): string {
  let at = 0;
  while (at < want.length && want[at] === got[at]) at++;
  const around = (text: string) => `'${text.slice(Math.max(0, at - 40), at + 60)}'`;
  return `differs at character ${at}: now ${around(got)}, recorded ${around(want)}`;
}
