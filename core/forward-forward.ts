// Hinton's forward-forward (seed 004) on the binary tasks as a TrainingAlgorithm: two ReLU layers, each trained on
// its own local objective (goodness of positive data above ff_threshold, of negative data below it), no backward
// pass through the network. Same epoch driver, data, init, optimizers, update rule and memory tracking as backprop.
import type { StepResult, TrainingAlgorithm } from './algorithm.js';
import type { TrainConfig } from './config.js';
import { evaluateForwardForward, goodnessLossAndGrad, normalizeRows, writeLabelled } from './ff-goodness.js';
import { l2Norm, w1Sparsity, weightMovementL1, type Evaluation } from './metrics.js';
import { initMlp, linearBackward, linearBackwardTraffic, linearForward, linearForwardTraffic, reluForward } from './mlp.js';
import { initOptimizerState, updateTensor, type OptimizerState } from './optimizers.js';
import { mlpLayout, tensorOf, type ParamLayout } from './params.js';
import { Rng } from './random.js';
import type { Dataset, TaskData } from './tasks.js';
import { trackReads, trackWrites, type Binding, type KernelTraffic } from './traffic.js';
import type { Tracker } from './tracker.js';

/**
 * Buffers of one pass pair (positive and negative data). Inputs are x (n bits) followed by the one-hot
 * label: slot n for +1, slot n+1 for -1. Layout mlpLayout(n + 2, H, H): W1 is H x (n+2), W2 is H x H.
 */
type PassBuffers = {
  xPos: Float32Array;
  xNeg: Float32Array;
  h1Pos: Float32Array;
  h1Neg: Float32Array;
  uPos: Float32Array;
  uNeg: Float32Array;
  h2Pos: Float32Array;
  h2Neg: Float32Array;
  dzPos: Float32Array;
  dzNeg: Float32Array;
};

type FFModel = { layout: ParamLayout; params: Float32Array; grads: Float32Array; optimizer: OptimizerState };

type LayerStep = { lossSum: number; gradNorm: number };

/**
 * The labelled inputs (B, n): the one-hot label is built from y on the fly, so layer 1's input is reported as reads
 * of the batch 'x' and 'y' (as in backprop), not as a buffer of its own.
 */
export const labelledInputTraffic: KernelTraffic<'x' | 'y'> = {
  reads: [
    { arg: 'x', floats: (B, n) => B * n },
    { arg: 'y', floats: (B) => B },
  ],
  writes: [],
};

/** goodnessLossAndGrad (B, H): the layer's outputs in, dz out. */
export const goodnessTraffic: KernelTraffic<'h' | 'dz'> = {
  reads: [{ arg: 'h', floats: (B, H) => B * H }],
  writes: [{ arg: 'dz', floats: (B, H) => B * H }],
};

/** normalizeRows (B, H). */
export const normalizeTraffic: KernelTraffic<'u' | 'h'> = {
  reads: [{ arg: 'h', floats: (B, H) => B * H }],
  writes: [{ arg: 'u', floats: (B, H) => B * H }],
};

type Sign = 'pos' | 'neg';
type PassBinding = {
  normalize: Binding<'u' | 'h'>;
  forward: Binding<'out' | 'inp' | 'weight' | 'bias'>;
  goodness: Binding<'h' | 'dz'>;
  backward: Binding<'dinp' | 'dweight' | 'dbias' | 'dout' | 'inp' | 'weight'>;
};

/** Tracker buffers of each layer's positive and negative pass, named once. */
function passBinding(layer: 1 | 2, sign: Sign): PassBinding {
  const input = layer === 1 ? undefined : `u_${sign}`;
  return {
    normalize: { h: `h1_${sign}`, u: `u_${sign}` },
    forward: { inp: input, weight: `W${layer}`, bias: `b${layer}`, out: `h${layer}_${sign}` },
    goodness: { h: `h${layer}_${sign}`, dz: `dz${layer}_${sign}` },
    backward: { dout: `dz${layer}_${sign}`, inp: input, dweight: `dW${layer}`, dbias: `db${layer}` },
  };
}
const bindings = {
  1: { pos: passBinding(1, 'pos'), neg: passBinding(1, 'neg') },
  2: { pos: passBinding(2, 'pos'), neg: passBinding(2, 'neg') },
};
const gatherBinding = { x: 'x', y: 'y' };
/** The batch arrives (B, n): written once per step, like backprop's gatherRows. */
const gatherTraffic: KernelTraffic<'x' | 'y'> = { reads: [], writes: labelledInputTraffic.reads };

/** Forward-forward over the 2-layer network of the seeds (layer 2 sees layer 1's length-normalised outputs). */
export class ForwardForward implements TrainingAlgorithm {
  readonly lossLabel = 'batch forward-forward loss';
  private model!: FFModel;
  private initial!: Float32Array;
  private buffers!: PassBuffers;

  constructor(
    private readonly config: TrainConfig,
    private readonly seed: number,
    private readonly tracker: Tracker,
  ) {}

  init(data: TaskData): void {
    const layout = mlpLayout(data.train.inputs + 2, this.config.hidden, this.config.hidden);
    const params = initMlp(layout, new Rng(this.seed, 'init'));
    this.model = { layout, params, grads: new Float32Array(layout.size), optimizer: initOptimizerState(this.config, layout) };
    this.initial = params.slice();
    this.buffers = createPassBuffers(layout, this.config.batch_size);
    for (const tensor of layout.tensors) this.tracker.write(tensor.name, tensor.size);
  }

  grow(): void {
    throw new Error('forward-forward runs without a curriculum (the config schema rejects one)');
  }

  step(data: TaskData, order: Int32Array, start: number, size: number): StepResult {
    const t = this.tracker;
    t.begin('gather');
    gatherLabelled(this.buffers, data.train, order, start, size);
    trackWrites(t, gatherTraffic, gatherBinding, size, data.train.inputs);
    t.end('gather');
    const first = trainLayer(this.model, this.buffers, this.config, t, 1, size);
    const second = trainLayer(this.model, this.buffers, this.config, t, 2, size);
    return { lossSum: first.lossSum + second.lossSum, updated: true, gradient: true, gradNormLayer1: first.gradNorm, gradNormLayer2: second.gradNorm };
  }

  evaluate(data: TaskData, dataset: Dataset): Evaluation {
    return evaluateForwardForward(this.model.params, this.model.layout, dataset, { threshold: this.config.ff_threshold, secret: data.secret });
  }

  progress(): { weightMovementL1: number; w1Sparsity: number } {
    return { weightMovementL1: weightMovementL1(this.model.params, this.initial), w1Sparsity: w1Sparsity(this.model.params, this.model.layout) };
  }
}

function createPassBuffers(layout: ParamLayout, maxBatch: number): PassBuffers {
  const inputs = () => new Float32Array(maxBatch * layout.inputs);
  const hidden = () => new Float32Array(maxBatch * layout.hidden);
  return {
    xPos: inputs(),
    xNeg: inputs(),
    h1Pos: hidden(),
    h1Neg: hidden(),
    uPos: hidden(),
    uNeg: hidden(),
    h2Pos: hidden(),
    h2Neg: hidden(),
    dzPos: hidden(),
    dzNeg: hidden(),
  };
}

/** Rows order[start..start+size) with their true label (xPos) and the wrong one (xNeg). */
function gatherLabelled(buffers: PassBuffers, data: Dataset, order: Int32Array, start: number, size: number): void {
  for (let b = 0; b < size; b++) {
    const row = order[start + b]!;
    writeLabelled(buffers.xPos, data, row, b, data.y[row]!);
    writeLabelled(buffers.xNeg, data, row, b, -data.y[row]!);
  }
}

/**
 * One local step of one layer: positive and negative forward passes, the layer's own loss, its gradient
 * (averaged over the batch) and the update. Layer 2 reads layer 1's outputs of this step, length-normalised,
 * so it cannot reuse layer 1's goodness.
 */
function trainLayer(model: FFModel, buffers: PassBuffers, config: TrainConfig, t: Tracker, layer: 1 | 2, B: number): LayerStep {
  const { layout, params, grads } = model;
  const H = layout.hidden;
  const weight = layer === 1 ? layout.W1 : layout.W2;
  const bias = layer === 1 ? layout.b1 : layout.b2;
  const I = weight.cols;
  const n = I - 2;
  const bound = bindings[layer];
  const passes = [
    { bind: bound.pos, inp: layer === 1 ? buffers.xPos : buffers.uPos, out: layer === 1 ? buffers.h1Pos : buffers.h2Pos, dz: buffers.dzPos },
    { bind: bound.neg, inp: layer === 1 ? buffers.xNeg : buffers.uNeg, out: layer === 1 ? buffers.h1Neg : buffers.h2Neg, dz: buffers.dzNeg },
  ];
  const readLabelled = () => (layer === 1 ? trackReads(t, labelledInputTraffic, gatherBinding, B, n) : undefined);
  t.begin('forward');
  if (layer === 2) {
    for (const [pass, h1] of [
      [passes[0]!, buffers.h1Pos],
      [passes[1]!, buffers.h1Neg],
    ] as const) {
      trackReads(t, normalizeTraffic, pass.bind.normalize, B, H);
      normalizeRows(pass.inp, h1, B, H);
      trackWrites(t, normalizeTraffic, pass.bind.normalize, B, H);
    }
  }
  const W = tensorOf(params, weight);
  const b = tensorOf(params, bias);
  for (const pass of passes) {
    readLabelled();
    trackReads(t, linearForwardTraffic, pass.bind.forward, B, I, H);
    linearForward(pass.out, pass.inp, W, b, B, I, H);
    reluForward(pass.out, pass.out, B * H);
    trackWrites(t, linearForwardTraffic, pass.bind.forward, B, I, H);
  }
  t.end('forward');
  t.begin('loss');
  for (const pass of passes) trackReads(t, goodnessTraffic, pass.bind.goodness, B, H);
  const scale = 1 / B;
  const lossSum =
    goodnessLossAndGrad(buffers.dzPos, passes[0]!.out, { B, H, threshold: config.ff_threshold, positive: true, scale }) +
    goodnessLossAndGrad(buffers.dzNeg, passes[1]!.out, { B, H, threshold: config.ff_threshold, positive: false, scale });
  for (const pass of passes) trackWrites(t, goodnessTraffic, pass.bind.goodness, B, H);
  t.end('loss');

  t.begin('backward');
  const dW = tensorOf(grads, weight);
  const db = tensorOf(grads, bias);
  dW.fill(0);
  db.fill(0);
  for (const pass of passes) {
    trackReads(t, linearBackwardTraffic, pass.bind.backward, B, I, H);
    readLabelled();
    linearBackward(null, dW, db, pass.dz, pass.inp, W, B, I, H);
  }
  trackWrites(t, linearBackwardTraffic, passes[0]!.bind.backward, B, I, H);
  t.end('backward');
  const gradNorm = l2Norm(dW);
  updateTensor(W, dW, weight, model.optimizer, config, t);
  updateTensor(b, db, bias, model.optimizer, config, t);
  return { lossSum, gradNorm };
}
