// EGD's transform in wasm (core/wasm/assembly/egd.ts) against core/linalg.ts orthogonalize: the same bits (as Uint32
// words) and the same rank on many random gradients of awkward shapes, tall and wide, full rank and rank-deficient,
// zero and NaN, on views of the arena's memory and on plain arrays, with one workspace reused as a run reuses it.
import { describe, expect, it } from 'vitest';
import { createOrthogonalizeWorkspace, orthogonalize } from '../linalg.js';
import { Rng } from '../random.js';
import { WasmArena } from './arena.js';
import { createWasmKernels, type Kernels } from './kernels.js';

function bits(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

/** A rows x cols gradient of the given rank (rank >= min(rows, cols): a plain normal matrix), scaled like a gradient. */
function gradient(rng: Rng, rows: number, cols: number, rank: number, scale: number): Float32Array {
  const values = new Float32Array(rows * cols);
  if (rank >= Math.min(rows, cols)) {
    for (let i = 0; i < values.length; i++) values[i] = scale * rng.normal();
    return values;
  }
  const left = Array.from({ length: rows * rank }, () => rng.normal());
  const right = Array.from({ length: rank * cols }, () => rng.normal());
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      for (let k = 0; k < rank; k++) sum += left[r * rank + k]! * right[k * cols + c]!;
      values[r * cols + c] = scale * sum;
    }
  }
  return values;
}

const shapes: Array<[rows: number, cols: number]> = [
  [200, 20],
  [20, 200],
  [1, 7],
  [7, 1],
  [2, 2],
  [3, 5],
  [5, 3],
  [9, 9],
  [33, 6],
  [6, 33],
  [50, 10],
  [97, 40],
  [41, 97],
];

function kernels(): Kernels {
  return createWasmKernels('exact', new WasmArena(8 * 1024 * 1024));
}

describe('orthogonalize in wasm', () => {
  it.each(shapes)('gives the TS bits and rank on random %i x %i gradients, full rank and rank-deficient, one workspace each', (rows, cols) => {
    const rng = new Rng(rows * 1000 + cols, 'egd-wasm');
    const wasm = kernels();
    const tsWorkspace = createOrthogonalizeWorkspace(rows, cols);
    const wasmWorkspace = createOrthogonalizeWorkspace(rows, cols);
    const m = Math.min(rows, cols);
    for (let trial = 0; trial < 24; trial++) {
      const rank = trial % 3 === 0 ? 1 + (trial % Math.max(1, m - 1)) : m;
      const source = gradient(rng, rows, cols, rank, 10 ** (rng.uniform() * 6 - 4));
      const reference = source.slice();
      const expectedRank = orthogonalize(reference, rows, cols, tsWorkspace);
      // Views on the arena (the run's case) on even trials, plain arrays (copied in and out) on odd ones.
      const actual = trial % 2 === 0 ? wasm.allocate(source.length) : new Float32Array(source.length);
      actual.set(source);
      expect(wasm.orthogonalize(actual, rows, cols, wasmWorkspace)).toBe(expectedRank);
      expect(bits(actual)).toEqual(bits(reference));
    }
  });

  it('leaves an all-zero gradient zero and turns a NaN or infinite one into NaN, as the TS transform', () => {
    const wasm = kernels();
    const zero = new Float32Array(12);
    expect(wasm.orthogonalize(zero, 4, 3, createOrthogonalizeWorkspace(4, 3))).toBe(0);
    expect(Array.from(zero)).toEqual(new Array(12).fill(0));
    for (const bad of [NaN, Infinity]) {
      const broken = Float32Array.from([1, 2, bad, 4, 5, 6]);
      expect(wasm.orthogonalize(broken, 2, 3, createOrthogonalizeWorkspace(2, 3))).toBe(0);
      expect(Array.from(broken).every(Number.isNaN)).toBe(true);
    }
  });

  it('keeps one wasm workspace per TS workspace, so two tensors do not share state', () => {
    const wasm = kernels();
    const rng = new Rng(5, 'egd-wasm');
    const first = createOrthogonalizeWorkspace(30, 8);
    const second = createOrthogonalizeWorkspace(30, 8);
    const sources = [gradient(rng, 30, 8, 8, 1), gradient(rng, 30, 8, 2, 1)];
    const tsFirst = createOrthogonalizeWorkspace(30, 8);
    const tsSecond = createOrthogonalizeWorkspace(30, 8);
    for (let round = 0; round < 3; round++) {
      for (const [index, source] of sources.entries()) {
        const expected = source.slice();
        orthogonalize(expected, 30, 8, index === 0 ? tsFirst : tsSecond);
        const actual = source.slice();
        wasm.orthogonalize(actual, 30, 8, index === 0 ? first : second);
        expect(bits(actual)).toEqual(bits(expected));
      }
    }
  });

  it('names the fix when the workspace does not match the matrix shape', () => {
    expect(() => kernels().orthogonalize(new Float32Array(6), 2, 3, createOrthogonalizeWorkspace(3, 2))).toThrow(/createOrthogonalizeWorkspace\(2, 3\)/);
  });
});
