// The small interface every training algorithm implements (backprop, forward-forward), so that one epoch driver
// (epoch-driver.ts) owns the loop: stages, shuffling, batches, stop reasons, evaluation and the history.
import type { Evaluation } from './metrics.js';
import type { Dataset, TaskData } from './tasks.js';

export type StepResult = {
  lossSum: number;
  /** false when no sample contributed a gradient (hinge) and the update was skipped: no parameter changed. */
  updated: boolean;
  /** A loss gradient was computed (the epoch's mean gradient norms are over these steps). */
  gradient: boolean;
  gradNormLayer1: number;
  gradNormLayer2: number;
};

/** An epoch's steps taken in one call: what the driver would have summed over their StepResults. */
export type EpochStepsResult = {
  updates: number;
  /** Steps with a loss gradient, and the sums of their gradient norms (in step order). */
  gradients: number;
  norm1: number;
  norm2: number;
  /** The step whose loss ended the run (its loss sum and batch size), or null. */
  diverged: { lossSum: number; size: number } | null;
};

export interface TrainingAlgorithm {
  /** Names the batch loss in a divergence message ("batch loss 1e9 in epoch 3"). */
  readonly lossLabel: string;
  /** The first stage's model: a fresh init shaped for this data. */
  init(data: TaskData): void;
  /** A later curriculum stage: the trained model grown to this data's inputs (same secret). */
  grow(data: TaskData): void;
  /** One optimisation step on the rows order[start .. start + size) of data.train. */
  step(data: TaskData, order: Int32Array, start: number, size: number): StepResult;
  /** Accuracy, mean loss and Fourier coefficient of the current model on one dataset of data. */
  evaluate(data: TaskData, dataset: Dataset): Evaluation;
  /** Hidden progress of the current parameters: ||w - w_0||_1 and W1 sparsity. */
  progress(): { weightMovementL1: number; w1Sparsity: number };
  /** The kernel set that ran (core/wasm/kernels.ts), for RunResult.kernels when the config names a backend; 'ts' when absent. */
  readonly kernelSet?: 'ts' | 'wasm-exact' | 'wasm-fast';
  /** Why the kernel set is not the one the config asked for (wasm SIMD missing), or null. */
  readonly kernelNotice?: string | null;
  /** All of an epoch's steps over the shuffled order in one call (core/wasm/epoch.ts), or null: then step by step. */
  trainEpochSteps?(order: Int32Array): EpochStepsResult | null;
}
