// Layers of the 2-layer ReLU MLP as paired forward/backward kernels (llm.c style).
// Arguments: outputs first, then inputs, then dimensions. Dimensions: B rows in the batch,
// I inputs of the layer, O outputs of the layer. Weights are O x I row-major; activations B x I / B x O.
import type { Rng } from './random.js';
import { mlpLayout, tensorOf, type ParamLayout } from './params.js';

/**
 * out[b,o] = bias[o] + sum_i weight[o,i] * inp[b,i]. Four rows at a time share each weight load
 * (V8 does not vectorize; halving the loads is what makes this loop fast).
 */
export function linearForward(out: Float32Array, inp: Float32Array, weight: Float32Array, bias: Float32Array, B: number, I: number, O: number): void {
  let b = 0;
  for (; b + 3 < B; b += 4) {
    const in0 = b * I;
    const in1 = in0 + I;
    const in2 = in1 + I;
    const in3 = in2 + I;
    const out0 = b * O;
    for (let o = 0; o < O; o++) {
      const wBase = o * I;
      const bo = bias[o]!;
      let a0 = bo;
      let a1 = bo;
      let a2 = bo;
      let a3 = bo;
      for (let i = 0; i < I; i++) {
        const w = weight[wBase + i]!;
        a0 += w * inp[in0 + i]!;
        a1 += w * inp[in1 + i]!;
        a2 += w * inp[in2 + i]!;
        a3 += w * inp[in3 + i]!;
      }
      out[out0 + o] = a0;
      out[out0 + O + o] = a1;
      out[out0 + 2 * O + o] = a2;
      out[out0 + 3 * O + o] = a3;
    }
  }
  for (; b < B; b++) {
    const inBase = b * I;
    for (let o = 0; o < O; o++) {
      const wBase = o * I;
      let acc = bias[o]!;
      for (let i = 0; i < I; i++) acc += weight[wBase + i]! * inp[inBase + i]!;
      out[b * O + o] = acc;
    }
  }
}

/** Scratch for the sign-input forward kernel (see signHiddenForward), sized for I inputs, O outputs. */
export type SignTables = { table: Float32Array; acc: Float64Array; offsets: Int32Array };

const SIGN_GROUP = 5;
const GROUPS_PER_PASS = 4;

export function createSignTables(I: number, O: number): SignTables {
  const groups = Math.ceil(I / SIGN_GROUP);
  // One extra all-zero row: a pass with fewer than four groups left points its spare lookups at it.
  return {
    table: new Float32Array((groups * (1 << SIGN_GROUP) + 1) * O),
    acc: new Float64Array(O),
    offsets: new Int32Array(Math.ceil(groups / GROUPS_PER_PASS) * GROUPS_PER_PASS),
  };
}

/**
 * h = relu(W x + b) for inputs in {-1,+1} ("Four Russians"): split the inputs into groups of 5; for each group
 * tabulate sum_j s_j W[o,j] for all 32 sign patterns s (one add per entry, in Gray-code order); then a row costs
 * one lookup per group and output: 4 adds for 20 inputs instead of 20 multiply-adds, in one pass per 4 groups.
 * Equal to the dense kernel up to float rounding. Tables are rebuilt per call, since the weights change.
 */
export function signHiddenForward(h: Float32Array, inp: Float32Array, weight: Float32Array, bias: Float32Array, B: number, I: number, O: number, tables: SignTables): void {
  const { table, acc, offsets } = tables;
  const groups = Math.ceil(I / SIGN_GROUP);
  const zeroRow = groups * (1 << SIGN_GROUP) * O;
  buildSignTables(table, weight, I, O, groups);
  for (let b = 0; b < B; b++) {
    signOffsets(offsets, inp, b * I, I, O, groups, zeroRow);
    const outBase = b * O;
    for (let pass = 0; pass < offsets.length; pass += GROUPS_PER_PASS) {
      const t0 = offsets[pass]!;
      const t1 = offsets[pass + 1]!;
      const t2 = offsets[pass + 2]!;
      const t3 = offsets[pass + 3]!;
      if (pass === 0 && offsets.length === GROUPS_PER_PASS) {
        for (let o = 0; o < O; o++) {
          const sum = bias[o]! + table[t0 + o]! + table[t1 + o]! + table[t2 + o]! + table[t3 + o]!;
          h[outBase + o] = sum > 0 ? sum : 0;
        }
      } else {
        for (let o = 0; o < O; o++) acc[o] = (pass === 0 ? bias[o]! : acc[o]!) + table[t0 + o]! + table[t1 + o]! + table[t2 + o]! + table[t3 + o]!;
      }
    }
    if (offsets.length > GROUPS_PER_PASS) for (let o = 0; o < O; o++) h[outBase + o] = acc[o]! > 0 ? acc[o]! : 0;
  }
}

/** Table row offsets of one input row's sign pattern in each group (spare slots: the zero row). */
function signOffsets(offsets: Int32Array, inp: Float32Array, inBase: number, I: number, O: number, groups: number, zeroRow: number): void {
  for (let g = 0; g < offsets.length; g++) {
    if (g >= groups) {
      offsets[g] = zeroRow;
      continue;
    }
    const start = inBase + g * SIGN_GROUP;
    const size = Math.min(SIGN_GROUP, I - g * SIGN_GROUP);
    let pattern = 0;
    for (let j = 0; j < size; j++) if (inp[start + j]! > 0) pattern |= 1 << j;
    offsets[g] = ((g << SIGN_GROUP) + pattern) * O;
  }
}

function buildSignTables(table: Float32Array, weight: Float32Array, I: number, O: number, groups: number): void {
  for (let g = 0; g < groups; g++) {
    const start = g * SIGN_GROUP;
    const size = Math.min(SIGN_GROUP, I - start);
    const base = (g << SIGN_GROUP) * O;
    for (let o = 0; o < O; o++) {
      let allNegative = 0;
      for (let j = 0; j < size; j++) allNegative -= weight[o * I + start + j]!;
      table[base + o] = allNegative;
    }
    for (let pattern = 1; pattern < 1 << size; pattern++) {
      const high = 31 - Math.clz32(pattern);
      const from = base + (pattern ^ (1 << high)) * O;
      const to = base + pattern * O;
      const column = start + high;
      for (let o = 0; o < O; o++) table[to + o] = table[from + o]! + 2 * weight[o * I + column]!;
    }
  }
}

/**
 * Accumulates dweight += dout^T inp and dbias += sum_b dout; writes dinp = dout weight when dinp is given.
 * Upstream gradients that are exactly zero (hinge-satisfied samples, dead ReLUs) are skipped.
 * dweight/dbias = null computes only dinp (per-layer order needs dh before layer 2 may step).
 */
export function linearBackward(
  dinp: Float32Array | null,
  dweight: Float32Array | null,
  dbias: Float32Array | null,
  dout: Float32Array,
  inp: Float32Array,
  weight: Float32Array,
  B: number,
  I: number,
  O: number,
): void {
  if (dinp) inputGradient(dinp, dout, weight, B, I, O);
  if (dweight && dbias) weightGradient(dweight, dbias, dout, inp, B, I, O);
}

function inputGradient(dinp: Float32Array, dout: Float32Array, weight: Float32Array, B: number, I: number, O: number): void {
  dinp.fill(0, 0, B * I);
  for (let b = 0; b < B; b++) {
    const inBase = b * I;
    for (let o = 0; o < O; o++) {
      const g = dout[b * O + o]!;
      if (g === 0) continue;
      const wBase = o * I;
      for (let i = 0; i < I; i++) dinp[inBase + i] = dinp[inBase + i]! + g * weight[wBase + i]!;
    }
  }
}

/** Four rows at a time: each dweight entry is loaded and stored once per four samples. */
function weightGradient(dweight: Float32Array, dbias: Float32Array, dout: Float32Array, inp: Float32Array, B: number, I: number, O: number): void {
  let b = 0;
  for (; b + 3 < B; b += 4) {
    const in0 = b * I;
    const in1 = in0 + I;
    const in2 = in1 + I;
    const in3 = in2 + I;
    for (let o = 0; o < O; o++) {
      const g0 = dout[b * O + o]!;
      const g1 = dout[(b + 1) * O + o]!;
      const g2 = dout[(b + 2) * O + o]!;
      const g3 = dout[(b + 3) * O + o]!;
      if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0) continue;
      dbias[o] = dbias[o]! + g0 + g1 + g2 + g3;
      const wBase = o * I;
      for (let i = 0; i < I; i++) {
        dweight[wBase + i] = dweight[wBase + i]! + g0 * inp[in0 + i]! + g1 * inp[in1 + i]! + g2 * inp[in2 + i]! + g3 * inp[in3 + i]!;
      }
    }
  }
  for (; b < B; b++) {
    const inBase = b * I;
    for (let o = 0; o < O; o++) {
      const g = dout[b * O + o]!;
      if (g === 0) continue;
      dbias[o] = dbias[o]! + g;
      const wBase = o * I;
      for (let i = 0; i < I; i++) dweight[wBase + i] = dweight[wBase + i]! + g * inp[inBase + i]!;
    }
  }
}

export function reluForward(out: Float32Array, inp: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) {
    const v = inp[i]!;
    out[i] = v > 0 ? v : 0;
  }
}

/** dinp = dout where the ReLU was active (out > 0), else 0. In place is fine (dinp === dout). */
export function reluBackward(dinp: Float32Array, dout: Float32Array, out: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) dinp[i] = out[i]! > 0 ? dout[i]! : 0;
}

/** Below this many rows, building the sign tables costs more than the dense multiply-adds they save. */
export const SIGN_TABLE_MIN_ROWS = 16;

/** Layer 1: h = relu(W1 x + b1), in place in h; through the sign tables when the inputs are all +-1 and B is large. */
export function hiddenForward(h: Float32Array, x: Float32Array, W1: Float32Array, b1: Float32Array, B: number, I: number, H: number, signTables: SignTables | null = null): void {
  if (signTables && B >= SIGN_TABLE_MIN_ROWS) return signHiddenForward(h, x, W1, b1, B, I, H, signTables);
  linearForward(h, x, W1, b1, B, I, H);
  reluForward(h, h, B * H);
}

/** He init (std sqrt(2 / fan_in)) for the weights, zero biases, as in the seeds. */
export function initMlp(layout: ParamLayout, rng: Rng): Float32Array {
  const params = new Float32Array(layout.size);
  heInit(tensorOf(params, layout.W1), layout.inputs, rng);
  heInit(tensorOf(params, layout.W2), layout.hidden, rng);
  return params;
}

export function heInit(weights: Float32Array, fanIn: number, rng: Rng): void {
  const std = Math.sqrt(2 / fanIn);
  for (let i = 0; i < weights.length; i++) weights[i] = rng.normal() * std;
}

/**
 * Curriculum growth: a model for more inputs, keeping every trained weight; W1's new input columns
 * get small random values (std `newColumnStd`), so the network starts where the smaller one ended.
 */
export function expandInputs(params: Float32Array, layout: ParamLayout, inputs: number, rng: Rng, newColumnStd = 0.01): { params: Float32Array; layout: ParamLayout } {
  const grown = mlpLayout(inputs, layout.hidden, layout.outputs);
  const next = new Float32Array(grown.size);
  const oldW1 = tensorOf(params, layout.W1);
  const newW1 = tensorOf(next, grown.W1);
  for (let o = 0; o < layout.hidden; o++) {
    for (let i = 0; i < inputs; i++) {
      newW1[o * inputs + i] = i < layout.inputs ? oldW1[o * layout.inputs + i]! : rng.normal() * newColumnStd;
    }
  }
  tensorOf(next, grown.b1).set(tensorOf(params, layout.b1));
  tensorOf(next, grown.W2).set(tensorOf(params, layout.W2));
  tensorOf(next, grown.b2).set(tensorOf(params, layout.b2));
  return { params: next, layout: grown };
}
