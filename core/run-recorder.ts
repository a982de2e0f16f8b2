// Bookkeeping of one run: the epoch history, the stop rules as values (solved, diverged, timed out) and the
// RunResult summary with the seeds' figures.
import type { TrainConfig } from './config.js';
import { REACHED_95_ACCURACY, statusOf, type EpochRecord, type EpochStop, type RunResult, type StopReason } from './result.js';
import type { Tracker } from './tracker.js';

export type TrainOptions = {
  /** Receives every buffer access and stage; pass a MemTracker to measure ARD / DMC. */
  tracker?: Tracker;
  /** Milliseconds clock (injected: the core reads no clock of its own). Without one, times are 0. */
  now?: () => number;
  /** Stop with status 'timeout' once training has run this long (ms). */
  timeLimitMs?: number;
  onEpoch?: (record: EpochRecord) => void;
  /** Whether wasm SIMD is there (config key backend wasm); injectable so a test can run on an engine without it. */
  simdAvailable?: () => boolean;
};

/** A loss above this (per sample), or not finite, ends the run as diverged. */
export const DIVERGENCE_LOSS = 1e6;

/** A batch loss that ends the run (not finite, or above DIVERGENCE_LOSS per sample). */
export function isDivergedLoss(lossSum: number, size: number): boolean {
  return !Number.isFinite(lossSum) || lossSum / size > DIVERGENCE_LOSS;
}

export class RunRecorder {
  readonly history: EpochRecord[] = [];
  private readonly startedAt: number;
  private message: string | undefined;
  private solveMs: number | null = null;

  constructor(
    readonly config: TrainConfig,
    readonly seed: number,
    readonly options: TrainOptions,
  ) {
    this.startedAt = this.now();
  }

  now(): number {
    return this.options.now ? this.options.now() : 0;
  }

  elapsed(): number {
    return this.now() - this.startedAt;
  }

  timedOut(): boolean {
    return this.options.timeLimitMs !== undefined && this.elapsed() > this.options.timeLimitMs;
  }

  /** Records an epoch; returns why it ends its stage (diverged train loss, solved, stage solved), or null to go on. */
  record(entry: EpochRecord): EpochStop | null {
    this.history.push(entry);
    this.options.onEpoch?.(entry);
    if (entry.train_loss !== null && (!Number.isFinite(entry.train_loss) || entry.train_loss > DIVERGENCE_LOSS)) {
      return this.diverged(`train loss ${entry.train_loss} at epoch ${entry.epoch}`);
    }
    if (entry.test_acc < 1) return null;
    if (entry.stage_n !== this.config.n_bits) return 'stage_solved';
    if (this.solveMs === null) this.solveMs = this.elapsed();
    return 'solved';
  }

  /** Notes the divergence message; returns the stop reason. */
  diverged(message: string): 'diverged' {
    this.message = `diverged: ${message}`;
    return 'diverged';
  }

  result(secret: number[], stop: StopReason, tracker: Tracker): RunResult {
    if (stop === 'timed_out') this.message = `time limit of ${this.options.timeLimitMs} ms reached after ${this.history.length} epochs`;
    const final = this.history.filter((entry) => entry.stage_n === this.config.n_bits);
    const bestTestAcc = final.reduce((best, entry) => Math.max(best, entry.test_acc), 0);
    const elapsed = this.elapsed();
    const solveEpoch = final.find((entry) => entry.test_acc >= 1)?.epoch ?? null;
    const result: RunResult = {
      seed: this.seed,
      status: statusOf(stop),
      stop_reason: stop,
      solved: solveEpoch !== null,
      reached_95: stop !== 'timed_out' && bestTestAcc >= REACHED_95_ACCURACY,
      best_test_acc: bestTestAcc,
      final_test_acc: final.length > 0 ? final[final.length - 1]!.test_acc : 0,
      epoch_90: final.find((entry) => entry.test_acc >= 0.9)?.epoch ?? null,
      solve_epoch: solveEpoch,
      epochs: this.history.length,
      elapsed_ms: elapsed,
      time_to_solve_ms: this.solveMs,
      secret,
      history: this.history,
    };
    const memory = tracker.report();
    if (memory) result.memory = memory;
    if (this.message) result.message = this.message;
    return result;
  }
}
