// What one training run produces: per-epoch history, the seeds' summary figures, memory traffic.
import type { MemoryReport } from './tracker.js';

export type EpochRecord = {
  epoch: number;
  /** Curriculum stage size n (equals n_bits without a curriculum). */
  stage_n: number;
  train_acc: number;
  test_acc: number;
  train_loss: number;
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

export type RunResult = {
  seed: number;
  /** 'diverged': NaN or exploding loss ended the run; 'timeout': the deadline passed. */
  status: RunStatus;
  /** best_test_acc >= 0.95 (the seeds' rule). */
  solved: boolean;
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
};

export const SOLVED_ACCURACY = 0.95;
