// train(): one configuration, one seed -> a RunResult with per-epoch history, through the one epoch driver
// (epoch-driver.ts) with the configured algorithm (backprop in an update order, or forward-forward).
import type { TrainingAlgorithm } from './algorithm.js';
import { Backprop } from './backprop-algorithm.js';
import type { TrainConfig } from './config.js';
import { runEpochs } from './epoch-driver.js';
import { ForwardForward } from './forward-forward.js';
import type { RunResult } from './result.js';
import type { TrainOptions } from './run-recorder.js';
import { nullTracker } from './tracker.js';

export type { TrainOptions } from './run-recorder.js';
export { gatherRows } from './backprop.js';

export function train(config: TrainConfig, seed: number, options: TrainOptions = {}): RunResult {
  return runEpochs(createAlgorithm(config, seed, options), config, seed, options);
}

export function createAlgorithm(config: TrainConfig, seed: number, options: TrainOptions = {}): TrainingAlgorithm {
  const tracker = options.tracker ?? nullTracker;
  return config.algorithm === 'forward-forward' ? new ForwardForward(config, seed, tracker) : new Backprop(config, seed, tracker, options.simdAvailable);
}
