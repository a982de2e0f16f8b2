// Losses over a batch of model outputs: per-sample loss and the gradient with respect to the outputs.
// hinge (the seeds' default), logistic (cross-entropy on a sigmoid), MSE, softmax cross-entropy.
import type { LossName } from './config.js';
import type { LabelKind } from './tasks.js';
import type { KernelTraffic } from './traffic.js';

export type LossResult = {
  /** Sum of per-sample losses over the batch. */
  lossSum: number;
  /** Samples with a nonzero gradient (hinge: margin < 1; the others: all). */
  contributing: number;
  /** Correct predictions in the batch. */
  correct: number;
};

/** batchLossBackward (B, O): the outputs and labels in, dout out. */
export const batchLossTraffic: KernelTraffic<'dout' | 'out' | 'labels'> = {
  reads: [
    { arg: 'out', floats: (B, O) => B * O },
    { arg: 'labels', floats: (B) => B },
  ],
  writes: [{ arg: 'dout', floats: (B, O) => B * O }],
};

/** A training batch's loss with dout = d(loss_b)/d(out_b) / B: gradients summed over samples, divided by the batch size. */
export function batchLossBackward(
  dout: Float32Array,
  out: Float32Array,
  labels: Float32Array,
  B: number,
  O: number,
  loss: LossName,
  kind: LabelKind,
): LossResult {
  const result = lossForwardBackward(dout, out, labels, 0, B, O, loss, kind);
  const scale = 1 / B;
  for (let i = 0; i < B * O; i++) dout[i] = dout[i]! * scale;
  return result;
}

/**
 * Fills dout (B x O) with d(loss_b)/d(out_b) per sample, unscaled (the caller divides by the batch size).
 * Labels: +-1 for binary tasks, the target for regression, the class index for classes.
 * Pass dout = null to evaluate only.
 */
export function lossForwardBackward(
  dout: Float32Array | null,
  out: Float32Array,
  labels: Float32Array,
  labelOffset: number,
  B: number,
  O: number,
  loss: LossName,
  kind: LabelKind,
): LossResult {
  if (loss === 'cross-entropy') return softmaxCrossEntropy(dout, out, labels, labelOffset, B, O);
  if (O !== 1) return mseClasses(dout, out, labels, labelOffset, B, O);
  let lossSum = 0;
  let contributing = 0;
  let correct = 0;
  for (let b = 0; b < B; b++) {
    const y = out[b]!;
    const t = labels[labelOffset + b]!;
    const [value, grad] = scalarLoss(loss, y, t);
    lossSum += value;
    if (grad !== 0) contributing++;
    if (dout) dout[b] = grad;
    if (isCorrect(y, t, kind)) correct++;
  }
  return { lossSum, contributing, correct };
}

/** [loss, dloss/dy] for one output y and target t. */
function scalarLoss(loss: LossName, y: number, t: number): [number, number] {
  switch (loss) {
    case 'hinge': {
      const margin = t * y;
      return margin < 1 ? [1 - margin, -t] : [0, 0];
    }
    case 'logistic': {
      const z = -t * y; // loss = log(1 + e^z)
      return [softplus(z), -t * sigmoid(z)];
    }
    case 'mse': {
      const diff = y - t;
      return [diff * diff, 2 * diff];
    }
    default:
      throw new Error(`loss ${loss} needs one output per class`);
  }
}

export function isCorrect(y: number, t: number, kind: LabelKind): boolean {
  if (kind === 'regression') return Math.round(y) === t;
  return (y >= 0 ? 1 : -1) === t;
}

/** 1 / (1 + e^-z), stable for both signs. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** softplus(z) = log(1 + e^z), stable for both signs. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function softmaxCrossEntropy(dout: Float32Array | null, out: Float32Array, labels: Float32Array, labelOffset: number, B: number, O: number): LossResult {
  let lossSum = 0;
  let correct = 0;
  for (let b = 0; b < B; b++) {
    const base = b * O;
    const target = labels[labelOffset + b]!;
    let max = -Infinity;
    let argmax = 0;
    for (let o = 0; o < O; o++) {
      if (out[base + o]! > max) {
        max = out[base + o]!;
        argmax = o;
      }
    }
    let sum = 0;
    for (let o = 0; o < O; o++) sum += Math.exp(out[base + o]! - max);
    lossSum += Math.log(sum) + max - out[base + target]!;
    if (argmax === target) correct++;
    if (dout) {
      for (let o = 0; o < O; o++) dout[base + o] = Math.exp(out[base + o]! - max) / sum - (o === target ? 1 : 0);
    }
  }
  return { lossSum, contributing: B, correct };
}

/** MSE against one-hot targets, for the modular tasks. */
function mseClasses(dout: Float32Array | null, out: Float32Array, labels: Float32Array, labelOffset: number, B: number, O: number): LossResult {
  let lossSum = 0;
  let correct = 0;
  for (let b = 0; b < B; b++) {
    const base = b * O;
    const target = labels[labelOffset + b]!;
    let argmax = 0;
    for (let o = 0; o < O; o++) {
      const diff = out[base + o]! - (o === target ? 1 : 0);
      lossSum += diff * diff;
      if (dout) dout[base + o] = 2 * diff;
      if (out[base + o]! > out[base + argmax]!) argmax = o;
    }
    if (argmax === target) correct++;
  }
  return { lossSum, contributing: B, correct };
}
