// The one-hot gather / scatter kernels give the dense kernels' bits on modular-task inputs, in TS and in wasm (exact).
import { describe, expect, it } from 'vitest';
import { hiddenForward, linearBackward } from './mlp.js';
import { oneHotHiddenForward, oneHotIndices, oneHotWeightGradient } from './one-hot.js';
import { Rng } from './random.js';
import { WasmArena } from './wasm/arena.js';
import { createWasmKernels } from './wasm/kernels.js';

function bits(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

function randomArray(length: number, rng: Rng, zeroFraction = 0): Float32Array {
  return new Float32Array(length).map(() => (rng.uniform() < zeroFraction ? 0 : rng.normal()));
}

/** B rows of [onehot(a), onehot(b)] over 2p inputs, as the modular tasks build them. */
function modularInputs(B: number, p: number, rng: Rng): Float32Array {
  const x = new Float32Array(B * 2 * p);
  for (let b = 0; b < B; b++) {
    x[b * 2 * p + rng.int(p)] = 1;
    x[b * 2 * p + p + rng.int(p)] = 1;
  }
  return x;
}

const shapes: Array<[B: number, p: number, H: number]> = [
  [1, 5, 3],
  [3, 2, 7],
  [4, 3, 8],
  [5, 7, 5],
  [8, 2, 16],
  [9, 5, 33],
  [13, 97, 20],
  [33, 3, 9],
  [64, 97, 512],
];

describe('the one-hot kernels', () => {
  it("find each row's hot indices, and refuse rows that are not exactly two ones among zeros", () => {
    const hot = new Int32Array(4);
    expect(oneHotIndices(hot, new Float32Array([0, 1, 0, 1, 1, 0, 0, 1]), 2, 4, 2)).toBe(true);
    expect(Array.from(hot)).toEqual([1, 3, 0, 3]);
    expect(oneHotIndices(hot, new Float32Array([0, 1, 1, 1]), 1, 4, 2)).toBe(false);
    expect(oneHotIndices(hot, new Float32Array([0, 1, 0, 0]), 1, 4, 2)).toBe(false);
    expect(oneHotIndices(hot, new Float32Array([0, 2, 0, 1]), 1, 4, 2)).toBe(false);
    expect(oneHotIndices(hot, new Float32Array([-1, 1, 1, -1]), 1, 4, 2)).toBe(false);
  });

  it.each(shapes)('give the dense hidden forward and weight gradient bits (B %i, p %i, H %i), in TS and wasm', (B, p, H) => {
    const rng = new Rng(B * 7 + p * 3 + H, 'one-hot');
    const I = 2 * p;
    const x = modularInputs(B, p, rng);
    const W1 = randomArray(H * I, rng);
    const b1 = randomArray(H, rng);
    const dh = randomArray(B * H, rng, 0.4);
    const hot = new Int32Array(B * 2);
    expect(oneHotIndices(hot, x, B, I, 2)).toBe(true);

    const denseH = new Float32Array(B * H);
    hiddenForward(denseH, x, W1, b1, B, I, H, null);
    const sparseH = new Float32Array(B * H);
    oneHotHiddenForward(sparseH, hot, 2, W1, b1, B, I, H);
    expect(bits(sparseH)).toEqual(bits(denseH));
    const wasmH = new Float32Array(B * H);
    createWasmKernels('exact', new WasmArena(1 << 23)).oneHotHiddenForward(wasmH, hot, 2, W1, b1, B, I, H);
    expect(bits(wasmH)).toEqual(bits(denseH));

    const start = randomArray(H * I + H, rng, 0.5);
    const dense = start.slice();
    linearBackward(null, dense.subarray(0, H * I), dense.subarray(H * I), dh, x, W1, B, I, H);
    const sparse = start.slice();
    oneHotWeightGradient(sparse.subarray(0, H * I), sparse.subarray(H * I), dh, hot, 2, B, I, H);
    expect(bits(sparse)).toEqual(bits(dense));
    const wasmGrads = start.slice();
    createWasmKernels('exact', new WasmArena(1 << 23)).oneHotWeightGradient(wasmGrads.subarray(0, H * I), wasmGrads.subarray(H * I), dh, hot, 2, B, I, H);
    expect(bits(wasmGrads)).toEqual(bits(dense));
  });
});
