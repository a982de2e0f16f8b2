import { OverloadedError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { BudgetExceededError, LlmClient } from './client.js';
import { costUsd, fallbackModelPrice, priceForModel } from './prices.js';
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

  it('gives up with the SDK OverloadedError once maxRetries are used up', async () => {
    const stub = await startStubServer([overloadedReply(), overloadedReply(), textReply('too late')]);
    const client = new LlmClient({ apiKey, model, baseURL: stub.url, maxRetries: 1 });
    await expect(client.create(request('hi'), 'busy')).rejects.toBeInstanceOf(OverloadedError);
    expect(stub.requests).toHaveLength(2);
    expect(client.transcript().exchanges.map((e) => e.status)).toEqual([529, 529]);
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
  it('prices dated snapshots like their alias and unknown models at the fallback rate', () => {
    expect(priceForModel('claude-sonnet-4-5-20250929')).toEqual(priceForModel('claude-sonnet-4-5'));
    expect(priceForModel('claude-opus-5-5')).toEqual({ input_per_million: 4, output_per_million: 20 });
    expect(priceForModel('claude-unknown-9')).toEqual(fallbackModelPrice);
  });

  it('charges cache writes at 1.25x and cache reads at 0.1x the input price', () => {
    const cost = costUsd('claude-haiku-4-5', { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 1_000_000, cache_read_input_tokens: 1_000_000 });
    expect(cost).toBeCloseTo(1.25 + 0.1, 10);
  });
});
