// A thin wrapper over the Anthropic SDK's messages.create: refuses to send once the budget is spent,
// lets the SDK retry 429 / 5xx / 529 with backoff, counts tokens and cost, and records every HTTP
// attempt (through the SDK's `middleware` option) in a Transcript that never holds headers or the key.
import Anthropic, { type Middleware } from '@anthropic-ai/sdk';
import { defaultOutagePolicy, withOutageWaits, type OutagePolicy } from './outage.js';
import { costUsd, priceForModel, unknownPriceWarning, type ModelPrice } from './prices.js';
import { TranscriptRecorder, addUsage, emptyUsage, type LlmUsage, type Transcript } from './transcript.js';
import { UserError } from '../user-error.js';

export type { Middleware };
export type MessageRequest = Anthropic.MessageCreateParamsNonStreaming;
export type MessageResponse = Anthropic.Message;

export type LlmClientOptions = {
  apiKey: string;
  /** The model the transcript is labelled with (each request still names its own). */
  model: string;
  /** e.g. http://127.0.0.1:PORT for a stub server; default the SDK's (api.anthropic.com). */
  baseURL?: string;
  /** Retries after the first attempt on 408 / 409 / 429 / 5xx / 529, with the SDK's backoff. */
  maxRetries?: number;
  /** Runs inside the recording, once per attempt; the replay answers there instead of the network. */
  middleware?: Middleware[];
  /** Spend limit in USD across this client's life, counting `spentUsd` from earlier runs. */
  budgetUsd?: number;
  spentUsd?: number;
  /** Milliseconds clock for durations (injected in tests). */
  now?: () => number;
  /** Per-attempt limit in ms (the SDK's timeout); default 180 s. A hung request ends, then counts as an outage. */
  timeoutMs?: number;
  /** Aborts the request in flight (Ctrl-C): the SDK raises APIUserAbortError at once. */
  signal?: AbortSignal;
  /** Waiting out an outage beyond the SDK's retries (pauses, deadline, injected clock and sleep). */
  outage?: Partial<OutagePolicy>;
  /** Price override (USD per million tokens), e.g. for a model the price table does not list. */
  price?: ModelPrice;
  /** Where pauses and price warnings go. */
  log?: (line: string) => void;
};

export const defaultRequestTimeoutMs = 180_000;

export class BudgetExceededError extends UserError {
  constructor(
    readonly spentUsd: number,
    readonly budgetUsd: number,
  ) {
    super(
      `LLM budget reached: $${spentUsd.toFixed(4)} spent of $${budgetUsd.toFixed(4)}; no request was sent. ` +
        'Raise the budget (budgetUsd / --budget) or run the built-in planner.',
    );
  }
}

/** The API refused the key (401 / 403): no cycle can succeed, so the loop stops instead of recording INVALID ones. */
export class ApiKeyRefusedError extends UserError {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`the Claude API refused the key (HTTP ${status}: ${detail.split('\n')[0]}); check ANTHROPIC_API_KEY, or run --planner builtin`);
  }
}

/** One messages.create at a time: the recording fetch attributes each attempt to the current call. */
export class LlmClient {
  private readonly sdk: Anthropic;
  private readonly recorder: TranscriptRecorder;
  private readonly budgetUsd: number;
  private spent: number;
  private total: LlmUsage = emptyUsage();
  private currentCall: { index: number; label: string; attempts: number } | null = null;
  private readonly outage: OutagePolicy;
  /** Set once the model refused thinking / output_config: later requests go without them. */
  private optionsUnsupported = false;
  private readonly options: LlmClientOptions;

  constructor(options: LlmClientOptions) {
    const now = options.now ?? (() => performance.now());
    this.options = options;
    this.outage = { ...defaultOutagePolicy, ...options.outage };
    if (!options.price && !priceForModel(options.model)) (options.log ?? (() => {}))(unknownPriceWarning(options.model));
    this.recorder = new TranscriptRecorder(options.model, [options.apiKey]);
    this.budgetUsd = options.budgetUsd ?? Number.POSITIVE_INFINITY;
    this.spent = options.spentUsd ?? 0;
    this.sdk = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? null,
      maxRetries: options.maxRetries ?? 2,
      timeout: options.timeoutMs ?? defaultRequestTimeoutMs,
      middleware: [this.recordingMiddleware(now), ...(options.middleware ?? [])],
    });
  }

  /** Sends one request (the SDK may retry it); throws BudgetExceededError before sending when spent. */
  async create(request: MessageRequest, label: string): Promise<MessageResponse> {
    if (this.currentCall) throw new Error(`LlmClient: "${label}" started while "${this.currentCall.label}" is in flight; await one call at a time`);
    if (this.spent >= this.budgetUsd) throw new BudgetExceededError(this.spent, this.budgetUsd);
    this.currentCall = { index: this.recorder.nextCallIndex(), label, attempts: 0 };
    const log = this.options.log ?? (() => {});
    const onPause = (ms: number, error: Error) => log(`Claude API unavailable (${error.message.split('\n')[0]}): pausing ${Math.round(ms / 1000)} s`);
    try {
      let message: MessageResponse;
      try {
        message = await this.send(this.withoutUnsupported(request), onPause);
      } catch (error) {
        if (!this.isUnsupportedOption(error, request)) throw error;
        // An older model that knows no adaptive thinking or effort: say so once, then ask without them.
        this.optionsUnsupported = true;
        log(`warning: ${request.model} refused thinking / effort (${(error as Error).message.split('\n')[0]}); asking without them from now on`);
        message = await this.send(this.withoutUnsupported(request), onPause);
      }
      this.count(request.model, message);
      return message;
    } catch (error) {
      if (error instanceof Anthropic.APIError && (error.status === 401 || error.status === 403)) throw new ApiKeyRefusedError(error.status, error.message);
      throw error;
    } finally {
      this.currentCall = null;
    }
  }

  private send(request: MessageRequest, onPause: (ms: number, error: Error) => void): Promise<MessageResponse> {
    const signal = this.options.signal;
    return withOutageWaits(() => this.sdk.messages.create(request, signal ? { signal } : {}), this.outage, onPause, signal);
  }

  private withoutUnsupported(request: MessageRequest): MessageRequest {
    if (!this.optionsUnsupported) return request;
    const { thinking: _thinking, output_config: _outputConfig, ...rest } = request;
    return rest;
  }

  private isUnsupportedOption(error: unknown, request: MessageRequest): boolean {
    if (this.optionsUnsupported || !(request.thinking || request.output_config)) return false;
    return error instanceof Anthropic.BadRequestError && /thinking|effort|output_config/i.test(error.message);
  }

  /** Tokens, cost and requests since the client was created (not counting `spentUsd`). */
  usage(): LlmUsage {
    return { ...this.total };
  }

  /** Spend counted against the budget: `spentUsd` given at creation plus this client's cost. */
  spentUsd(): number {
    return this.spent;
  }

  transcript(): Transcript {
    return this.recorder.snapshot();
  }

  resetTranscript(): void {
    this.recorder.reset();
  }

  private count(model: string, message: MessageResponse): void {
    const usage = message.usage;
    const cost = costUsd(model, usage, this.options.price);
    const inputTokens = usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
    const added: LlmUsage = { input_tokens: inputTokens, output_tokens: usage.output_tokens, cost_usd: cost, requests: 0 };
    this.total = addUsage(this.total, added);
    this.recorder.addUsage(added);
    this.spent += cost;
  }

  /** Every attempt, retried ones included, lands in the transcript with its raw body. */
  private recordingMiddleware(now: () => number): Middleware {
    return async (httpRequest, next) => {
      const call = this.currentCall ?? { index: this.recorder.nextCallIndex(), label: 'unlabelled', attempts: 0 };
      // Counted here, not from the SDK's retry header: after an outage pause the SDK starts its count again.
      const attempt = call.attempts++;
      const request = parseRequestBody(httpRequest.body);
      const started = now();
      const oneRequest = { ...emptyUsage(), requests: 1 };
      this.total = addUsage(this.total, oneRequest);
      this.recorder.addUsage(oneRequest);
      const base = { call: call.index, attempt, label: call.label, request };
      let response: Response;
      try {
        response = await next(httpRequest);
      } catch (error) {
        this.recorder.record({ ...base, status: null, response: null, error: String(error), duration_ms: now() - started });
        throw error;
      }
      const text = await response.clone().text(); // the SDK reads the original
      this.recorder.record({ ...base, status: response.status, response: parseJsonOrText(text), error: null, duration_ms: now() - started });
      return response;
    };
  }
}

function parseRequestBody(body: RequestInit['body'] | undefined): Record<string, unknown> | null {
  if (typeof body !== 'string') return null;
  const parsed = parseJsonOrText(body);
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
