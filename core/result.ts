// What one training run produces: per-epoch history, the seeds' summary figures, memory traffic.
import type { MemoryReport } from './tracker.js';

export type EpochRecord = {
  epoch: number;
  /** Curriculum stage size n (equals n_bits without a curriculum). */
  stage_n: number;
  /** null in the epochs that skip the train-set evaluation (eval_train_every). */
  train_acc: number | null;
  test_acc: number;
  train_loss: number | null;
  test_loss: number;
  /** Hidden progress ||w_t - w_0||_1 over all parameters (W1's new curriculum columns count from their init). */
  weight_movement_l1: number;
  /** Fourier coefficient of the secret subset: mean over test data of f(x) * prod_{i in S} x_i (null for mod tasks). */
  fourier_secret: number | null;
  /** Fraction of W1 entries with |w| < 0.01. */
  w1_sparsity: number;
  /** Mean L2 norm of the layer-1 and layer-2 weight gradients over the epoch's updates. */
  grad_norm_layer1: number;
  grad_norm_layer2: number;
};

export type RunStatus = 'ok' | 'diverged' | 'timeout';

/**
 * Why a run ended, as a value: solved (100% test accuracy on the final stage, the seeds' stop rule), diverged
 * (NaN or exploding loss), timed_out (the time limit passed), out_of_epochs (max_epochs reached), frozen (under the
 * seeds' skip rule, an epoch in which no batch changed any parameter: every training sample meets the margin, so no
 * later epoch can change anything either; typically a memorised training set).
 */
export const stopReasons = ['solved', 'diverged', 'timed_out', 'out_of_epochs', 'frozen'] as const;
export type StopReason = (typeof stopReasons)[number];

/** Why an epoch ends its stage: a run's stop reason, or stage_solved (a curriculum stage reached 100%, the run goes on). */
export type EpochStop = StopReason | 'stage_solved';

/** The status of a run with this stop reason (the older, coarser field). */
export function statusOf(stop: StopReason): RunStatus {
  return stop === 'diverged' ? 'diverged' : stop === 'timed_out' ? 'timeout' : 'ok';
}

export type RunResult = {
  seed: number;
  /** 'diverged': NaN or exploding loss ended the run; 'timeout': the deadline passed. */
  status: RunStatus;
  /** Always set by train(); optional only so results files written before it was recorded still read. */
  stop_reason?: StopReason;
  /** Reached 100% test accuracy on the final stage (the seeds' stop rule): solve_epoch is not null. */
  solved: boolean;
  /** best_test_acc >= 0.95 (not timed out): a threshold with its own name, not "solved". */
  reached_95: boolean;
  best_test_acc: number;
  final_test_acc: number;
  /** First epoch with test accuracy >= 0.9, or null. */
  epoch_90: number | null;
  /** First epoch with test accuracy 1.0 (training stops there), or null. */
  solve_epoch: number | null;
  epochs: number;
  /** The training loop only: not data generation, not process start. */
  elapsed_ms: number;
  /** Wall time until solve_epoch, or null. */
  time_to_solve_ms: number | null;
  secret: number[];
  history: EpochRecord[];
  memory?: MemoryReport;
  /** Why the run ended early, when it did. */
  message?: string;
  /** The kernel set that ran (config key backend): 'ts', 'wasm-exact' or 'wasm-fast' ('ts' where wasm SIMD was missing). */
  kernels?: 'ts' | 'wasm-exact' | 'wasm-fast';
  /** The one-line notice when backend wasm fell back to the TS kernels (wasm SIMD missing); absent otherwise. */
  kernels_notice?: string;
};

/** The test accuracy of reached_95. */
export const REACHED_95_ACCURACY = 0.95;
