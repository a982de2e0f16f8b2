// The one training loop: curriculum stages, epochs, shuffled batches, the stop rules and the history, over any
// TrainingAlgorithm (backprop, forward-forward). Every step and epoch hands back why it stops, as a value.
// Stops at the first epoch with 100% test accuracy on the final stage (the seeds' rule), on divergence, when an epoch
// changed no parameter (frozen), at the time limit, or after max_epochs; a curriculum stage ends when its test set is solved.
import type { EpochStepsResult, StepResult, TrainingAlgorithm } from './algorithm.js';
import type { TrainConfig } from './config.js';
import { Rng } from './random.js';
import type { EpochRecord, EpochStop, RunResult, StopReason } from './result.js';
import { isDivergedLoss, RunRecorder, type TrainOptions } from './run-recorder.js';
import { makeTaskData, type TaskData } from './tasks.js';
import { nullTracker, type Tracker } from './tracker.js';

/** Time-limit checks inside an epoch happen every this many steps (the clock is injected and may be slow). */
const STEPS_PER_CLOCK_CHECK = 16;

type Run = {
  algorithm: TrainingAlgorithm;
  config: TrainConfig;
  recorder: RunRecorder;
  tracker: Tracker;
  shuffleRng: Rng;
};

type EpochOutcome = { stop: 'diverged' | null; updates: number; gradNormLayer1: number; gradNormLayer2: number };

export function runEpochs(algorithm: TrainingAlgorithm, config: TrainConfig, seed: number, options: TrainOptions = {}): RunResult {
  const tracker = options.tracker ?? nullTracker;
  const run: Run = { algorithm, config, recorder: new RunRecorder(config, seed, options), tracker, shuffleRng: new Rng(seed, 'shuffle') };
  const stages = config.curriculum ?? [config.n_bits];
  let secret: number[] = [];
  let stop: StopReason = 'out_of_epochs';
  for (const [index, stageN] of stages.entries()) {
    const data = makeTaskData(config, seed, stageN);
    secret = data.secret;
    if (index === 0) algorithm.init(data);
    else algorithm.grow(data);
    const stageStop = trainStage(run, data, stageN);
    if (stageStop !== 'stage_solved') {
      stop = stageStop;
      break;
    }
    if (run.recorder.history.length >= config.max_epochs) break;
  }
  const result = run.recorder.result(secret, stop, tracker);
  // Recorded only when the config names a backend, so configs without one keep their results (and hashes).
  if (config.backend) result.kernels = algorithm.kernelSet ?? 'ts';
  if (algorithm.kernelNotice) result.kernels_notice = algorithm.kernelNotice;
  return result;
}

/** Epochs on one stage until one of them says why the stage (or the run) stops. */
function trainStage(run: Run, data: TaskData, stageN: number): EpochStop {
  const order = Int32Array.from({ length: data.train.count }, (_, i) => i);
  while (run.recorder.history.length < run.config.max_epochs) {
    const epoch = run.recorder.history.length + 1;
    const outcome = trainEpoch(run, data, order, epoch);
    if (outcome.stop) return outcome.stop;
    const stop = run.recorder.record(epochRecord(run, data, stageN, epoch, outcome));
    if (stop) return stop;
    if (outcome.updates === 0) return 'frozen';
    if (run.recorder.timedOut()) return 'timed_out';
  }
  return 'out_of_epochs';
}

/** One pass over the shuffled training set; a diverged batch ends it at once. */
function trainEpoch(run: Run, data: TaskData, order: Int32Array, epoch: number): EpochOutcome {
  run.shuffleRng.shuffle(order);
  const whole = run.algorithm.trainEpochSteps?.(order) ?? null;
  if (whole) return wholeEpochOutcome(run, whole, epoch);
  const B = run.config.batch_size;
  let norm1 = 0;
  let norm2 = 0;
  let gradients = 0;
  let updates = 0;
  for (let start = 0, step = 0; start < data.train.count; start += B, step++) {
    const size = Math.min(B, data.train.count - start);
    const result: StepResult = run.algorithm.step(data, order, start, size);
    if (isDivergedLoss(result.lossSum, size)) {
      return {
        stop: run.recorder.diverged(`${run.algorithm.lossLabel} ${result.lossSum / size} in epoch ${epoch}`),
        updates,
        gradNormLayer1: 0,
        gradNormLayer2: 0,
      };
    }
    if (result.updated) updates++;
    if (result.gradient) {
      norm1 += result.gradNormLayer1;
      norm2 += result.gradNormLayer2;
      gradients++;
    }
    if (step % STEPS_PER_CLOCK_CHECK === STEPS_PER_CLOCK_CHECK - 1 && run.recorder.timedOut()) break;
  }
  return { stop: null, updates, gradNormLayer1: gradients ? norm1 / gradients : 0, gradNormLayer2: gradients ? norm2 / gradients : 0 };
}

/** The outcome of an epoch taken in one call (no clock check inside it: the epochs that take it are short). */
function wholeEpochOutcome(run: Run, steps: EpochStepsResult, epoch: number): EpochOutcome {
  const { updates, gradients, diverged } = steps;
  if (diverged) {
    const message = `${run.algorithm.lossLabel} ${diverged.lossSum / diverged.size} in epoch ${epoch}`;
    return { stop: run.recorder.diverged(message), updates, gradNormLayer1: 0, gradNormLayer2: 0 };
  }
  return { stop: null, updates, gradNormLayer1: gradients ? steps.norm1 / gradients : 0, gradNormLayer2: gradients ? steps.norm2 / gradients : 0 };
}

function epochRecord(run: Run, data: TaskData, stageN: number, epoch: number, outcome: EpochOutcome): EpochRecord {
  run.tracker.begin('evaluate');
  const every = run.config.eval_train_every;
  const trainEval = every > 0 && epoch % every === 0 ? run.algorithm.evaluate(data, data.train) : null;
  const testEval = run.algorithm.evaluate(data, data.test);
  const progress = run.algorithm.progress();
  run.tracker.end('evaluate');
  return {
    epoch,
    stage_n: stageN,
    train_acc: trainEval?.accuracy ?? null,
    test_acc: testEval.accuracy,
    train_loss: trainEval?.loss ?? null,
    test_loss: testEval.loss,
    weight_movement_l1: progress.weightMovementL1,
    fourier_secret: testEval.fourierSecret,
    w1_sparsity: progress.w1Sparsity,
    grad_norm_layer1: outcome.gradNormLayer1,
    grad_norm_layer2: outcome.gradNormLayer2,
  };
}
