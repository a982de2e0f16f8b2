import Anthropic, { OverloadedError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { ApiKeyRefusedError, BudgetExceededError, LlmClient } from './client.js';
import { UserError } from '../user-error.js';
import { ApiOutageError } from './outage.js';
import { costUsd, priceForModel } from './prices.js';
import { overloadedReply, rateLimitedReply, textReply } from './test-helpers/anthropic-replies.js';
import { startStubServer } from './test-helpers/stub-server.js';
import { serializeTranscript } from './transcript.js';

const apiKey = 'sk-ant-test-0123456789abcdef';
const model = 'claude-sonnet-5-5';

function request(text: string) {
  return { model, max_tokens: 100, messages: [{ role: 'user' as const, content: text }] };
}

describe('LlmClient', () => {
  it('sends the request through the SDK with the key in a header and returns the message', async () => {
    const stub = await startStubServer([textReply('hello')]);
    const client = new LlmClient({ apiKey, model, baseURL: stub.url });
    const message = await client.create(request('hi'), 'greet');
    expect(message.content).toEqual([{ type: 'text', text: 'hello' }]);
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]!.path).toBe('/v1/messages');
    // SDK 1.x sends the key as `authorization: Bearer ...` (0.x used x-api-key): look in every header.
    expect(Object.values(stub.requests[0]!.headers).join('\n')).toContain(apiKey);
    expect(stub.requests[0]!.body.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('counts tokens and cost from the price table (Sonnet 5.5: $2 in, $10 out per million)', async () => {
    const stub = await startStubServer([textReply('a', { input_tokens: 1_000_000, output_tokens: 100_000 })]);
    const client = new LlmClient({ apiKey, model, baseURL: stub.url, spentUsd: 1 });
    await client.create(request('hi'), 'count');
    expect(client.usage()).toEqual({ input_tokens: 1_000_000, output_tokens: 100_000, cost_usd: 3, requests: 1 });
    expect(client.spentUsd()).toBe(4);
    expect(client.transcript().usage.cost_usd).toBe(3);
  });

  it('retries a 529 overload and a 429 rate limit, and records every attempt in the transcript', async () => {
    const stub = await startStubServer([overloadedReply(), rateLimitedReply(), textReply('finally')]);
    const client = new LlmClient({ apiKey, model, baseURL: stub.url, maxRetries: 3 });
    const message = await client.create(request('hi'), 'busy');
    expect(message.content).toEqual([{ type: 'text', text: 'finally' }]);
    expect(stub.requests).toHaveLength(3);
    const exchanges = client.transcript().exchanges;
    expect(exchanges.map((e) => [e.call, e.attempt, e.status])).toEqual([
      [0, 0, 529],
      [0, 1, 429],
      [0, 2, 200],
    ]);
    expect(exchanges[0]!.response).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(exchanges.every((e) => e.label === 'busy')).toBe(true);
    expect(client.usage().requests).toBe(3);
  });

  it('waits out an outage that outlasts the SDK retries with growing pauses on the injected clock, then answers', async () => {
    const stub = await startStubServer([overloadedReply(), overloadedReply(), overloadedReply(), overloadedReply(), textReply('back')]);
    let nowMs = 0;
    const pauses: number[] = [];
    const outage = {
      firstPauseMs: 10_000,
      maxPauseMs: 60_000,
      maxWaitMs: 600_000,
      now: () => nowMs,
      sleep: async (ms: number) => void pauses.push((nowMs += ms)),
    };
    const client = new LlmClient({ apiKey, model, baseURL: stub.url, maxRetries: 1, outage });
    const message = await client.create(request('hi'), 'busy');
    expect(message.content).toEqual([{ type: 'text', text: 'back' }]);
    expect(pauses).toEqual([10_000, 30_000]); // 2 attempts, 10 s, 2 attempts, 20 s (doubled), the answer
    expect(client.transcript().exchanges.map((e) => [e.call, e.attempt, e.status])).toEqual([
      [0, 0, 529],
      [0, 1, 529],
      [0, 2, 529],
      [0, 3, 529],
      [0, 4, 200],
    ]);
  });

  it('gives up with ApiOutageError once the outage lasts longer than its bound, keeping the last SDK error', async () => {
    const stub = await startStubServer(() => overloadedReply());
    let nowMs = 0;
    const outage = { firstPauseMs: 20_000, maxPauseMs: 40_000, maxWaitMs: 100_000, now: () => nowMs, sleep: async (ms: number) => void (nowMs += ms) };
    const client = new LlmClient({ apiKey, model, baseURL: stub.url, maxRetries: 0, outage });
    const error = await client.create(request('hi'), 'busy').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiOutageError);
    expect((error as ApiOutageError).lastError).toBeInstanceOf(OverloadedError);
    expect(nowMs).toBe(100_000); // pauses of 20, 40, 40 s: the bound, not past it
    expect(stub.requests).toHaveLength(4);
  });

  it('ends a request the server never answers at the per-request timeout', async () => {
    const stub = await startStubServer(['hang', 'hang']);
    const client = new LlmClient({ apiKey, model, baseURL: stub.url, maxRetries: 1, timeoutMs: 300, outage: { maxWaitMs: 0 } });
    const error = await client.create(request('hi'), 'hung').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiOutageError);
    expect((error as ApiOutageError).lastError).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect(stub.requests).toHaveLength(2);
  });

  it('cancels the request in flight when its signal aborts (Ctrl-C), without waiting or retrying', async () => {
    const stub = await startStubServer(['hang']);
    const controller = new AbortController();
    const client = new LlmClient({ apiKey, model, baseURL: stub.url, maxRetries: 2, signal: controller.signal });
    const pending = client.create(request('hi'), 'hung').catch((caught: unknown) => caught);
    while (stub.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect(await pending).toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(stub.requests).toHaveLength(1);
  });

  it('turns a refused key (401) into ApiKeyRefusedError, a user error naming ANTHROPIC_API_KEY, without waiting', async () => {
    const stub = await startStubServer([{ status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } }]);
    const client = new LlmClient({ apiKey, model, baseURL: stub.url });
    const error = await client.create(request('hi'), 'auth').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiKeyRefusedError);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/refused the key \(HTTP 401: .*invalid x-api-key.*\); check ANTHROPIC_API_KEY/);
    expect(stub.requests).toHaveLength(1);
  });

  it('asks again without thinking and effort when the model refuses them, and keeps leaving them out', async () => {
    const refused = {
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'thinking.type adaptive is not supported on this model' } },
    };
    const stub = await startStubServer([refused, textReply('a'), textReply('b')]);
    const lines: string[] = [];
    const client = new LlmClient({ apiKey, model, baseURL: stub.url, log: (line) => lines.push(line) });
    const asked = { ...request('hi'), thinking: { type: 'adaptive' as const }, output_config: { effort: 'high' as const } };
    await client.create(asked, 'first');
    await client.create(asked, 'second');
    expect(stub.requests.map((sent) => [sent.body.thinking?.type ?? null, sent.body.output_config?.effort ?? null])).toEqual([
      ['adaptive', 'high'],
      [null, null],
      [null, null],
    ]);
    expect(lines).toEqual([expect.stringContaining('refused thinking / effort')]);
  });

  it('refuses to send once the budget is spent, and the server sees no request', async () => {
    const stub = await startStubServer([textReply('a', { input_tokens: 500_000, output_tokens: 0 }), textReply('b')]);
    const client = new LlmClient({ apiKey, model, baseURL: stub.url, budgetUsd: 1, spentUsd: 0 });
    await client.create(request('first'), 'first'); // $1.00 spent now
    await expect(client.create(request('second'), 'second')).rejects.toThrow(BudgetExceededError);
    await expect(client.create(request('second'), 'second')).rejects.toThrow(/\$1\.0000 spent of \$1\.0000; no request was sent/);
    expect(stub.requests).toHaveLength(1);
  });

  it('never writes the API key into the transcript, even when a prompt quotes it', async () => {
    const stub = await startStubServer([textReply('ok')]);
    const client = new LlmClient({ apiKey, model, baseURL: stub.url });
    await client.create(request(`my key is ${apiKey}, keep it secret`), 'leak');
    expect(stub.requests[0]!.body.messages[0].content).toContain(apiKey); // it did go over the wire
    const saved = serializeTranscript(client.transcript());
    expect(saved).not.toContain(apiKey);
    expect(saved).toContain('my key is [redacted], keep it secret');
  });

  it('starts a new transcript on reset while usage keeps counting', async () => {
    const stub = await startStubServer([textReply('a'), textReply('b')]);
    const client = new LlmClient({ apiKey, model, baseURL: stub.url });
    await client.create(request('one'), 'one');
    client.resetTranscript();
    await client.create(request('two'), 'two');
    expect(client.transcript().exchanges.map((e) => [e.call, e.label])).toEqual([[0, 'two']]);
    expect(client.transcript().usage.requests).toBe(1);
    expect(client.usage().requests).toBe(2);
  });
});

describe('prices', () => {
  it('prices dated snapshots like their alias and knows no price for an unknown model (no silent fallback)', () => {
    expect(priceForModel('claude-sonnet-4-5-20250929')).toEqual(priceForModel('claude-sonnet-4-5'));
    expect(priceForModel('claude-opus-5-5')).toEqual({ input_per_million: 4, output_per_million: 20 });
    expect(priceForModel('claude-unknown-9')).toBeNull();
    expect(costUsd('claude-unknown-9', { input_tokens: 1_000_000, output_tokens: 0 })).toBe(0);
    expect(costUsd('claude-unknown-9', { input_tokens: 1_000_000, output_tokens: 0 }, { input_per_million: 0.8, output_per_million: 4 })).toBe(0.8);
  });

  it('warns once, naming the model and the --price flag, when the price table does not know the model', async () => {
    const stub = await startStubServer([textReply('a', { input_tokens: 1_000_000, output_tokens: 0 })]);
    const lines: string[] = [];
    const client = new LlmClient({ apiKey, model: 'claude-haiku-9', baseURL: stub.url, log: (line) => lines.push(line) });
    await client.create({ ...request('hi'), model: 'claude-haiku-9' }, 'cheap');
    expect(lines).toEqual([expect.stringMatching(/no price for model "claude-haiku-9".*--price IN,OUT/)]);
    expect(client.spentUsd()).toBe(0);
  });

  it('charges 5-minute cache writes at 1.25x, 1-hour writes at 2x and cache reads at 0.1x the input price', () => {
    const cost = costUsd('claude-haiku-4-5', { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 1_000_000, cache_read_input_tokens: 1_000_000 });
    expect(cost).toBeCloseTo(1.25 + 0.1, 10);
    const long = costUsd('claude-haiku-4-5', {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 1_000_000,
      cache_creation: { ephemeral_5m_input_tokens: 500_000, ephemeral_1h_input_tokens: 500_000 },
    });
    expect(long).toBeCloseTo(0.625 + 1, 10);
  });
});
