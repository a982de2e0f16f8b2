// Layers of the 2-layer ReLU MLP as paired forward/backward kernels (llm.c style).
// Arguments: outputs first, then inputs, then dimensions. Dimensions: B rows in the batch,
// I inputs of the layer, O outputs of the layer. Weights are O x I row-major; activations B x I / B x O.
import type { Rng } from './random.js';
import { mlpLayout, tensorOf, type ParamLayout } from './params.js';

/** out[b,o] = bias[o] + sum_i weight[o,i] * inp[b,i] */
export function linearForward(out: Float32Array, inp: Float32Array, weight: Float32Array, bias: Float32Array, B: number, I: number, O: number): void {
  for (let b = 0; b < B; b++) {
    const inBase = b * I;
    const outBase = b * O;
    for (let o = 0; o < O; o++) {
      const wBase = o * I;
      let acc = bias[o]!;
      let i = 0;
      for (; i + 3 < I; i += 4) {
        acc +=
          weight[wBase + i]! * inp[inBase + i]! +
          weight[wBase + i + 1]! * inp[inBase + i + 1]! +
          weight[wBase + i + 2]! * inp[inBase + i + 2]! +
          weight[wBase + i + 3]! * inp[inBase + i + 3]!;
      }
      for (; i < I; i++) acc += weight[wBase + i]! * inp[inBase + i]!;
      out[outBase + o] = acc;
    }
  }
}

/**
 * Accumulates dweight += dout^T inp and dbias += sum_b dout; writes dinp = dout weight when dinp is given.
 * Rows and units whose upstream gradient is exactly zero (hinge-satisfied samples, dead ReLUs) are skipped.
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
  if (dinp) dinp.fill(0, 0, B * I);
  for (let b = 0; b < B; b++) {
    const inBase = b * I;
    const outBase = b * O;
    for (let o = 0; o < O; o++) {
      const g = dout[outBase + o]!;
      if (g === 0) continue;
      const wBase = o * I;
      if (dweight && dbias) {
        dbias[o] = dbias[o]! + g;
        for (let i = 0; i < I; i++) dweight[wBase + i] = dweight[wBase + i]! + g * inp[inBase + i]!;
      }
      if (dinp) for (let i = 0; i < I; i++) dinp[inBase + i] = dinp[inBase + i]! + g * weight[wBase + i]!;
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

/** Fused layer 1: h = relu(W1 x + b1), computed in place in h. */
export function hiddenForward(h: Float32Array, x: Float32Array, W1: Float32Array, b1: Float32Array, B: number, I: number, H: number): void {
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
