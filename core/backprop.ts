// Backprop's steps (the TrainingAlgorithm around them is core/backprop-algorithm.ts): one mini-batch step in each
// update order (seed 004): standard (all gradients, then all updates), fused (update layer 2 as soon as its gradients
// exist, then layer 1; same math), and per-layer (layer 1 backward-update first, then layer 2; at batch 1 from the same
// forward, the same math as standard; on mini-batches layer 2 steps on a re-forward through the new W1, seed 003).
// Memory traffic comes from each kernel's declaration (traffic.ts); stages are announced to the tracker's probe.
// The kernels come from the run's kernel set (core/wasm/kernels.ts: the TS reference, or wasm from config key backend).
import type { StepResult } from './algorithm.js';
import type { TrainConfig } from './config.js';
import { batchLossBackward, batchLossTraffic } from './losses.js';
import { l2Norm } from './metrics.js';
import { createSignTables, linearBackwardTraffic, linearForwardTraffic, outputLayerBackwardTraffic, type SignTables } from './mlp.js';
import { oneHotIndices } from './one-hot.js';
import { updateTensor, type OptimizerState } from './optimizers.js';
import { tensorOf, type ParamLayout, type TensorName, type TensorView } from './params.js';
import type { Dataset, LabelKind } from './tasks.js';
import { trackReads, trackWrites, type KernelTraffic } from './traffic.js';
import type { Tracker } from './tracker.js';
import { tsKernels, type Kernels } from './wasm/kernels.js';

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

/** Inputs: 'signs' (+-1 bits: sign tables), 'one-hot' (modular tasks: gather / scatter), or 'dense'; true / false mean signs / dense. */
export function createBatchBuffers(
  layout: ParamLayout,
  maxBatch: number,
  inputs: boolean | 'signs' | 'one-hot' | 'dense',
  kernels: Kernels = tsKernels,
): BatchBuffers {
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

/** The tracker buffers each kernel argument is bound to in a backprop step (constant tables). */
export const bind = {
  layer1Forward: { inp: 'x', weight: 'W1', bias: 'b1', out: 'h' },
  layer2Forward: { inp: 'h', weight: 'W2', bias: 'b2', out: 'out' },
  loss: { out: 'out', labels: 'y', dout: 'dout' },
  layer2Backward: { dout: 'dout', inp: 'h', weight: 'W2', dweight: 'dW2', dbias: 'db2', dinp: 'dh' },
  layer2HiddenGradient: { dout: 'dout', inp: 'h', weight: 'W2', dinp: 'dh' },
  layer2WeightGradient: { dout: 'dout', inp: 'h', dweight: 'dW2', dbias: 'db2' },
  layer1Backward: { dout: 'dh', inp: 'x', dweight: 'dW1', dbias: 'db1' },
  gather: { x: 'x', y: 'y' },
} as const;

/** gatherRows (B, I): the batch arrives, written once per step; the stored dataset is a stream and not counted. */
export const gatherTraffic: KernelTraffic<'x' | 'y'> = {
  reads: [],
  writes: [
    { arg: 'x', floats: (B, I) => B * I },
    { arg: 'y', floats: (B) => B },
  ],
};

/** Copies the rows order[start..start+size) into the batch buffers. */
export function gatherRows(batch: BatchBuffers, data: Dataset, order: Int32Array, start: number, size: number): void {
  const I = data.inputs;
  for (let b = 0; b < size; b++) {
    const row = order[start + b]!;
    batch.x.set(data.x.subarray(row * I, row * I + I), b * I);
    batch.y[b] = data.y[row]!;
  }
}

/** Runs one step on the B rows already gathered into ctx.batch.x / ctx.batch.y. */
export function trainStep(ctx: StepContext, B: number): StepResult {
  if (ctx.config.order === 'per-layer') return perLayerStep(ctx, B);
  forwardBatch(ctx, B);
  const loss = lossBatch(ctx, B);
  if (loss.contributing === 0) return zeroGradientStep(ctx, loss.lossSum);
  ctx.model.grads.fill(0);
  backwardLayer2(ctx, B, bind.layer2Backward);
  const fused = ctx.config.order === 'fused';
  const gradNormLayer2 = gradNorm(ctx, ctx.model.g.W2);
  if (fused) updateLayer(ctx, 2);
  backwardLayer1(ctx, B);
  const gradNormLayer1 = gradNorm(ctx, ctx.model.g.W1);
  if (!fused) updateLayer(ctx, 2);
  updateLayer(ctx, 1);
  return { lossSum: loss.lossSum, updated: true, gradient: true, gradNormLayer1, gradNormLayer2 };
}

/**
 * Layer 1 steps first, with the gradient through the current W2; then layer 2. At batch size 1 layer 2's gradient
 * comes from the same forward pass (h and dout are still in their buffers): the maths of standard backprop in another
 * order of buffer accesses (seed 003: perlayer+single solves in exactly the epochs of standard+single). On mini-batches
 * layer 2 steps on a re-forward through the new W1, which changes the maths (seed 003's perlayer+batch).
 */
function perLayerStep(ctx: StepContext, B: number): StepResult {
  forwardBatch(ctx, B);
  const first = lossBatch(ctx, B);
  if (first.contributing === 0) return zeroGradientStep(ctx, first.lossSum);
  ctx.model.grads.fill(0);
  backwardLayer2(ctx, B, bind.layer2HiddenGradient);
  backwardLayer1(ctx, B);
  const gradNormLayer1 = gradNorm(ctx, ctx.model.g.W1);
  updateLayer(ctx, 1);
  if (ctx.config.batch_size === 1) {
    backwardLayer2(ctx, B, bind.layer2WeightGradient);
    const gradNormLayer2 = gradNorm(ctx, ctx.model.g.W2);
    updateLayer(ctx, 2);
    return { lossSum: first.lossSum, updated: true, gradient: true, gradNormLayer1, gradNormLayer2 };
  }
  forwardBatch(ctx, B);
  const second = lossBatch(ctx, B);
  let gradNormLayer2 = 0;
  if (second.contributing > 0) {
    backwardLayer2(ctx, B, bind.layer2WeightGradient);
    gradNormLayer2 = gradNorm(ctx, ctx.model.g.W2);
    updateLayer(ctx, 2);
  } else if (ctx.config.zero_gradient_batch === 'update') {
    updateLayer(ctx, 2); // dW2, db2 are still the zeros of grads.fill(0)
  }
  return { lossSum: first.lossSum, updated: true, gradient: true, gradNormLayer1, gradNormLayer2 };
}

/**
 * No sample contributed a gradient. The seeds' rule (zero_gradient_batch 'skip') skips the whole update; 'update'
 * steps every tensor with a zero loss gradient, so weight decay and the optimizer's state still apply.
 */
function zeroGradientStep(ctx: StepContext, lossSum: number): StepResult {
  if (ctx.config.zero_gradient_batch === 'skip') return { lossSum, updated: false, gradient: false, gradNormLayer1: 0, gradNormLayer2: 0 };
  ctx.model.grads.fill(0);
  updateLayer(ctx, 2);
  updateLayer(ctx, 1);
  return { lossSum, updated: true, gradient: false, gradNormLayer1: 0, gradNormLayer2: 0 };
}

/** A gradient's L2 norm: the kernel set's (wasm fast) or core/metrics.ts l2Norm. */
function gradNorm(ctx: StepContext, values: Float32Array): number {
  return (ctx.kernels?.l2Norm ?? l2Norm)(values);
}

export function forwardBatch(ctx: StepContext, B: number): void {
  const { inputs: I, hidden: H, outputs: O } = ctx.model.layout;
  const { batch, tracker: t } = ctx;
  t.begin('forward');
  const k = ctx.kernels ?? tsKernels;
  // A one-hot batch takes the gather kernel (the dense numbers); the declared traffic is the dense layer's either way.
  const oneHot = batch.oneHot;
  if (oneHot) oneHot.valid = oneHotIndices(oneHot.indices, batch.x, B, I, ONE_HOT_PER_ROW);
  trackReads(t, linearForwardTraffic, bind.layer1Forward, B, I, H);
  if (oneHot?.valid) k.oneHotHiddenForward(batch.h, oneHot.indices, ONE_HOT_PER_ROW, ctx.model.p.W1, ctx.model.p.b1, B, I, H);
  else k.hiddenForward(batch.h, batch.x, ctx.model.p.W1, ctx.model.p.b1, B, I, H, batch.signTables);
  trackWrites(t, linearForwardTraffic, bind.layer1Forward, B, I, H);
  trackReads(t, linearForwardTraffic, bind.layer2Forward, B, H, O);
  k.linearForward(batch.out, batch.h, ctx.model.p.W2, ctx.model.p.b2, B, H, O);
  trackWrites(t, linearForwardTraffic, bind.layer2Forward, B, H, O);
  t.end('forward');
}

function lossBatch(ctx: StepContext, B: number) {
  const O = ctx.model.layout.outputs;
  const t = ctx.tracker;
  t.begin('loss');
  trackReads(t, batchLossTraffic, bind.loss, B, O);
  const result = batchLossBackward(ctx.batch.dout, ctx.batch.out, ctx.batch.y, B, O, ctx.config.loss, ctx.kind);
  trackWrites(t, batchLossTraffic, bind.loss, B, O);
  t.end('loss');
  return result;
}

type Layer2Binding = (typeof bind)['layer2Backward' | 'layer2HiddenGradient' | 'layer2WeightGradient'];

/** dW2, db2 and / or dh through the ReLU (whichever the binding names), using W2 as it is now. */
function backwardLayer2(ctx: StepContext, B: number, binding: Layer2Binding): void {
  const { hidden: H, outputs: O } = ctx.model.layout;
  const { batch, model, tracker: t } = ctx;
  const weights = 'dweight' in binding;
  t.begin('backward');
  trackReads(t, outputLayerBackwardTraffic, binding, B, H, O);
  (ctx.kernels ?? tsKernels).outputLayerBackward(
    'dinp' in binding ? batch.dh : null,
    weights ? model.g.W2 : null,
    weights ? model.g.b2 : null,
    batch.dout,
    batch.h,
    model.p.W2,
    B,
    H,
    O,
  );
  trackWrites(t, outputLayerBackwardTraffic, binding, B, H, O);
  t.end('backward');
}

function backwardLayer1(ctx: StepContext, B: number): void {
  const { inputs: I, hidden: H } = ctx.model.layout;
  const { batch, model, tracker: t } = ctx;
  t.begin('backward');
  const k = ctx.kernels ?? tsKernels;
  const oneHot = batch.oneHot;
  trackReads(t, linearBackwardTraffic, bind.layer1Backward, B, I, H);
  if (oneHot?.valid) k.oneHotWeightGradient(model.g.W1, model.g.b1, batch.dh, oneHot.indices, ONE_HOT_PER_ROW, B, I, H);
  else k.linearBackward(null, model.g.W1, model.g.b1, batch.dh, batch.x, model.p.W1, B, I, H);
  trackWrites(t, linearBackwardTraffic, bind.layer1Backward, B, I, H);
  t.end('backward');
}

function updateLayer(ctx: StepContext, layer: 1 | 2): void {
  const { layout } = ctx.model;
  const tensors: TensorView[] = layer === 1 ? [layout.W1, layout.b1] : [layout.W2, layout.b2];
  const apply = (ctx.kernels ?? tsKernels).applyUpdate;
  for (const tensor of tensors) updateTensor(ctx.model.p[tensor.name], ctx.model.g[tensor.name], tensor, ctx.model.optimizer, ctx.config, ctx.tracker, apply);
}
