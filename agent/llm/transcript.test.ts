import { describe, expect, it } from 'vitest';
import { TranscriptError, TranscriptRecorder, parseTranscript, serializeTranscript } from './transcript.js';

function recordedTranscript() {
  const recorder = new TranscriptRecorder('claude-sonnet-5-5', ['sk-ant-secret-key-123']);
  recorder.record({
    call: 0,
    attempt: 0,
    label: 'plan',
    request: { model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: 'quote sk-ant-secret-key-123 here' }] },
    status: 200,
    response: { type: 'message', content: [] },
    error: null,
    duration_ms: 12.5,
  });
  recorder.addUsage({ input_tokens: 10, output_tokens: 5, cost_usd: 0.001, requests: 1 });
  return recorder.snapshot();
}

describe('transcript', () => {
  it('round-trips through serializeTranscript and parseTranscript', () => {
    const transcript = recordedTranscript();
    expect(parseTranscript(serializeTranscript(transcript))).toEqual(transcript);
  });

  it('redacts the secrets it was given wherever they appear', () => {
    expect(JSON.stringify(recordedTranscript())).not.toContain('sk-ant-secret-key-123');
    expect(recordedTranscript().exchanges[0]!.request!.messages).toEqual([{ role: 'user', content: 'quote [redacted] here' }]);
  });

  it('names the file and the bad field when the JSON is not a transcript', () => {
    const broken = JSON.stringify({ ...recordedTranscript(), exchanges: [{ call: -1 }] });
    expect(() => parseTranscript(broken, 'results/exp-x/llm-transcript.json')).toThrow(TranscriptError);
    expect(() => parseTranscript(broken, 'results/exp-x/llm-transcript.json')).toThrow(/results\/exp-x\/llm-transcript\.json: .*\n  - exchanges\.0\.call/);
    expect(() => parseTranscript('{oops', 'a.json')).toThrow(/a\.json: .*invalid JSON/s);
  });
});
