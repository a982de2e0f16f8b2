// Backprop as a TrainingAlgorithm over the 2-layer MLP: the model and its buffers for the run's kernel set
// (TS, or wasm from config key backend), curriculum growth, one step in the config's update order
// (core/backprop.ts), evaluation, and one wasm call per epoch where it repeats those steps (core/wasm/epoch.ts).
import type { EpochStepsResult, StepResult, TrainingAlgorithm } from './algorithm.js';
import { bind, createBatchBuffers, createModel, gatherRows, gatherTraffic, trainStep, type StepContext } from './backprop.js';
import { isModularTask, type TrainConfig } from './config.js';
import { evaluate, w1Sparsity, weightMovementL1, type Evaluation } from './metrics.js';
import { expandInputs, initMlp } from './mlp.js';
import { initOptimizerState } from './optimizers.js';
import { mlpLayout, tensorOf, type ParamLayout } from './params.js';
import { Rng } from './random.js';
import type { Dataset, TaskData } from './tasks.js';
import { trackWrites } from './traffic.js';
import type { Tracker } from './tracker.js';
import { createEpochSteps, epochStepsBytes, type WasmEpochSteps } from './wasm/epoch.js';
import { runCapacityBytes, selectKernels, tsKernels, type Kernels } from './wasm/kernels.js';

/** Backprop over the 2-layer MLP, in the config's update order. */
export class Backprop implements TrainingAlgorithm {
  readonly lossLabel = 'batch loss';
  private readonly growRng: Rng;
  private ctx!: StepContext;
  private initial!: Float32Array;
  /** The kernel set of the current model (one wasm arena per model: a curriculum stage gets a fresh one). */
  private kernels: Kernels = tsKernels;
  /** Set when the config asked for wasm and the engine lacks SIMD (the run uses the TS kernels). */
  kernelNotice: string | null = null;
  /** One wasm call per epoch, for the runs whose steps it repeats (core/wasm/epoch.ts); null: step by step. */
  private epochSteps: WasmEpochSteps | null = null;

  constructor(
    private readonly config: TrainConfig,
    private readonly seed: number,
    private readonly tracker: Tracker,
    private readonly simdAvailable?: () => boolean,
  ) {
    this.growRng = new Rng(seed, 'curriculum-growth');
  }

  init(data: TaskData): void {
    const layout = mlpLayout(data.train.inputs, this.config.hidden, data.outputs);
    const params = initMlp(layout, new Rng(this.seed, 'init'));
    this.setModel(data, layout, params);
    this.initial = params.slice();
  }

  /** New W1 columns count their own init as w_0, so hidden progress measures training only. */
  grow(data: TaskData): void {
    const { model } = this.ctx;
    const grown = expandInputs(model.params, model.layout, data.train.inputs, this.growRng);
    const initial = grown.params.slice();
    const oldW1 = tensorOf(this.initial, model.layout.W1);
    const newW1 = tensorOf(initial, grown.layout.W1);
    const { inputs: oldInputs, hidden } = model.layout;
    for (let o = 0; o < hidden; o++) newW1.set(oldW1.subarray(o * oldInputs, (o + 1) * oldInputs), o * grown.layout.inputs);
    for (const name of ['b1', 'W2', 'b2'] as const) tensorOf(initial, grown.layout[name]).set(tensorOf(this.initial, model.layout[name]));
    this.initial = initial;
    this.setModel(data, grown.layout, grown.params);
  }

  step(data: TaskData, order: Int32Array, start: number, size: number): StepResult {
    const { batch, tracker } = this.ctx;
    tracker.begin('gather');
    gatherRows(batch, data.train, order, start, size);
    trackWrites(tracker, gatherTraffic, bind.gather, size, data.train.inputs);
    tracker.end('gather');
    return trainStep(this.ctx, size);
  }

  evaluate(data: TaskData, dataset: Dataset): Evaluation {
    const { params, layout } = this.ctx.model;
    return evaluate(params, layout, dataset, { loss: this.config.loss, kind: data.kind, secret: data.secret }, this.kernels);
  }

  trainEpochSteps(order: Int32Array): EpochStepsResult | null {
    return this.epochSteps ? this.epochSteps.steps(order) : null;
  }

  /** What ran: 'ts', 'wasm-exact' or 'wasm-fast' ('ts' where wasm SIMD is missing). */
  get kernelSet(): Kernels['name'] {
    return this.kernels.name;
  }

  progress(): { weightMovementL1: number; w1Sparsity: number } {
    const { params, layout } = this.ctx.model;
    return { weightMovementL1: weightMovementL1(params, this.initial), w1Sparsity: w1Sparsity(params, layout) };
  }

  private setModel(data: TaskData, layout: ParamLayout, params: Float32Array): void {
    const choice = { backend: this.config.backend ?? 'ts', mode: this.config.backend_mode ?? 'exact' } as const;
    const capacityBytes = runCapacityBytes(layout, this.config.batch_size) + epochStepsBytes(this.config, layout, this.tracker, data.train);
    const selected = selectKernels(choice, { capacityBytes, simdAvailable: this.simdAvailable });
    this.kernels = selected.kernels;
    this.kernelNotice = selected.notice;
    const model = createModel(layout, params, initOptimizerState(this.config, layout, this.kernels.orthogonalize), this.kernels);
    const batch = createBatchBuffers(layout, this.config.batch_size, isModularTask(this.config.task) ? 'one-hot' : 'signs', this.kernels);
    this.ctx = { config: this.config, kind: data.kind, model, batch, tracker: this.tracker, kernels: this.kernels };
    this.epochSteps = createEpochSteps(this.config, this.tracker, data.train, this.kernels, { model, batch });
    for (const tensor of layout.tensors) this.tracker.write(tensor.name, tensor.size);
  }
}
