// The record of every Claude exchange in a cycle: each HTTP attempt's request body (never headers,
// never the key), status and raw response, saved as results/<id>/llm-transcript.json for offline replay.
import { z } from 'zod';

/** Shorter strings are not redacted: replacing a one-letter "key" would mangle the whole record. */
const minimumSecretLength = 8;
export const redactedMarker = '[redacted]';

const UsageSchema = z
  .object({
    input_tokens: z.number().nonnegative(),
    output_tokens: z.number().nonnegative(),
    cost_usd: z.number().nonnegative(),
    requests: z.number().int().nonnegative(),
  })
  .strict();

const ExchangeSchema = z
  .object({
    /** Which messages.create call of the transcript (0-based); retries share it. */
    call: z.number().int().nonnegative(),
    /** 0 for the first try, then one more per SDK retry. */
    attempt: z.number().int().nonnegative(),
    /** What the call was for, e.g. "plan" or "interpret". */
    label: z.string(),
    /** The JSON body sent (model, system, messages, tools, ...). */
    request: z.record(z.string(), z.unknown()).nullable(),
    /** HTTP status, or null when no response arrived (connection error, timeout). */
    status: z.number().int().nullable(),
    /** The raw response body, parsed when it was JSON. */
    response: z.unknown(),
    error: z.string().nullable(),
    duration_ms: z.number().nonnegative(),
  })
  .strict();

export const TranscriptSchema = z
  .object({
    schema_version: z.literal(1),
    model: z.string(),
    exchanges: z.array(ExchangeSchema),
    /** Tokens and cost of the calls in this transcript (one cycle when the caller resets per cycle). */
    usage: UsageSchema,
  })
  .strict();

export type Transcript = z.infer<typeof TranscriptSchema>;
export type TranscriptExchange = z.infer<typeof ExchangeSchema>;
export type LlmUsage = z.infer<typeof UsageSchema>;

export function emptyUsage(): LlmUsage {
  return { input_tokens: 0, output_tokens: 0, cost_usd: 0, requests: 0 };
}

export function addUsage(total: LlmUsage, more: LlmUsage): LlmUsage {
  return {
    input_tokens: total.input_tokens + more.input_tokens,
    output_tokens: total.output_tokens + more.output_tokens,
    cost_usd: total.cost_usd + more.cost_usd,
    requests: total.requests + more.requests,
  };
}

/** Collects exchanges; every value is passed through JSON and scrubbed of the given secrets. */
export class TranscriptRecorder {
  private exchanges: TranscriptExchange[] = [];
  private usageSoFar: LlmUsage = emptyUsage();
  private readonly secrets: string[];

  constructor(
    private readonly model: string,
    secrets: string[] = [],
  ) {
    this.secrets = secrets.filter((secret) => secret.length >= minimumSecretLength);
  }

  record(exchange: TranscriptExchange): void {
    this.exchanges.push(this.redact(exchange));
  }

  addUsage(usage: LlmUsage): void {
    this.usageSoFar = addUsage(this.usageSoFar, usage);
  }

  /** The next call index: one past the last recorded call. */
  nextCallIndex(): number {
    const last = this.exchanges.at(-1);
    return last === undefined ? 0 : last.call + 1;
  }

  snapshot(): Transcript {
    return structuredClone({ schema_version: 1, model: this.model, exchanges: this.exchanges, usage: this.usageSoFar });
  }

  reset(): void {
    this.exchanges = [];
    this.usageSoFar = emptyUsage();
  }

  private redact<T>(value: T): T {
    let text = JSON.stringify(value);
    for (const secret of this.secrets) text = text.split(secret).join(redactedMarker);
    return JSON.parse(text) as T;
  }
}

export function serializeTranscript(transcript: Transcript): string {
  return `${JSON.stringify(TranscriptSchema.parse(transcript), null, 2)}\n`;
}

export class TranscriptError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: not an LLM transcript (expected the llm-transcript.json a cycle saves)\n  - ${problems.join('\n  - ')}`);
    this.name = 'TranscriptError';
  }
}

/** Parses llm-transcript.json text; throws TranscriptError naming the file and each bad field. */
export function parseTranscript(text: string, source = 'llm-transcript.json'): Transcript {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TranscriptError(source, [`invalid JSON: ${(error as Error).message}`]);
  }
  const result = TranscriptSchema.safeParse(data);
  if (!result.success) {
    throw new TranscriptError(
      source,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}
