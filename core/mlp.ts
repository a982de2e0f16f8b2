// Layers of the 2-layer ReLU MLP as paired forward/backward kernels (llm.c style).
// Arguments: outputs first, then inputs, then dimensions. Dimensions: B rows in the batch,
// I inputs of the layer, O outputs of the layer. Weights are O x I row-major; activations B x I / B x O.
import type { Rng } from './random.js';
import { mlpLayout, tensorOf, type ParamLayout } from './params.js';
import type { KernelTraffic } from './traffic.js';

/** linearForward / hiddenForward (B, I, O): inp, weight and bias in, out out (the sign tables are scratch). */
export const linearForwardTraffic: KernelTraffic<'out' | 'inp' | 'weight' | 'bias'> = {
  reads: [
    { arg: 'inp', floats: (B, I) => B * I },
    { arg: 'weight', floats: (_B, I, O) => O * I },
    { arg: 'bias', floats: (_B, _I, O) => O },
  ],
  writes: [{ arg: 'out', floats: (B, _I, O) => B * O }],
};

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
  // Leftover rows (all of them at batch size 1): four outputs at a time share each input load instead.
  for (; b < B; b++) {
    const inBase = b * I;
    let o = 0;
    for (; o + 3 < O; o += 4) {
      const w0 = o * I;
      const w1 = w0 + I;
      const w2 = w1 + I;
      const w3 = w2 + I;
      let a0 = bias[o]!;
      let a1 = bias[o + 1]!;
      let a2 = bias[o + 2]!;
      let a3 = bias[o + 3]!;
      for (let i = 0; i < I; i++) {
        const x = inp[inBase + i]!;
        a0 += weight[w0 + i]! * x;
        a1 += weight[w1 + i]! * x;
        a2 += weight[w2 + i]! * x;
        a3 += weight[w3 + i]! * x;
      }
      out[b * O + o] = a0;
      out[b * O + o + 1] = a1;
      out[b * O + o + 2] = a2;
      out[b * O + o + 3] = a3;
    }
    for (; o < O; o++) {
      const wBase = o * I;
      let acc = bias[o]!;
      for (let i = 0; i < I; i++) acc += weight[wBase + i]! * inp[inBase + i]!;
      out[b * O + o] = acc;
    }
  }
}

/** Scratch for the sign-input forward kernel (see signHiddenForward), sized for I inputs, O outputs. */
export type SignTables = { table: Float32Array; acc: Float64Array; offsets: Int32Array; transposed: Float32Array };

const SIGN_GROUP = 5;
const GROUPS_PER_PASS = 4;

export function createSignTables(I: number, O: number): SignTables {
  const groups = Math.ceil(I / SIGN_GROUP);
  // One extra all-zero row: a pass with fewer than four groups left points its spare lookups at it.
  return {
    table: new Float32Array((groups * (1 << SIGN_GROUP) + 1) * O),
    acc: new Float64Array(O),
    offsets: new Int32Array(Math.ceil(groups / GROUPS_PER_PASS) * GROUPS_PER_PASS),
    transposed: new Float32Array(I * O),
  };
}

/**
 * h = relu(W x + b) for inputs in {-1,+1} ("Four Russians"): split the inputs into groups of 5; for each group
 * tabulate sum_j s_j W[o,j] for all 32 sign patterns s (one add per entry, in Gray-code order); then a row costs
 * one lookup per group and output: 4 adds for 20 inputs instead of 20 multiply-adds, in one pass per 4 groups.
 * Equal to the dense kernel up to float rounding. Tables are rebuilt per call, since the weights change.
 */
export function signHiddenForward(
  h: Float32Array,
  inp: Float32Array,
  weight: Float32Array,
  bias: Float32Array,
  B: number,
  I: number,
  O: number,
  tables: SignTables,
): void {
  buildSignTablesFor(tables, weight, I, O);
  signLookupForward(h, inp, bias, B, I, O, tables);
}

/** Fills the tables for the current weights (once per weight change; lookups may then run on any rows). */
export function buildSignTablesFor(tables: SignTables, weight: Float32Array, I: number, O: number): void {
  buildSignTables(tables.table, weight, I, O, Math.ceil(I / SIGN_GROUP), tables.transposed, tables.acc);
}

/** h = relu(W x + b) for B rows of +-1 inputs, from tables already built for W (buildSignTablesFor). */
export function signLookupForward(h: Float32Array, inp: Float32Array, bias: Float32Array, B: number, I: number, O: number, tables: SignTables): void {
  const { table, acc, offsets } = tables;
  const groups = Math.ceil(I / SIGN_GROUP);
  const zeroRow = groups * (1 << SIGN_GROUP) * O;
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
          // (s + |s|) / 2 = max(s, 0) without a branch: `s > 0 ? s : 0` mispredicts on half the units of a fresh
          // batch and made this loop 3x slower. Same numbers, except that NaN stays NaN (a divergence stays visible).
          h[outBase + o] = (sum + Math.abs(sum)) * 0.5;
        }
      } else {
        for (let o = 0; o < O; o++) acc[o] = (pass === 0 ? bias[o]! : acc[o]!) + table[t0 + o]! + table[t1 + o]! + table[t2 + o]! + table[t3 + o]!;
      }
    }
    if (offsets.length > GROUPS_PER_PASS) for (let o = 0; o < O; o++) h[outBase + o] = (acc[o]! + Math.abs(acc[o]!)) * 0.5;
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
    for (let j = 0; j < size; j++) pattern |= +(inp[start + j]! > 0) << j; // no branch on random bits
    offsets[g] = ((g << SIGN_GROUP) + pattern) * O;
  }
}

function buildSignTables(table: Float32Array, weight: Float32Array, I: number, O: number, groups: number, transposed: Float32Array, acc: Float64Array): void {
  // W^T first, so the table loops below read one contiguous column per pattern instead of a stride-I gather.
  for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) transposed[i * O + o] = weight[o * I + i]!;
  for (let g = 0; g < groups; g++) {
    const start = g * SIGN_GROUP;
    const size = Math.min(SIGN_GROUP, I - start);
    const base = (g << SIGN_GROUP) * O;
    acc.fill(0);
    for (let j = 0; j < size; j++) {
      const column = (start + j) * O;
      for (let o = 0; o < O; o++) acc[o] = acc[o]! - transposed[column + o]!;
    }
    for (let o = 0; o < O; o++) table[base + o] = acc[o]!;
    for (let pattern = 1; pattern < 1 << size; pattern++) {
      const high = 31 - Math.clz32(pattern);
      const from = base + (pattern ^ (1 << high)) * O;
      const to = base + pattern * O;
      const column = (start + high) * O;
      for (let o = 0; o < O; o++) table[to + o] = table[from + o]! + 2 * transposed[column + o]!;
    }
  }
}

/** linearBackward (B, I, O): dout always, inp for the weight gradient, weight for the input gradient. */
export const linearBackwardTraffic: KernelTraffic<'dinp' | 'dweight' | 'dbias' | 'dout' | 'inp' | 'weight'> = {
  reads: [
    { arg: 'dout', floats: (B, _I, O) => B * O },
    { arg: 'inp', floats: (B, I) => B * I, onlyWith: 'dweight' },
    { arg: 'weight', floats: (_B, I, O) => O * I, onlyWith: 'dinp' },
  ],
  writes: [
    { arg: 'dweight', floats: (_B, I, O) => O * I },
    { arg: 'dbias', floats: (_B, _I, O) => O },
    { arg: 'dinp', floats: (B, I) => B * I },
  ],
  accumulates: ['dweight', 'dbias'],
};

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

/**
 * Eight rows per pass: each dweight entry is loaded and stored once per eight samples. Math.fround after the
 * first four keeps the float32 rounding of four-row blocks, so the numbers equal the four-row kernel's.
 */
function weightGradient(dweight: Float32Array, dbias: Float32Array, dout: Float32Array, inp: Float32Array, B: number, I: number, O: number): void {
  const fround = Math.fround;
  let b = 0;
  for (; b + 7 < B; b += 8) {
    const in0 = b * I;
    const in1 = in0 + I;
    const in2 = in1 + I;
    const in3 = in2 + I;
    const in4 = in3 + I;
    const in5 = in4 + I;
    const in6 = in5 + I;
    const in7 = in6 + I;
    for (let o = 0; o < O; o++) {
      const g0 = dout[b * O + o]!;
      const g1 = dout[(b + 1) * O + o]!;
      const g2 = dout[(b + 2) * O + o]!;
      const g3 = dout[(b + 3) * O + o]!;
      const g4 = dout[(b + 4) * O + o]!;
      const g5 = dout[(b + 5) * O + o]!;
      const g6 = dout[(b + 6) * O + o]!;
      const g7 = dout[(b + 7) * O + o]!;
      // One well-predicted branch (& of the tests) instead of && chains that mispredict on ReLU-zeroed gradients.
      if (+(g0 === 0) & +(g1 === 0) & +(g2 === 0) & +(g3 === 0) & +(g4 === 0) & +(g5 === 0) & +(g6 === 0) & +(g7 === 0)) continue;
      dbias[o] = fround(dbias[o]! + g0 + g1 + g2 + g3) + g4 + g5 + g6 + g7;
      const wBase = o * I;
      for (let i = 0; i < I; i++) {
        const firstFour = fround(dweight[wBase + i]! + g0 * inp[in0 + i]! + g1 * inp[in1 + i]! + g2 * inp[in2 + i]! + g3 * inp[in3 + i]!);
        dweight[wBase + i] = firstFour + g4 * inp[in4 + i]! + g5 * inp[in5 + i]! + g6 * inp[in6 + i]! + g7 * inp[in7 + i]!;
      }
    }
  }
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
      if (+(g0 === 0) & +(g1 === 0) & +(g2 === 0) & +(g3 === 0)) continue;
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

/**
 * dinp = dout W masked by the ReLU that produced inp (active where inp > 0): inputGradient and reluBackward in
 * one pass. A single-output layer (O = 1) writes each entry once, g * W[i] or 0, and zero rows for samples with
 * no gradient; the numbers equal inputGradient followed by reluBackward.
 */
export function linearBackwardThroughRelu(
  dinp: Float32Array,
  dout: Float32Array,
  weight: Float32Array,
  active: Float32Array,
  B: number,
  I: number,
  O: number,
): void {
  if (O !== 1) {
    inputGradient(dinp, dout, weight, B, I, O);
    reluBackward(dinp, dinp, active, B * I);
    return;
  }
  for (let b = 0; b < B; b++) {
    const g = dout[b]!;
    const base = b * I;
    if (g === 0) {
      dinp.fill(0, base, base + I);
      continue;
    }
    // + 0 turns the -0 of a masked negative product into the +0 reluBackward writes.
    for (let i = 0; i < I; i++) dinp[base + i] = g * weight[i]! * +(active[base + i]! > 0) + 0;
  }
}

/** outputLayerBackward (B, I, O): inp is read for the weight gradient and as the ReLU mask of dinp. */
export const outputLayerBackwardTraffic: KernelTraffic<'dinp' | 'dweight' | 'dbias' | 'dout' | 'inp' | 'weight'> = {
  reads: [
    { arg: 'dout', floats: (B, _I, O) => B * O },
    { arg: 'inp', floats: (B, I) => B * I },
    { arg: 'weight', floats: (_B, I, O) => O * I, onlyWith: 'dinp' },
  ],
  writes: linearBackwardTraffic.writes,
  accumulates: ['dweight', 'dbias'],
};

/**
 * The output layer's backward pass on inp = relu(...): dweight += dout^T inp, dbias += sum_b dout (when given), and
 * dinp = dout W masked by the ReLU of inp (when given), with W as it is now. Either part may be skipped (per-layer).
 */
export function outputLayerBackward(
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
  if (dweight && dbias) weightGradient(dweight, dbias, dout, inp, B, I, O);
  if (dinp) linearBackwardThroughRelu(dinp, dout, weight, inp, B, I, O);
}

/** max(v, 0) as (v + |v|) / 2: no data-dependent branch (see signLookupForward); NaN stays NaN. */
export function reluForward(out: Float32Array, inp: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) {
    const v = inp[i]!;
    out[i] = (v + Math.abs(v)) * 0.5;
  }
}

/**
 * dinp = dout where the ReLU was active (out > 0), else 0. In place is fine (dinp === dout). A multiply by the 0/1
 * test instead of a branch (5x faster on a fresh batch); + 0 turns the -0 of a masked negative into +0.
 */
export function reluBackward(dinp: Float32Array, dout: Float32Array, out: Float32Array, N: number): void {
  for (let i = 0; i < N; i++) dinp[i] = dout[i]! * +(out[i]! > 0) + 0;
}

/** Below this many rows, building the sign tables costs more than the dense multiply-adds they save. */
export const SIGN_TABLE_MIN_ROWS = 16;

/** Layer 1: h = relu(W1 x + b1), in place in h; through the sign tables when the inputs are all +-1 and B is large. */
export function hiddenForward(
  h: Float32Array,
  x: Float32Array,
  W1: Float32Array,
  b1: Float32Array,
  B: number,
  I: number,
  H: number,
  signTables: SignTables | null = null,
): void {
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
export function expandInputs(
  params: Float32Array,
  layout: ParamLayout,
  inputs: number,
  rng: Rng,
  newColumnStd = 0.01,
): { params: Float32Array; layout: ParamLayout } {
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
