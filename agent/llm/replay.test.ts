import { describe, expect, it } from 'vitest';
import { LlmClient } from './client.js';
import { ReplayMismatchError, createReplayMiddleware } from './replay.js';
import { overloadedReply, textReply } from './test-helpers/anthropic-replies.js';
import { startStubServer } from './test-helpers/stub-server.js';
import { parseTranscript, serializeTranscript, type Transcript } from './transcript.js';

const model = 'claude-sonnet-5-5';
const ask = (text: string) => ({ model, max_tokens: 100, messages: [{ role: 'user' as const, content: text }] });

async function recordTwoCalls(): Promise<Transcript> {
  const stub = await startStubServer([overloadedReply(), textReply('first answer'), textReply('second answer')]);
  const client = new LlmClient({ apiKey: 'sk-ant-test-replay-key', model, baseURL: stub.url });
  await client.create(ask('one'), 'one');
  await client.create(ask('two'), 'two');
  await stub.close();
  return parseTranscript(serializeTranscript(client.transcript()));
}

function replayClient(transcript: Transcript): LlmClient {
  return new LlmClient({
    apiKey: 'no-key-needed',
    model,
    baseURL: 'http://replay.invalid',
    maxRetries: 0,
    middleware: [createReplayMiddleware(transcript, 'rec.json')],
  });
}

describe('createReplayMiddleware', () => {
  it('answers the same requests with the recorded responses, in order, with no server', async () => {
    const transcript = await recordTwoCalls();
    expect(transcript.exchanges.map((e) => e.status)).toEqual([529, 200, 200]);
    const client = replayClient(transcript);
    expect((await client.create(ask('one'), 'one')).content).toEqual([{ type: 'text', text: 'first answer' }]);
    expect((await client.create(ask('two'), 'two')).content).toEqual([{ type: 'text', text: 'second answer' }]);
  });

  it('fails with the call and the differing text when a request drifts from the recording', async () => {
    const client = replayClient(await recordTwoCalls());
    const error: unknown = await client.create(ask('something else'), 'one').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ReplayMismatchError);
    expect((error as Error).message).toMatch(
      /rec\.json: call 0 \("one"\) differs from the recording: messages\[0\] differs at character 12: now '\{"content":"something else","role":"user"\}', recorded '\{"content":"one",/,
    );
  });

  it('fails clearly when more calls are made than were recorded', async () => {
    const client = replayClient(await recordTwoCalls());
    await client.create(ask('one'), 'one');
    await client.create(ask('two'), 'two');
    await expect(client.create(ask('three'), 'three')).rejects.toThrow(/holds 2 call\(s\) but call 2 was made/);
  });
});
