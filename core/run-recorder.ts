// Bookkeeping shared by every training algorithm: the epoch history, the stop rules (solved,
// diverged, timed out) and the RunResult summary with the seeds' figures.
import type { TrainConfig } from './config.js';
import { SOLVED_ACCURACY, type EpochRecord, type RunResult, type RunStatus } from './result.js';
import type { MemTracker, Tracker } from './tracker.js';

export type TrainOptions = {
  /** Receives every buffer access; pass a MemTracker to measure ARD / DMC. */
  tracker?: Tracker;
  /** Milliseconds clock (injected: the core reads no clock of its own). Without one, times are 0. */
  now?: () => number;
  /** Stop with status 'timeout' once training has run this long (ms). */
  timeLimitMs?: number;
  onEpoch?: (record: EpochRecord) => void;
};

/** A loss above this (per sample), or not finite, ends the run as diverged. */
export const DIVERGENCE_LOSS = 1e6;

/** Shared bookkeeping of a run: history, stop rules, summary (also used by forward-forward). */
export class RunRecorder {
  readonly history: EpochRecord[] = [];
  private readonly startedAt: number;
  status: RunStatus = 'ok';
  message: string | undefined;
  solveMs: number | null = null;
  /** Kernel set actually used ('ts' after a fallback), recorded when the config names a backend. */
  kernels: RunResult['kernels'];

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

  /** Records an epoch; returns true when the final stage is solved (training stops). */
  record(entry: EpochRecord): boolean {
    this.history.push(entry);
    this.options.onEpoch?.(entry);
    const finalStage = entry.stage_n === this.config.n_bits;
    if (!Number.isFinite(entry.train_loss) || entry.train_loss > DIVERGENCE_LOSS) {
      this.diverge(`train loss ${entry.train_loss} at epoch ${entry.epoch}`);
      return false;
    }
    if (finalStage && entry.test_acc >= 1 && this.solveMs === null) this.solveMs = this.elapsed();
    return finalStage && entry.test_acc >= 1;
  }

  diverge(message: string): void {
    this.status = 'diverged';
    this.message = `diverged: ${message}`;
  }

  timeout(): void {
    this.status = 'timeout';
    this.message = `time limit of ${this.options.timeLimitMs} ms reached after ${this.history.length} epochs`;
  }

  result(secret: number[], tracker: Tracker): RunResult {
    const final = this.history.filter((entry) => entry.stage_n === this.config.n_bits);
    const bestTestAcc = final.reduce((best, entry) => Math.max(best, entry.test_acc), 0);
    const elapsed = this.elapsed();
    const result: RunResult = {
      seed: this.seed,
      status: this.status,
      solved: this.status !== 'timeout' && bestTestAcc >= SOLVED_ACCURACY,
      best_test_acc: bestTestAcc,
      final_test_acc: final.length > 0 ? final[final.length - 1]!.test_acc : 0,
      epoch_90: final.find((entry) => entry.test_acc >= 0.9)?.epoch ?? null,
      solve_epoch: final.find((entry) => entry.test_acc >= 1)?.epoch ?? null,
      epochs: this.history.length,
      elapsed_ms: elapsed,
      time_to_solve_ms: this.solveMs,
      secret,
      history: this.history,
    };
    if ('report' in tracker) result.memory = (tracker as MemTracker).report();
    if (this.message) result.message = this.message;
    if (this.kernels) result.kernels = this.kernels;
    return result;
  }
}
