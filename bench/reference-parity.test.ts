// The numpy reference (bench/reference.py) computes the same forward pass as our core, so the bench compares
// two implementations of one loop. Skipped where python3 with numpy is missing.
import { describe, expect, it } from 'vitest';
import { makeBitDataset, mlpLayout, Rng, tensorOf } from '../core/index.js';
import { createSignTables, hiddenForward, initMlp, linearForward } from '../core/mlp.js';
import { numpyAvailable, numpyForward } from './numpy-reference.js';

const inputs = 8;
const hidden = 6;
const rows = 20; // >= SIGN_TABLE_MIN_ROWS, so our sign-table kernel runs as well as the dense one

function fixedNetwork() {
  const layout = mlpLayout(inputs, hidden, 1);
  const params = initMlp(layout, new Rng(7, 'init'));
  const rng = new Rng(7, 'biases');
  const b1 = tensorOf(params, layout.b1);
  for (let o = 0; o < hidden; o++) b1[o] = rng.normal() * 0.1;
  tensorOf(params, layout.b2)[0] = 0.05;
  const data = makeBitDataset('parity', inputs, [1, 4, 6], rows, new Rng(7, 'data'));
  return { layout, params, x: data.x };
}

function ourForward(network: ReturnType<typeof fixedNetwork>, signTables: boolean): { h: Float32Array; out: Float32Array } {
  const { layout, params, x } = network;
  const h = new Float32Array(rows * hidden);
  const out = new Float32Array(rows);
  const tables = signTables ? createSignTables(inputs, hidden) : null;
  hiddenForward(h, x, tensorOf(params, layout.W1), tensorOf(params, layout.b1), rows, inputs, hidden, tables);
  linearForward(out, h, tensorOf(params, layout.W2), tensorOf(params, layout.b2), rows, hidden, 1);
  return { h, out };
}

function matrix(values: Float32Array, columns: number): number[][] {
  return Array.from({ length: values.length / columns }, (_, row) => Array.from(values.subarray(row * columns, (row + 1) * columns)));
}

describe('bench/reference.py', () => {
  it.skipIf(!numpyAvailable())('computes the same hidden activations and outputs as our kernels for fixed weights', () => {
    const network = fixedNetwork();
    const { layout, params } = network;
    const reference = numpyForward({
      W1: matrix(tensorOf(params, layout.W1), inputs),
      b1: Array.from(tensorOf(params, layout.b1)),
      W2: matrix(tensorOf(params, layout.W2), hidden),
      b2: Array.from(tensorOf(params, layout.b2)),
      x: matrix(network.x, inputs),
    });
    for (const signTables of [false, true]) {
      const ours = ourForward(network, signTables);
      const tolerance = (value: number) => 1e-5 * Math.max(1, Math.abs(value));
      for (let row = 0; row < rows; row++) {
        expect(Math.abs(ours.out[row]! - reference.out[row]!)).toBeLessThanOrEqual(tolerance(reference.out[row]!));
        for (let unit = 0; unit < hidden; unit++) {
          const theirs = reference.h[row]![unit]!;
          expect(Math.abs(ours.h[row * hidden + unit]! - theirs)).toBeLessThanOrEqual(tolerance(theirs));
        }
      }
    }
    // Not a vacuous match: the outputs differ between rows and some hidden units are cut by the ReLU.
    expect(new Set(reference.out.map((value) => value.toFixed(4))).size).toBeGreaterThan(5);
    expect(reference.h.flat().some((value) => value === 0)).toBe(true);
  });
});
