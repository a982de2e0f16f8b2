// An API outage outlasting the SDK's own retries (429, 529, 5xx, a connection lost or timed out): the
// client waits with a growing pause, for minutes, bounded by a deadline, instead of failing the cycle.
import { setTimeout as delay } from 'node:timers/promises';
import Anthropic from '@anthropic-ai/sdk';

export type OutagePolicy = {
  /** First pause after the SDK gave up, in ms; doubles each time up to maxPauseMs. */
  firstPauseMs: number;
  maxPauseMs: number;
  /** No pause starts after this much waiting in one request (ms); then ApiOutageError. */
  maxWaitMs: number;
  /** The night's end on the `now` clock: no pause runs past it (the loop stops there anyway). */
  deadlineMs?: number;
  /** Monotonic ms (the deadline is measured on it). */
  now: () => number;
  /** Resolves after ms, or rejects when the signal aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
};

export const defaultOutagePolicy: OutagePolicy = {
  firstPauseMs: 15_000,
  maxPauseMs: 5 * 60_000,
  maxWaitMs: 30 * 60_000,
  now: () => performance.now(),
  // An abort during a pause surfaces as the SDK's own abort error, like an abort during a request.
  sleep: (ms, signal) =>
    delay(ms, undefined, signal ? { signal } : {}).catch(() => {
      throw new Anthropic.APIUserAbortError();
    }),
};

/** The API stayed unavailable for the whole wait: no answer, but not the model's fault nor the spec's. */
export class ApiOutageError extends Error {
  constructor(
    readonly waitedMs: number,
    readonly lastError: Error,
  ) {
    super(
      `the Claude API was unavailable for ${Math.round(waitedMs / 1000)} s (last error: ${lastError.message.split('\n')[0]}); no INVALID record: the next cycle tries again`,
    );
    this.name = 'ApiOutageError';
  }
}

/** Overloaded, rate-limited, a server error, or no answer at all: worth waiting out. A 4xx request error is not. */
export function isOutage(error: unknown): error is Error {
  // The SDK's classes: timeouts are APIConnectionErrors, and 529 (OverloadedError) is an InternalServerError.
  return error instanceof Anthropic.APIConnectionError || error instanceof Anthropic.RateLimitError || error instanceof Anthropic.InternalServerError;
}

/** Calls `attempt` until it succeeds, a non-outage error, or the wait would pass maxWaitMs. */
export async function withOutageWaits<T>(
  attempt: () => Promise<T>,
  policy: OutagePolicy,
  onPause: (pauseMs: number, error: Error) => void,
  signal?: AbortSignal,
): Promise<T> {
  const started = policy.now();
  let pause = policy.firstPauseMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isOutage(error)) throw error;
      const waited = policy.now() - started;
      const remaining = Math.min(policy.maxWaitMs - waited, (policy.deadlineMs ?? Number.POSITIVE_INFINITY) - policy.now());
      if (remaining <= 0) throw new ApiOutageError(waited, error);
      const ms = Math.min(pause, remaining);
      onPause(ms, error);
      await policy.sleep(ms, signal);
      pause = Math.min(pause * 2, policy.maxPauseMs);
    }
  }
}
