// One wasm call per epoch (core/wasm/assembly/epoch.ts) for the runs whose step it repeats exactly: backprop in the
// standard order, SGD or EGD, hinge loss, one output, untracked, on the wasm kernel set. The training set and the shuffled
// order live on the run's wasm memory; the epoch driver shuffles, calls this once, and records the epoch as usual.
import type { EpochStepsResult } from '../algorithm.js';
import { isModularTask, type TrainConfig } from '../config.js';
import type { ParamLayout } from '../params.js';
import type { Dataset } from '../tasks.js';
import { nullTracker, type Tracker } from '../tracker.js';
import type { WasmArena } from './arena.js';
import type { Kernels } from './kernels.js';

type Tensors = Record<'W1' | 'b1' | 'W2' | 'b2', Float32Array>;

/** The run's buffers the epoch reads and writes (views on the arena's memory): core/backprop.ts's Model and BatchBuffers. */
export type EpochStepsBuffers = {
  /** p, g: the tensor views; grads: the whole gradient buffer (zeroed before each backward, as grads.fill(0)). */
  model: { layout: ParamLayout; p: Tensors; g: Tensors; grads: Float32Array };
  batch: { x: Float32Array; y: Float32Array; h: Float32Array; out: Float32Array; dout: Float32Array; dh: Float32Array; signTables: unknown };
};

/** The epoch in one call for this model, or null when the run takes the step-by-step loop. */
export function createEpochSteps(config: TrainConfig, tracker: Tracker, train: Dataset, kernels: Kernels, buffers: EpochStepsBuffers): WasmEpochSteps | null {
  if (!kernels.arena || !epochStepsApply(config, buffers.model.layout, tracker)) return null;
  return new WasmEpochSteps(kernels.arena, kernels.name === 'wasm-exact' ? 'exact' : 'fast', config, train, buffers);
}

/** Whether a run's steps are the ones the wasm epoch repeats (anything else takes the step-by-step loop). */
export function epochStepsApply(config: TrainConfig, layout: ParamLayout, tracker: Tracker): boolean {
  return (
    config.backend === 'wasm' &&
    tracker === nullTracker &&
    config.algorithm === 'backprop' &&
    config.order === 'standard' &&
    (config.optimizer === 'sgd' || (config.optimizer === 'egd' && (config.egd_variant ?? 'all-tensors') === 'all-tensors')) && // other EGD variants: the TS step
    config.loss === 'hinge' &&
    layout.outputs === 1 &&
    !isModularTask(config.task)
  );
}

/** Words of the context block, in core/wasm/assembly/epoch.ts's order; f64 words start at byte 192. */
const CONTEXT_WORDS = 33;
const FAILED = 32;
const F64_WORD = 16;
const F64 = { lr: 0, wd: 1, norm1: 2, norm2: 3, lossSum: 4, gradients: 5, updates: 6, divergedSize: 7 };
/** Inputs per sign-table group (core/mlp.ts SIGN_GROUP). */
const SIGN_GROUP = 5;

/** Bytes of wasm memory the epoch adds to a run that takes it (0 otherwise): the training set, the order, the context. */
export function epochStepsBytes(config: TrainConfig, layout: ParamLayout, tracker: Tracker, train: Dataset): number {
  return epochStepsApply(config, layout, tracker) ? 4 * (train.count * (train.inputs + 2)) + 384 + 64 : 0;
}

export class WasmEpochSteps {
  private readonly context: Int32Array;
  private readonly reals: Float64Array;
  private readonly order: Int32Array;
  private readonly run: (context: number) => void;
  private readonly gramSide: number;

  constructor(arena: WasmArena, mode: 'exact' | 'fast', config: TrainConfig, train: Dataset, buffers: EpochStepsBuffers) {
    const { inputs: I, hidden: H } = buffers.model.layout;
    const words = arena.allocate(96);
    this.context = new Int32Array(words.buffer, words.byteOffset, CONTEXT_WORDS);
    this.reals = new Float64Array(words.buffer, words.byteOffset + 192, F64_WORD);
    this.gramSide = Math.min(I, H);
    const trainX = arena.allocate(train.count * I);
    trainX.set(train.x.subarray(0, train.count * I));
    const trainY = arena.allocate(train.count);
    trainY.set(train.y.subarray(0, train.count));
    const order = arena.allocate(train.count);
    this.order = new Int32Array(order.buffer, order.byteOffset, train.count);
    const groups = Math.ceil(I / SIGN_GROUP);
    const { p, g } = buffers.model;
    const batch = buffers.batch;
    // The scratch names of core/wasm/kernels.ts, so the regions are the ones the step-by-step kernels use.
    const pointers = [
      [p.W1, p.b1, p.W2, p.b2, g.W1, g.b1, g.W2, g.b2].map((array) => array.byteOffset),
      [batch.x, batch.y, batch.h, batch.out, batch.dout, batch.dh, trainX, trainY, order].map((array) => array.byteOffset),
      [train.count, I, H, config.batch_size, mode === 'exact' ? 1 : 0, config.zero_gradient_batch === 'skip' ? 1 : 0],
      [arena.scratch(Math.max(I * H, H)), arena.scratch((groups * (1 << SIGN_GROUP) + 1) * H, 'sign-table')],
      [arena.scratch(Math.ceil(groups / 4) * 4, 'sign-offsets'), arena.scratch(2 * H, 'sign-acc'), batch.signTables ? 1 : 0],
      [buffers.model.grads.byteOffset, buffers.model.grads.length],
      // EGD's workspace for W1 (H x I), as the kernel set's orthogonalize keeps one per tensor.
      [config.optimizer === 'egd' ? 1 : 0, arena.scratch(arena.exports.orthogonalizeWorkspaceBytes(H, I) / 4, 'epoch-egd-W1'), 0],
    ].flat();
    this.context.set(pointers);
    this.reals[F64.lr] = config.lr;
    this.reals[F64.wd] = config.wd;
    const exports = arena.exports as unknown as { trainEpochSteps(context: number): void };
    this.run = exports.trainEpochSteps;
  }

  /** The epoch's steps over `order` (already shuffled by the driver). */
  steps(order: Int32Array): EpochStepsResult {
    this.order.set(order);
    this.context[FAILED] = 0;
    this.run(this.context.byteOffset);
    const failed = this.context[FAILED]!;
    if (failed < 0) throw new Error(`core/linalg.ts symmetricEigen: QL did not converge for eigenvalue ${-1 - failed} of ${this.gramSide}`);
    const r = this.reals;
    const divergedSize = r[F64.divergedSize]!;
    return {
      updates: r[F64.updates]!,
      gradients: r[F64.gradients]!,
      norm1: r[F64.norm1]!,
      norm2: r[F64.norm2]!,
      diverged: divergedSize > 0 ? { lossSum: r[F64.lossSum]!, size: divergedSize } : null,
    };
  }
}
