// The training loop: one configuration, one seed -> a RunResult with per-epoch history.
// Stops at the first epoch with 100% test accuracy (the seeds' rule), on divergence, or at the time limit.
// Curriculum over n: train at each stage size until solved, then grow W1's inputs and go on (same secret).
import { isModularTask, type TrainConfig } from './config.js';
import { createBatchBuffers, createModel, trainStep, type BatchBuffers, type Model, type StepContext } from './backprop.js';
import { trainForwardForward } from './forward-forward.js';
import { evaluate, w1Sparsity, weightMovementL1 } from './metrics.js';
import { expandInputs, initMlp } from './mlp.js';
import { initOptimizerState } from './optimizers.js';
import { mlpLayout, tensorOf } from './params.js';
import { Rng } from './random.js';
import type { EpochRecord, RunResult } from './result.js';
import { DIVERGENCE_LOSS, RunRecorder, type TrainOptions } from './run-recorder.js';
import { makeTaskData, type TaskData } from './tasks.js';
import { nullTracker, type Tracker } from './tracker.js';
import { runCapacityBytes, selectKernels, tsKernels, type Kernels } from './wasm/kernels.js';

export type { TrainOptions } from './run-recorder.js';


export function train(config: TrainConfig, seed: number, options: TrainOptions = {}): RunResult {
  if (config.algorithm === 'forward-forward') return trainForwardForward(config, seed, options);
  const run = new RunLoop(config, seed, options);
  return run.execute();
}

class RunLoop {
  private readonly tracker: Tracker;
  private readonly recorder: RunRecorder;
  private readonly shuffleRng: Rng;
  private readonly growRng: Rng;
  private model!: Model;
  private initial!: Float32Array;
  private batch!: BatchBuffers;
  /** The kernel set of the current model (one wasm arena per model: a curriculum stage gets a fresh one). */
  private kernels: Kernels = tsKernels;

  constructor(
    private readonly config: TrainConfig,
    private readonly seed: number,
    options: TrainOptions,
  ) {
    this.tracker = options.tracker ?? nullTracker;
    this.recorder = new RunRecorder(config, seed, options);
    this.shuffleRng = new Rng(seed, 'shuffle');
    this.growRng = new Rng(seed, 'curriculum-growth');
  }

  execute(): RunResult {
    const stages = this.config.curriculum ?? [this.config.n_bits];
    let epoch = 0;
    let secret: number[] = [];
    for (const [index, stageN] of stages.entries()) {
      const data = makeTaskData(this.config, this.seed, stageN);
      secret = data.secret;
      if (index === 0) this.createModel(data);
      else this.growModel(data.train.inputs);
      const solved = this.trainStage(data, stageN, () => ++epoch);
      if (!solved || this.recorder.status !== 'ok' || epoch >= this.config.max_epochs) break;
    }
    return this.recorder.result(secret, this.tracker);
  }

  /** Epochs on one stage until its test set is solved or the budget ends; returns whether it was solved. */
  private trainStage(data: TaskData, stageN: number, nextEpoch: () => number): boolean {
    const order = Int32Array.from({ length: data.train.count }, (_, i) => i);
    while (this.recorder.history.length < this.config.max_epochs) {
      const epoch = nextEpoch();
      const stats = this.trainEpoch(data, order);
      if (this.recorder.status !== 'ok') return false;
      const solved = this.recorder.record(this.epochRecord(data, stageN, epoch, stats));
      if (this.recorder.status !== 'ok') return false;
      if (stageN !== this.config.n_bits && this.recorder.history[this.recorder.history.length - 1]!.test_acc >= 1) return true;
      if (solved) return true;
      if (this.recorder.timedOut()) {
        this.recorder.timeout();
        return false;
      }
    }
    return false;
  }

  private trainEpoch(data: TaskData, order: Int32Array): { gradNorm1: number; gradNorm2: number } {
    this.shuffleRng.shuffle(order);
    const ctx: StepContext = { config: this.config, kind: data.kind, model: this.model, batch: this.batch, tracker: this.tracker, kernels: this.kernels };
    const B = this.config.batch_size;
    let norm1 = 0;
    let norm2 = 0;
    let updates = 0;
    for (let start = 0, step = 0; start < data.train.count; start += B, step++) {
      const size = Math.min(B, data.train.count - start);
      gatherRows(this.batch, data.train, order, start, size);
      // The batch arrives (written once per step); the stored dataset is a stream, not counted, so ARD
      // measures the step's own reuse pattern rather than how long the run has been going.
      this.tracker.write('x', size * data.train.inputs);
      this.tracker.write('y', size);
      const step_ = trainStep(ctx, size);
      if (!Number.isFinite(step_.lossSum) || step_.lossSum / size > DIVERGENCE_LOSS) {
        this.recorder.diverge(`batch loss ${step_.lossSum / size} in epoch ${this.recorder.history.length + 1}`);
        break;
      }
      if (step_.updated) {
        norm1 += step_.gradNormLayer1;
        norm2 += step_.gradNormLayer2;
        updates++;
      }
      if (step % 16 === 15 && this.recorder.timedOut()) break;
    }
    return { gradNorm1: updates ? norm1 / updates : 0, gradNorm2: updates ? norm2 / updates : 0 };
  }

  private epochRecord(data: TaskData, stageN: number, epoch: number, stats: { gradNorm1: number; gradNorm2: number }): EpochRecord {
    const { params, layout } = this.model;
    const options = { loss: this.config.loss, kind: data.kind, secret: data.secret };
    const trainEval = evaluate(params, layout, data.train, options, this.kernels);
    const testEval = evaluate(params, layout, data.test, options, this.kernels);
    return {
      epoch,
      stage_n: stageN,
      train_acc: trainEval.accuracy,
      test_acc: testEval.accuracy,
      train_loss: trainEval.loss,
      test_loss: testEval.loss,
      weight_movement_l1: weightMovementL1(params, this.initial),
      fourier_secret: testEval.fourierSecret,
      w1_sparsity: w1Sparsity(params, layout),
      grad_norm_layer1: stats.gradNorm1,
      grad_norm_layer2: stats.gradNorm2,
    };
  }

  private createModel(data: TaskData): void {
    const layout = mlpLayout(data.train.inputs, this.config.hidden, data.outputs);
    const params = initMlp(layout, new Rng(this.seed, 'init'));
    this.setModel(layout, params);
    this.initial = params.slice();
  }

  /** New W1 columns count their own init as w_0, so hidden progress measures training only. */
  private growModel(inputs: number): void {
    const grown = expandInputs(this.model.params, this.model.layout, inputs, this.growRng);
    const oldLayout = this.model.layout;
    const initial = grown.params.slice();
    const oldInitial = this.initial;
    const oldW1 = tensorOf(oldInitial, oldLayout.W1);
    const newW1 = tensorOf(initial, grown.layout.W1);
    for (let o = 0; o < oldLayout.hidden; o++) newW1.set(oldW1.subarray(o * oldLayout.inputs, (o + 1) * oldLayout.inputs), o * inputs);
    for (const name of ['b1', 'W2', 'b2'] as const) tensorOf(initial, grown.layout[name]).set(tensorOf(oldInitial, oldLayout[name]));
    this.initial = initial;
    this.setModel(grown.layout, grown.params);
  }

  private setModel(layout: Model['layout'], params: Float32Array): void {
    const choice = { backend: this.config.backend ?? 'ts', mode: this.config.backend_mode ?? 'exact' } as const;
    this.kernels = selectKernels(choice, { capacityBytes: runCapacityBytes(layout, this.config.batch_size) }).kernels;
    this.recorder.kernels = this.config.backend ? this.kernels.name : undefined;
    this.model = createModel(layout, params, initOptimizerState(this.config, layout), this.kernels);
    this.batch = createBatchBuffers(layout, this.config.batch_size, isModularTask(this.config.task) ? 'one-hot' : 'signs', this.kernels);
    for (const tensor of layout.tensors) this.tracker.write(tensor.name, tensor.size);
  }

}

/** Copies the rows order[start..start+size) into the batch buffers. */
export function gatherRows(batch: BatchBuffers, data: TaskData['train'], order: Int32Array, start: number, size: number): void {
  const I = data.inputs;
  for (let b = 0; b < size; b++) {
    const row = order[start + b]!;
    batch.x.set(data.x.subarray(row * I, row * I + I), b * I);
    batch.y[b] = data.y[row]!;
  }
}
