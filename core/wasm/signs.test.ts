// core/wasm/assembly/signs.ts: the kernels for +-1 inputs give the bits of the general kernels they replace
// (linearForwardFast + reluForward, weightGradientFast, weightGradientExact) on awkward shapes, with zeros, -0 and
// infinities in the weights, and fast evaluation in one call gives the numbers of the tile loop.
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../config.js';
import { evaluate } from '../metrics.js';
import { initMlp } from '../mlp.js';
import { mlpLayout } from '../params.js';
import { Rng } from '../random.js';
import { makeTaskData } from '../tasks.js';
import { WasmArena } from './arena.js';
import { createWasmKernels } from './kernels.js';

const shapes: Array<[number, number, number]> = [
  [1, 20, 200],
  [2, 3, 5],
  [3, 23, 37],
  [4, 4, 4],
  [5, 1, 9],
  [7, 20, 16],
  [33, 13, 8],
  [64, 20, 200],
  [6, 8, 3],
];

function fill(array: Float32Array, rng: Rng, special = false): Float32Array {
  for (let i = 0; i < array.length; i++) array[i] = rng.uniform() - 0.5;
  if (special && array.length > 8) [array[0], array[3], array[5], array[7]] = [0, -0, Infinity, -Infinity];
  return array;
}

function signs(array: Float32Array, rng: Rng): Float32Array {
  for (let i = 0; i < array.length; i++) array[i] = rng.sign();
  return array;
}

describe('the sign-input kernels of fast mode', () => {
  it.each(shapes)('give the hidden layer of linearForwardFast + reluForward at B=%i, I=%i, O=%i', (B, I, O) => {
    const arena = new WasmArena(8 * 1024 * 1024);
    const k = arena.exports;
    const rng = new Rng(B * 1000 + I * 10 + O, 'signs');
    const w = fill(arena.allocate(O * I), rng, true);
    const bias = fill(arena.allocate(O), rng);
    const x = signs(arena.allocate(B * I), rng);
    const reference = arena.allocate(B * O);
    const ours = arena.allocate(B * O);
    k.linearForwardFast(reference.byteOffset, x.byteOffset, w.byteOffset, bias.byteOffset, B, I, O, arena.scratch(I * O));
    k.reluForward(reference.byteOffset, reference.byteOffset, B * O);
    k.signHiddenFast(ours.byteOffset, x.byteOffset, w.byteOffset, bias.byteOffset, B, I, O, arena.scratch(I * O), arena.scratch(4 * B * I, 'masks'), 0);
    expect(Array.from(ours)).toEqual(Array.from(reference));
  });

  it.each(shapes)('give the layer-1 weight gradient of weightGradientFast and weightGradientExact at B=%i, I=%i, H=%i', (B, I, H) => {
    const arena = new WasmArena(8 * 1024 * 1024);
    const k = arena.exports;
    const rng = new Rng(B * 1000 + I * 10 + H, 'gradient');
    const x = signs(arena.allocate(B * I), rng);
    const dout = arena.allocate(B);
    const dh = arena.allocate(B * H);
    // dh as backwardThroughReluSingle leaves it: zero rows where dout is zero, zeros where the unit is off, never -0.
    for (let b = 0; b < B; b++) {
      dout[b] = b % 3 === 1 ? 0 : rng.uniform() - 0.5;
      for (let o = 0; o < H; o++) dh[b * H + o] = rng.uniform() < 0.4 ? 0 : dout[b]! * (rng.uniform() - 0.5) + 0;
    }
    const scratch = [arena.scratch(I * H, 'dwt'), arena.scratch(4 * B * I, 'masks'), arena.scratch(B, 'rows')] as const;
    for (const [reference, ours] of [
      [k.weightGradientFast, k.signWeightGradientFast],
      [k.weightGradientExact, k.signWeightGradientExact],
    ] as const) {
      const [dw, db, refW, refB] = [arena.allocate(H * I), arena.allocate(H), arena.allocate(H * I), arena.allocate(H)];
      reference(refW.byteOffset, refB.byteOffset, dh.byteOffset, x.byteOffset, B, I, H);
      ours(dw.byteOffset, db.byteOffset, dh.byteOffset, x.byteOffset, dout.byteOffset, B, I, H, ...scratch);
      expect(Array.from(dw)).toEqual(Array.from(refW));
      expect(Array.from(db)).toEqual(Array.from(refB));
    }
  });

  it.each([
    [1000, 20, 200],
    [77, 23, 37],
    [3, 7, 5],
    [130, 9, 3],
  ])('evaluate %i rows (n=%i, hidden %i) in one call with the numbers of the tile loop', (rows, n, hidden) => {
    const config = parseTrainConfig({ n_bits: n, k: 3, hidden, n_train: rows, n_test: rows });
    const data = makeTaskData(config, 7);
    const layout = mlpLayout(n, hidden, 1);
    const params = initMlp(layout, new Rng(5, 'test'));
    const options = { loss: config.loss, kind: data.kind, secret: data.secret };
    const fast = createWasmKernels('fast', new WasmArena(8 * 1024 * 1024));
    expect(evaluate(params, layout, data.test, options, fast)).toEqual(evaluate(params, layout, data.test, options, { ...fast, forwardSigns: null }));
  });
});
