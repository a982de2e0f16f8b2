// One mini-batch step of backprop in each update order (seed 004): standard (all gradients, then all
// updates), fused (update layer 2 as soon as its gradients exist, then layer 1; same math), and per-layer
// (layer 1 forward-backward-update first, then a re-forward for layer 2's step; changes the math, seed 003).
// Every buffer access is reported to the tracker; with the null tracker the calls cost nothing.
import type { LabelKind } from './tasks.js';
import type { TrainConfig } from './config.js';
import { lossForwardBackward } from './losses.js';
import { l2Norm } from './metrics.js';
import { createSignTables, type SignTables } from './mlp.js';
import { oneHotIndices } from './one-hot.js';
import { transformGradient, type OptimizerState } from './optimizers.js';
import { tsKernels, type Kernels } from './wasm/kernels.js';
import { tensorOf, type ParamLayout, type TensorName, type TensorView } from './params.js';
import type { Tracker } from './tracker.js';

export type Model = {
  layout: ParamLayout;
  params: Float32Array;
  grads: Float32Array;
  optimizer: OptimizerState;
  /** Views of each tensor in params and grads, made once (a view per call would feed the GC every step). */
  p: TensorViews;
  g: TensorViews;
};

export type TensorViews = Record<TensorName, Float32Array>;

/** kernels.allocate places params (copied) and grads where the kernel set reads them without copying. */
export function createModel(layout: ParamLayout, initialParams: Float32Array, optimizer: OptimizerState, kernels: Kernels = tsKernels): Model {
  const params = kernels === tsKernels ? initialParams : kernels.allocate(layout.size);
  if (params !== initialParams) params.set(initialParams);
  const grads = kernels.allocate(layout.size);
  const views = (buffer: Float32Array): TensorViews => ({
    W1: tensorOf(buffer, layout.W1),
    b1: tensorOf(buffer, layout.b1),
    W2: tensorOf(buffer, layout.W2),
    b2: tensorOf(buffer, layout.b2),
  });
  return { layout, params, grads, optimizer, p: views(params), g: views(grads) };
}

/** Batch buffers, allocated once per run for the largest batch. */
export type BatchBuffers = {
  x: Float32Array;
  y: Float32Array;
  h: Float32Array;
  out: Float32Array;
  dout: Float32Array;
  dh: Float32Array;
  /** Layer-1 lookup tables when the inputs are all +-1 (see signLinearForward), else null. */
  signTables: SignTables | null;
  /** Modular tasks: the batch's two hot input indices per row (gather / scatter kernels), valid when the batch is one-hot. */
  oneHot: { indices: Int32Array; valid: boolean } | null;
};

export type StepContext = {
  config: TrainConfig;
  kind: LabelKind;
  model: Model;
  batch: BatchBuffers;
  tracker: Tracker;
  /** The kernel set (TS reference when absent; see core/wasm/kernels.ts). */
  kernels?: Kernels;
};

export type StepResult = {
  lossSum: number;
  /** false when no sample contributed a gradient (hinge) and the update was skipped. */
  updated: boolean;
  gradNormLayer1: number;
  gradNormLayer2: number;
};

/** Inputs: 'signs' (+-1 bits: sign tables), 'one-hot' (modular tasks: gather / scatter), or 'dense'. */
export function createBatchBuffers(layout: ParamLayout, maxBatch: number, inputs: boolean | 'signs' | 'one-hot' | 'dense', kernels: Kernels = tsKernels): BatchBuffers {
  const kind = inputs === true ? 'signs' : inputs === false ? 'dense' : inputs;
  return {
    x: kernels.allocate(maxBatch * layout.inputs),
    y: kernels.allocate(maxBatch),
    h: kernels.allocate(maxBatch * layout.hidden),
    out: kernels.allocate(maxBatch * layout.outputs),
    dout: kernels.allocate(maxBatch * layout.outputs),
    dh: kernels.allocate(maxBatch * layout.hidden),
    signTables: kind === 'signs' ? createSignTables(layout.inputs, layout.hidden) : null,
    oneHot: kind === 'one-hot' ? { indices: new Int32Array(maxBatch * ONE_HOT_PER_ROW), valid: false } : null,
  };
}

/** Hot inputs per row of a modular task ([onehot(a), onehot(b)]). */
const ONE_HOT_PER_ROW = 2;

/** Runs one step on the B rows already gathered into ctx.batch.x / ctx.batch.y. */
export function trainStep(ctx: StepContext, B: number): StepResult {
  if (ctx.config.order === 'per-layer') return perLayerStep(ctx, B);
  forwardBatch(ctx, B);
  const loss = lossBatch(ctx, B);
  const skipped = { lossSum: loss.lossSum, updated: false, gradNormLayer1: 0, gradNormLayer2: 0 };
  if (loss.contributing === 0) return skipped;
  ctx.model.grads.fill(0);
  backwardLayer2(ctx, B, true);
  const fused = ctx.config.order === 'fused';
  const gradNormLayer2 = l2Norm(ctx.model.g.W2);
  if (fused) updateLayer(ctx, 2);
  backwardLayer1(ctx, B);
  const gradNormLayer1 = l2Norm(ctx.model.g.W1);
  if (!fused) updateLayer(ctx, 2);
  updateLayer(ctx, 1);
  return { lossSum: loss.lossSum, updated: true, gradNormLayer1, gradNormLayer2 };
}

/** Layer 1 steps with the gradient through the current W2; then layer 2 steps on a re-forward through the new W1. */
function perLayerStep(ctx: StepContext, B: number): StepResult {
  forwardBatch(ctx, B);
  const first = lossBatch(ctx, B);
  if (first.contributing === 0) return { lossSum: first.lossSum, updated: false, gradNormLayer1: 0, gradNormLayer2: 0 };
  ctx.model.grads.fill(0);
  backwardLayer2(ctx, B, false);
  backwardLayer1(ctx, B);
  const gradNormLayer1 = l2Norm(ctx.model.g.W1);
  updateLayer(ctx, 1);
  forwardBatch(ctx, B);
  const second = lossBatch(ctx, B);
  let gradNormLayer2 = 0;
  if (second.contributing > 0) {
    backwardLayer2(ctx, B, true, false);
    gradNormLayer2 = l2Norm(ctx.model.g.W2);
    updateLayer(ctx, 2);
  }
  return { lossSum: first.lossSum, updated: true, gradNormLayer1, gradNormLayer2 };
}

export function forwardBatch(ctx: StepContext, B: number): void {
  const { layout } = ctx.model;
  const { inputs: I, hidden: H, outputs: O } = layout;
  const t = ctx.tracker;
  t.read('x', B * I);
  t.read('W1', layout.W1.size);
  t.read('b1', H);
  const k = ctx.kernels ?? tsKernels;
  const oneHot = ctx.batch.oneHot;
  if (oneHot) oneHot.valid = oneHotIndices(oneHot.indices, ctx.batch.x, B, I, ONE_HOT_PER_ROW);
  if (oneHot?.valid) k.oneHotHiddenForward(ctx.batch.h, oneHot.indices, ONE_HOT_PER_ROW, ctx.model.p.W1, ctx.model.p.b1, B, I, H);
  else k.hiddenForward(ctx.batch.h, ctx.batch.x, ctx.model.p.W1, ctx.model.p.b1, B, I, H, ctx.batch.signTables);
  t.write('h', B * H);
  t.read('h', B * H);
  t.read('W2', layout.W2.size);
  t.read('b2', O);
  k.linearForward(ctx.batch.out, ctx.batch.h, ctx.model.p.W2, ctx.model.p.b2, B, H, O);
  t.write('out', B * O);
}

/** Loss and dout, scaled by 1/B: gradients are summed over contributing samples and divided by the batch size. */
function lossBatch(ctx: StepContext, B: number) {
  const O = ctx.model.layout.outputs;
  ctx.tracker.read('out', B * O);
  ctx.tracker.read('y', B);
  const result = lossForwardBackward(ctx.batch.dout, ctx.batch.out, ctx.batch.y, 0, B, O, ctx.config.loss, ctx.kind);
  const scale = 1 / B;
  for (let i = 0; i < B * O; i++) ctx.batch.dout[i] = ctx.batch.dout[i]! * scale;
  ctx.tracker.write('dout', B * O);
  return result;
}

/** dW2, db2 (when weightGrads) and dh through the ReLU (when hiddenGrad), using W2 as it is now. */
function backwardLayer2(ctx: StepContext, B: number, weightGrads: boolean, hiddenGrad = true): void {
  const { layout } = ctx.model;
  const { hidden: H, outputs: O } = layout;
  const t = ctx.tracker;
  t.read('dout', B * O);
  t.read('h', B * H);
  if (hiddenGrad) t.read('W2', layout.W2.size);
  if (weightGrads) {
    (ctx.kernels ?? tsKernels).linearBackward(null, ctx.model.g.W2, ctx.model.g.b2, ctx.batch.dout, ctx.batch.h, ctx.model.p.W2, B, H, O);
    t.write('dW2', layout.W2.size);
    t.write('db2', O);
  }
  if (hiddenGrad) {
    (ctx.kernels ?? tsKernels).linearBackwardThroughRelu(ctx.batch.dh, ctx.batch.dout, ctx.model.p.W2, ctx.batch.h, B, H, O);
    t.write('dh', B * H);
  }
}

function backwardLayer1(ctx: StepContext, B: number): void {
  const { layout } = ctx.model;
  const { inputs: I, hidden: H } = layout;
  const t = ctx.tracker;
  t.read('dh', B * H);
  t.read('x', B * I);
  const k = ctx.kernels ?? tsKernels;
  const oneHot = ctx.batch.oneHot;
  if (oneHot?.valid) k.oneHotWeightGradient(ctx.model.g.W1, ctx.model.g.b1, ctx.batch.dh, oneHot.indices, ONE_HOT_PER_ROW, B, I, H);
  else k.linearBackward(null, ctx.model.g.W1, ctx.model.g.b1, ctx.batch.dh, ctx.batch.x, ctx.model.p.W1, B, I, H);
  t.write('dW1', layout.W1.size);
  t.write('db1', H);
}

function updateLayer(ctx: StepContext, layer: 1 | 2): void {
  const { layout } = ctx.model;
  const tensors: TensorView[] = layer === 1 ? [layout.W1, layout.b1] : [layout.W2, layout.b2];
  for (const tensor of tensors) updateTensor(ctx, tensor);
}

export function updateTensor(ctx: StepContext, tensor: TensorView): void {
  const grad = ctx.model.g[tensor.name];
  transformGradient(grad, tensor, ctx.model.optimizer, ctx.config, ctx.tracker);
  (ctx.kernels ?? tsKernels).applyUpdate(ctx.model.p[tensor.name], grad, ctx.config.lr, ctx.config.wd, tensor.name, ctx.tracker);
}
