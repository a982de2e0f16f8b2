// Per-epoch measures: accuracy and loss on a dataset, and the hidden-progress measures of seed 002
// (||w_t - w_0||_1, the Fourier coefficient of the secret subset, W1 sparsity).
import type { LossName } from './config.js';
import { lossForwardBackward } from './losses.js';
import { buildSignTablesFor, createSignTables, signLookupForward, SIGN_TABLE_MIN_ROWS } from './mlp.js';
import { tensorOf, type ParamLayout } from './params.js';
import type { Dataset, LabelKind } from './tasks.js';
import { oneHotIndices } from './one-hot.js';
import { EVALUATION, tsKernels, type Kernels } from './wasm/kernels.js';

export type Evaluation = { accuracy: number; loss: number; fourierSecret: number | null };

const { chunk: EVAL_CHUNK, tile: ROW_TILE } = EVALUATION;

/** Accuracy, mean loss and (for single-output bit tasks) the secret's Fourier coefficient on a dataset. */
/** kernels: the run's kernel set (core/wasm); one-hot rows (modular tasks) take its gather kernel, with the dense numbers. */
export function evaluate(
  params: Float32Array,
  layout: ParamLayout,
  data: Dataset,
  options: { loss: LossName; kind: LabelKind; secret: number[] },
  kernels: Kernels = tsKernels,
): Evaluation {
  const { inputs: I, hidden: H, outputs: O } = layout;
  const W1 = tensorOf(params, layout.W1);
  const b1 = tensorOf(params, layout.b1);
  const W2 = tensorOf(params, layout.W2);
  const b2 = tensorOf(params, layout.b2);
  // The wasm kernels take a chunk of +-1 rows in one call; otherwise the tiles are run from here.
  const forwardSigns = data.signs ? kernels.forwardSigns : null;
  const h = new Float32Array(forwardSigns ? 0 : ROW_TILE * H);
  const out = new Float32Array(EVAL_CHUNK * O);
  const tables = data.signs && data.count >= SIGN_TABLE_MIN_ROWS;
  // The tables are built once for the whole dataset (the weights do not change during an evaluation).
  const signTables = tables && !forwardSigns ? createSignTables(I, H) : null;
  if (signTables && !kernels.signHiddenForward) buildSignTablesFor(signTables, W1, I, H);
  const withFourier = O === 1 && options.secret.length > 0;
  const hot = data.signs ? null : new Int32Array(ROW_TILE * 2);
  let correct = 0;
  let lossSum = 0;
  let fourierSum = 0;
  for (let start = 0; start < data.count; start += EVAL_CHUNK) {
    const B = Math.min(EVAL_CHUNK, data.count - start);
    const x = data.x.subarray(start * I, (start + B) * I);
    const useTables = tables && B >= SIGN_TABLE_MIN_ROWS;
    if (forwardSigns) forwardSigns(out.subarray(0, B * O), x, { W1, b1, W2, b2 }, B, layout, useTables);
    else {
      for (let tile = 0; tile < B; tile += ROW_TILE) {
        const rows = Math.min(ROW_TILE, B - tile);
        const xTile = x.subarray(tile * I, (tile + rows) * I);
        if (useTables && kernels.signHiddenForward) kernels.signHiddenForward(h, xTile, W1, b1, rows, I, H);
        else if (useTables && signTables) signLookupForward(h, xTile, b1, rows, I, H, signTables);
        else if (hot && oneHotIndices(hot, xTile, rows, I, 2)) kernels.oneHotHiddenForward(h, hot, 2, W1, b1, rows, I, H);
        else kernels.hiddenForward(h, xTile, W1, b1, rows, I, H, null);
        kernels.linearForward(out.subarray(tile * O, (tile + rows) * O), h, W2, b2, rows, H, O);
      }
    }
    const result = lossForwardBackward(null, out, data.y, start, B, O, options.loss, options.kind);
    correct += result.correct;
    lossSum += result.lossSum;
    if (withFourier) fourierSum += fourierChunk(out, x, B, I, options.secret);
  }
  return {
    accuracy: correct / data.count,
    loss: lossSum / data.count,
    fourierSecret: withFourier ? fourierSum / data.count : null,
  };
}

/** sum_b f(x_b) * prod_{i in S} x_b[i]: the (unnormalized) Fourier coefficient of subset S. */
function fourierChunk(out: Float32Array, x: Float32Array, B: number, I: number, secret: number[]): number {
  let sum = 0;
  for (let b = 0; b < B; b++) {
    let character = 1;
    for (const index of secret) character *= x[b * I + index]!;
    sum += out[b]! * character;
  }
  return sum;
}

/** ||w_t - w_0||_1 over all parameters. */
export function weightMovementL1(params: Float32Array, initial: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < params.length; i++) sum += Math.abs(params[i]! - initial[i]!);
  return sum;
}

/** Fraction of W1 entries with |w| < threshold. */
export function w1Sparsity(params: Float32Array, layout: ParamLayout, threshold = 0.01): number {
  const W1 = tensorOf(params, layout.W1);
  let small = 0;
  for (let i = 0; i < W1.length; i++) if (Math.abs(W1[i]!) < threshold) small++;
  return small / W1.length;
}

export function l2Norm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return Math.sqrt(sum);
}
