// Hinton's forward-forward (seed 004) on the binary tasks: two ReLU layers, each trained on its own local
// objective (goodness of positive data above ff_threshold, of negative data below it), no backward pass through
// the network. Same data, init, optimizers, update rule, history and memory tracking as backprop (train.ts).
import type { TrainConfig } from './config.js';
import { l2Norm, w1Sparsity, weightMovementL1 } from './metrics.js';
import { initMlp, linearBackward, linearForward, reluForward } from './mlp.js';
import { applyUpdate, initOptimizerState, transformGradient, type OptimizerState } from './optimizers.js';
import { mlpLayout, tensorOf, type ParamLayout, type TensorView } from './params.js';
import { Rng } from './random.js';
import type { EpochRecord, RunResult } from './result.js';
import { DIVERGENCE_LOSS, RunRecorder, type TrainOptions } from './run-recorder.js';
import { makeTaskData, type Dataset, type TaskData } from './tasks.js';
import { nullTracker, type Tracker } from './tracker.js';

/** Added to ||h1|| before layer 2's length normalisation so an all-zero h1 stays finite. */
export const FF_NORM_EPS = 1e-4;

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

/** Everything one forward-forward run carries from step to step. */
type FFRun = {
  config: TrainConfig;
  data: TaskData;
  model: FFModel;
  initial: Float32Array;
  buffers: PassBuffers;
  tracker: Tracker;
  recorder: RunRecorder;
};

export function trainForwardForward(config: TrainConfig, seed: number, options: TrainOptions): RunResult {
  const tracker = options.tracker ?? nullTracker;
  const data = makeTaskData(config, seed);
  const layout = mlpLayout(data.train.inputs + 2, config.hidden, config.hidden);
  const params = initMlp(layout, new Rng(seed, 'init'));
  const model: FFModel = { layout, params, grads: new Float32Array(layout.size), optimizer: initOptimizerState(config, layout) };
  const run: FFRun = {
    config,
    data,
    model,
    initial: params.slice(),
    buffers: createPassBuffers(layout, config.batch_size),
    tracker,
    recorder: new RunRecorder(config, seed, options),
  };
  for (const tensor of layout.tensors) tracker.write(tensor.name, tensor.size);
  const shuffleRng = new Rng(seed, 'shuffle');
  const order = Int32Array.from({ length: data.train.count }, (_, i) => i);
  for (let epoch = 1; epoch <= config.max_epochs; epoch++) {
    shuffleRng.shuffle(order);
    const norms = trainEpoch(run, order, epoch);
    if (run.recorder.status !== 'ok') break;
    if (run.recorder.record(epochRecord(run, epoch, norms)) || run.recorder.status !== 'ok') break;
    if (run.recorder.timedOut()) {
      run.recorder.timeout();
      break;
    }
  }
  return run.recorder.result(data.secret, tracker);
}

/** One pass over the shuffled training set; returns the mean weight-gradient norm of each layer. */
function trainEpoch(run: FFRun, order: Int32Array, epoch: number): { layer1: number; layer2: number } {
  const { config, data, model, buffers, tracker, recorder } = run;
  const B = config.batch_size;
  let layer1 = 0;
  let layer2 = 0;
  let steps = 0;
  for (let start = 0, step = 0; start < data.train.count; start += B, step++) {
    const size = Math.min(B, data.train.count - start);
    gatherLabelled(buffers, data.train, order, start, size);
    tracker.write('x', size * data.train.inputs); // the batch arrives: the data stream itself is not counted
    tracker.write('y', size);
    const first = trainLayer(model, buffers, config, tracker, 1, size);
    const second = trainLayer(model, buffers, config, tracker, 2, size);
    const batchLoss = (first.lossSum + second.lossSum) / size;
    if (!Number.isFinite(batchLoss) || batchLoss > DIVERGENCE_LOSS) {
      recorder.diverge(`batch forward-forward loss ${batchLoss} in epoch ${epoch}`);
      break;
    }
    layer1 += first.gradNorm;
    layer2 += second.gradNorm;
    steps++;
    if (step % 16 === 15 && recorder.timedOut()) break;
  }
  return { layer1: steps ? layer1 / steps : 0, layer2: steps ? layer2 / steps : 0 };
}

function epochRecord(run: FFRun, epoch: number, norms: { layer1: number; layer2: number }): EpochRecord {
  const { params, layout } = run.model;
  const options = { threshold: run.config.ff_threshold, secret: run.data.secret };
  const trainEval = evaluateForwardForward(params, layout, run.data.train, options);
  const testEval = evaluateForwardForward(params, layout, run.data.test, options);
  return {
    epoch,
    stage_n: run.config.n_bits,
    train_acc: trainEval.accuracy,
    test_acc: testEval.accuracy,
    train_loss: trainEval.loss,
    test_loss: testEval.loss,
    weight_movement_l1: weightMovementL1(params, run.initial),
    fourier_secret: testEval.fourierSecret,
    w1_sparsity: w1Sparsity(params, layout),
    grad_norm_layer1: norms.layer1,
    grad_norm_layer2: norms.layer2,
  };
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

/** Row `row` of data followed by the one-hot of `label` (+1 -> slot n, -1 -> slot n+1) into row b of out. */
function writeLabelled(out: Float32Array, data: Dataset, row: number, b: number, label: number): void {
  const n = data.inputs;
  const base = b * (n + 2);
  out.set(data.x.subarray(row * n, row * n + n), base);
  out[base + n] = label > 0 ? 1 : 0;
  out[base + n + 1] = label > 0 ? 0 : 1;
}

/**
 * One local step of one layer: positive and negative forward passes, the layer's own loss, its gradient
 * (averaged over the batch) and the update. Layer 2 reads layer 1's outputs of this step, length-normalised,
 * so it cannot reuse layer 1's goodness. The label one-hot is built from y on the fly, so the inputs are
 * reported as reads of the batch 'x' and 'y' (as in backprop), not as extra buffers.
 */
function trainLayer(model: FFModel, buffers: PassBuffers, config: TrainConfig, t: Tracker, layer: 1 | 2, B: number): LayerStep {
  const { layout, params, grads } = model;
  const H = layout.hidden;
  const weight = layer === 1 ? layout.W1 : layout.W2;
  const bias = layer === 1 ? layout.b1 : layout.b2;
  const I = weight.cols;
  const inPos = layer === 1 ? buffers.xPos : buffers.uPos;
  const inNeg = layer === 1 ? buffers.xNeg : buffers.uNeg;
  const outPos = layer === 1 ? buffers.h1Pos : buffers.h2Pos;
  const outNeg = layer === 1 ? buffers.h1Neg : buffers.h2Neg;
  const readInputs = (sign: 'pos' | 'neg') => {
    if (layer === 1) {
      t.read('x', B * (I - 2));
      t.read('y', B);
    } else t.read(`u_${sign}`, B * I);
  };
  if (layer === 2) {
    normalizeLayerInput(buffers.uPos, buffers.h1Pos, B, H, t, 'pos');
    normalizeLayerInput(buffers.uNeg, buffers.h1Neg, B, H, t, 'neg');
  }
  const W = tensorOf(params, weight);
  const b = tensorOf(params, bias);
  for (const [sign, inp, out] of [['pos', inPos, outPos], ['neg', inNeg, outNeg]] as const) {
    readInputs(sign);
    t.read(weight.name, weight.size);
    t.read(bias.name, bias.size);
    linearForward(out, inp, W, b, B, I, H);
    reluForward(out, out, B * H);
    t.write(`h${layer}_${sign}`, B * H);
  }
  t.read(`h${layer}_pos`, B * H);
  t.read(`h${layer}_neg`, B * H);
  const scale = 1 / B;
  const lossSum =
    goodnessLossAndGrad(buffers.dzPos, outPos, { B, H, threshold: config.ff_threshold, positive: true, scale }) +
    goodnessLossAndGrad(buffers.dzNeg, outNeg, { B, H, threshold: config.ff_threshold, positive: false, scale });
  t.write(`dz${layer}_pos`, B * H);
  t.write(`dz${layer}_neg`, B * H);

  const dW = tensorOf(grads, weight);
  const db = tensorOf(grads, bias);
  dW.fill(0);
  db.fill(0);
  for (const [sign, inp, dz] of [['pos', inPos, buffers.dzPos], ['neg', inNeg, buffers.dzNeg]] as const) {
    t.read(`dz${layer}_${sign}`, B * H);
    readInputs(sign);
    linearBackward(null, dW, db, dz, inp, W, B, I, H);
  }
  t.write(`d${weight.name}`, weight.size);
  t.write(`d${bias.name}`, bias.size);
  const gradNorm = l2Norm(dW);
  updateTensor(model, config, weight, t);
  updateTensor(model, config, bias, t);
  return { lossSum, gradNorm };
}

function updateTensor(model: FFModel, config: TrainConfig, tensor: TensorView, t: Tracker): void {
  const grad = tensorOf(model.grads, tensor);
  transformGradient(grad, tensor, model.optimizer, config, t);
  applyUpdate(tensorOf(model.params, tensor), grad, config.lr, config.wd, tensor.name, t);
}

/** u = h / (||h|| + eps), row by row. */
function normalizeLayerInput(u: Float32Array, h: Float32Array, B: number, H: number, t: Tracker, sign: 'pos' | 'neg'): void {
  t.read(`h1_${sign}`, B * H);
  normalizeRows(u, h, B, H);
  t.write(`u_${sign}`, B * H);
}

function normalizeRows(u: Float32Array, h: Float32Array, B: number, H: number): void {
  for (let b = 0; b < B; b++) {
    let sum = 0;
    for (let j = 0; j < H; j++) sum += h[b * H + j]! * h[b * H + j]!;
    const inverse = 1 / (Math.sqrt(sum) + FF_NORM_EPS);
    for (let j = 0; j < H; j++) u[b * H + j] = h[b * H + j]! * inverse;
  }
}

/** Goodness of row b: mean of squares of the layer's outputs. */
export function goodness(h: Float32Array, b: number, H: number): number {
  let sum = 0;
  for (let j = 0; j < H; j++) sum += h[b * H + j]! * h[b * H + j]!;
  return sum / H;
}

/** softplus(z) = log(1 + e^z), stable for both signs. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Per-sample local loss softplus(-(g - theta)) for positive data, softplus(g - theta) for negative data; writes
 * dz = scale * dloss/dg * dg/dz with dg/dz_j = 2 h_j / H where the ReLU is active (h_j = 0 elsewhere).
 * Returns the summed loss.
 */
export function goodnessLossAndGrad(
  dz: Float32Array,
  h: Float32Array,
  options: { B: number; H: number; threshold: number; positive: boolean; scale: number },
): number {
  const { B, H, threshold, positive, scale } = options;
  let lossSum = 0;
  for (let b = 0; b < B; b++) {
    const margin = positive ? goodness(h, b, H) - threshold : threshold - goodness(h, b, H);
    lossSum += softplus(-margin);
    // dloss/dg = -sigmoid(-margin) * dmargin/dg
    const coefficient = (positive ? -1 : 1) * sigmoid(-margin) * scale * (2 / H);
    for (let j = 0; j < H; j++) dz[b * H + j] = coefficient * h[b * H + j]!;
  }
  return lossSum;
}

export type ForwardForwardEvaluation = { accuracy: number; loss: number; fourierSecret: number | null };

const EVAL_CHUNK = 256;

/**
 * Predicts the label whose positive pass has the larger total goodness (both layers; ties go to +1).
 * loss: mean over samples of both layers' FF loss (true label positive, wrong label negative).
 * fourierSecret: mean of (G(x,+1) - G(x,-1)) * prod_{i in S} x_i (null without a secret).
 */
export function evaluateForwardForward(params: Float32Array, layout: ParamLayout, data: Dataset, options: { threshold: number; secret: number[] }): ForwardForwardEvaluation {
  const H = layout.hidden;
  const n = data.inputs;
  const chunk = Math.min(EVAL_CHUNK, data.count);
  const x = new Float32Array(chunk * (n + 2));
  const h1 = new Float32Array(chunk * H);
  const u = new Float32Array(chunk * H);
  const h2 = new Float32Array(chunk * H);
  const g = { plus: new Float64Array(chunk * 2), minus: new Float64Array(chunk * 2) };
  let correct = 0;
  let lossSum = 0;
  let fourierSum = 0;
  for (let start = 0; start < data.count; start += chunk) {
    const B = Math.min(chunk, data.count - start);
    for (const label of [1, -1]) {
      for (let b = 0; b < B; b++) writeLabelled(x, data, start + b, b, label);
      linearForward(h1, x, tensorOf(params, layout.W1), tensorOf(params, layout.b1), B, n + 2, H);
      reluForward(h1, h1, B * H);
      normalizeRows(u, h1, B, H);
      linearForward(h2, u, tensorOf(params, layout.W2), tensorOf(params, layout.b2), B, H, H);
      reluForward(h2, h2, B * H);
      const out = label > 0 ? g.plus : g.minus;
      for (let b = 0; b < B; b++) {
        out[2 * b] = goodness(h1, b, H);
        out[2 * b + 1] = goodness(h2, b, H);
      }
    }
    for (let b = 0; b < B; b++) {
      const y = data.y[start + b]!;
      const pos = y > 0 ? g.plus : g.minus;
      const neg = y > 0 ? g.minus : g.plus;
      for (const l of [0, 1]) lossSum += softplus(options.threshold - pos[2 * b + l]!) + softplus(neg[2 * b + l]! - options.threshold);
      const difference = g.plus[2 * b]! + g.plus[2 * b + 1]! - g.minus[2 * b]! - g.minus[2 * b + 1]!;
      if ((difference >= 0 ? 1 : -1) === y) correct++;
      let character = 1;
      for (const index of options.secret) character *= data.x[(start + b) * n + index]!;
      fourierSum += difference * character;
    }
  }
  return {
    accuracy: correct / data.count,
    loss: lossSum / data.count,
    fourierSecret: options.secret.length > 0 ? fourierSum / data.count : null,
  };
}
