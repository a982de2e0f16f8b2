// Forward-forward's numerics, apart from its training step: a layer's goodness, the local loss and its gradient,
// the length normalisation between the layers, the labelled input rows, and the evaluation (seed 004).
import { sigmoid, softplus } from './losses.js';
import { linearForward, reluForward } from './mlp.js';
import { tensorOf, type ParamLayout } from './params.js';
import type { Dataset } from './tasks.js';

export { softplus } from './losses.js';

/** Added to ||h1|| before layer 2's length normalisation so an all-zero h1 stays finite. */
export const FF_NORM_EPS = 1e-4;

/** Row `row` of data followed by the one-hot of `label` (+1 -> slot n, -1 -> slot n+1) into row b of out. */
export function writeLabelled(out: Float32Array, data: Dataset, row: number, b: number, label: number): void {
  const n = data.inputs;
  const base = b * (n + 2);
  out.set(data.x.subarray(row * n, row * n + n), base);
  out[base + n] = label > 0 ? 1 : 0;
  out[base + n + 1] = label > 0 ? 0 : 1;
}

/** u = h / (||h|| + eps), row by row. */
export function normalizeRows(u: Float32Array, h: Float32Array, B: number, H: number): void {
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
export function evaluateForwardForward(
  params: Float32Array,
  layout: ParamLayout,
  data: Dataset,
  options: { threshold: number; secret: number[] },
): ForwardForwardEvaluation {
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
