// The MLP kernels against naive references and central finite differences (gradients in float32, so tolerances
// are relative ~1e-3), and curriculum growth keeping every trained weight.
import { describe, expect, it } from 'vitest';
import { expandInputs, heInit, hiddenForward, initMlp, linearBackward, linearForward, reluBackward, reluForward } from './mlp.js';
import { mlpLayout, tensorOf } from './params.js';
import { Rng } from './random.js';

function randomArray(length: number, rng: Rng, scale = 1): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = rng.normal() * scale;
  return values;
}

/** sum_i a[i] * r[i] in double precision: a scalar "loss" whose gradient with respect to a is r. */
function dot(a: Float32Array, r: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * r[i]!;
  return sum;
}

/**
 * Central difference of f with respect to values[i], using the float32 values actually stored
 * (so the step is exact even though values+eps rounds).
 */
function centralDifference(values: Float32Array, i: number, f: () => number, eps = 1e-2): number {
  const original = values[i]!;
  values[i] = original + eps;
  const up = values[i]!;
  const plus = f();
  values[i] = original - eps;
  const down = values[i]!;
  const minus = f();
  values[i] = original;
  return (plus - minus) / (up - down);
}

function expectClose(analytic: number, numeric: number, relative = 2e-3, absolute = 1e-4): void {
  expect(Math.abs(analytic - numeric)).toBeLessThanOrEqual(absolute + relative * Math.max(Math.abs(analytic), Math.abs(numeric)));
}

describe('linearForward', () => {
  it('computes bias + weight . input for every row, matching a naive loop (odd I exercises the unrolled tail)', () => {
    const rng = new Rng(1, 'linear-forward');
    const [B, I, O] = [3, 7, 5];
    const inp = randomArray(B * I, rng);
    const weight = randomArray(O * I, rng);
    const bias = randomArray(O, rng);
    const out = new Float32Array(B * O);
    linearForward(out, inp, weight, bias, B, I, O);
    for (let b = 0; b < B; b++) {
      for (let o = 0; o < O; o++) {
        let expected = bias[o]!;
        for (let i = 0; i < I; i++) expected += weight[o * I + i]! * inp[b * I + i]!;
        expect(out[b * O + o]).toBeCloseTo(expected, 5);
      }
    }
  });
});

describe('linearBackward', () => {
  const rng = new Rng(2, 'linear-backward');
  const [B, I, O] = [4, 6, 3];
  const inp = randomArray(B * I, rng);
  const weight = randomArray(O * I, rng);
  const bias = randomArray(O, rng);
  const upstream = randomArray(B * O, rng);
  const out = new Float32Array(B * O);
  const loss = () => {
    linearForward(out, inp, weight, bias, B, I, O);
    return dot(out, upstream);
  };

  it('gives dweight, dbias and dinp equal to central finite differences', () => {
    const dinp = new Float32Array(B * I);
    const dweight = new Float32Array(O * I);
    const dbias = new Float32Array(O);
    linearBackward(dinp, dweight, dbias, upstream, inp, weight, B, I, O);
    for (let i = 0; i < weight.length; i++) expectClose(dweight[i]!, centralDifference(weight, i, loss));
    for (let i = 0; i < bias.length; i++) expectClose(dbias[i]!, centralDifference(bias, i, loss));
    for (let i = 0; i < inp.length; i++) expectClose(dinp[i]!, centralDifference(inp, i, loss));
  });

  it('accumulates into dweight and dbias (two calls give twice the gradient) and overwrites dinp', () => {
    const once = { dw: new Float32Array(O * I), db: new Float32Array(O) };
    linearBackward(null, once.dw, once.db, upstream, inp, weight, B, I, O);
    const twice = { dw: new Float32Array(O * I), db: new Float32Array(O), dinp: new Float32Array(B * I).fill(99) };
    linearBackward(twice.dinp, twice.dw, twice.db, upstream, inp, weight, B, I, O);
    linearBackward(twice.dinp, twice.dw, twice.db, upstream, inp, weight, B, I, O);
    for (let i = 0; i < once.dw.length; i++) expect(twice.dw[i]).toBeCloseTo(2 * once.dw[i]!, 5);
    for (let i = 0; i < once.db.length; i++) expect(twice.db[i]).toBeCloseTo(2 * once.db[i]!, 5);
    const fresh = new Float32Array(B * I);
    linearBackward(fresh, null, null, upstream, inp, weight, B, I, O);
    expect(Array.from(twice.dinp)).toEqual(Array.from(fresh));
  });
});

describe('relu', () => {
  it('passes positive values, zeroes the rest, and its backward matches finite differences away from the kink', () => {
    const rng = new Rng(3, 'relu');
    const N = 40;
    const inp = randomArray(N, rng);
    for (let i = 0; i < N; i++) if (Math.abs(inp[i]!) < 0.05) inp[i] = 0.5; // keep the step off the kink
    const upstream = randomArray(N, rng);
    const out = new Float32Array(N);
    reluForward(out, inp, N);
    for (let i = 0; i < N; i++) expect(out[i]).toBe(Math.max(0, inp[i]!));
    const dinp = new Float32Array(N);
    reluBackward(dinp, upstream, out, N);
    const loss = () => {
      reluForward(out, inp, N);
      return dot(out, upstream);
    };
    for (let i = 0; i < N; i++) expectClose(dinp[i]!, centralDifference(inp, i, loss, 1e-2));
    reluForward(out, inp, N);
  });
});

describe('the 2-layer MLP', () => {
  it('backpropagates to W1, b1, W2, b2 exactly as central finite differences of the whole network', () => {
    const [B, I, H, O] = [5, 6, 8, 2];
    const layout = mlpLayout(I, H, O);
    const rng = new Rng(4, 'mlp');
    const params = initMlp(layout, rng);
    const b1 = tensorOf(params, layout.b1);
    for (let i = 0; i < b1.length; i++) b1[i] = rng.normal() * 0.3;
    const x = randomArray(B * I, rng);
    const upstream = randomArray(B * O, rng);
    const h = new Float32Array(B * H);
    const out = new Float32Array(B * O);
    const forward = () => {
      hiddenForward(h, x, tensorOf(params, layout.W1), tensorOf(params, layout.b1), B, I, H);
      linearForward(out, h, tensorOf(params, layout.W2), tensorOf(params, layout.b2), B, H, O);
      return dot(out, upstream);
    };
    forward();
    const grads = new Float32Array(layout.size);
    const dh = new Float32Array(B * H);
    linearBackward(dh, tensorOf(grads, layout.W2), tensorOf(grads, layout.b2), upstream, h, tensorOf(params, layout.W2), B, H, O);
    reluBackward(dh, dh, h, B * H);
    linearBackward(null, tensorOf(grads, layout.W1), tensorOf(grads, layout.b1), dh, x, tensorOf(params, layout.W1), B, I, H);
    // A step of 1e-3 keeps every hidden pre-activation on its side of the ReLU kink for these values.
    for (let i = 0; i < layout.size; i++) expectClose(grads[i]!, centralDifference(params, i, forward, 1e-3), 5e-3, 5e-4);
  });

  it('initialises W1 and W2 with He std sqrt(2 / fan_in) and zero biases, reproducibly', () => {
    const layout = mlpLayout(50, 400, 1);
    const params = initMlp(layout, new Rng(5, 'init'));
    expect(Array.from(initMlp(layout, new Rng(5, 'init')))).toEqual(Array.from(params));
    const W1 = tensorOf(params, layout.W1);
    const variance = W1.reduce((sum, w) => sum + w * w, 0) / W1.length;
    expect(variance).toBeGreaterThan(0.9 * (2 / 50));
    expect(variance).toBeLessThan(1.1 * (2 / 50));
    expect(tensorOf(params, layout.b1).every((v) => v === 0)).toBe(true);
    expect(tensorOf(params, layout.b2).every((v) => v === 0)).toBe(true);
    const single = new Float32Array(10000);
    heInit(single, 8, new Rng(6));
    expect(Math.sqrt(single.reduce((sum, w) => sum + w * w, 0) / single.length)).toBeCloseTo(0.5, 1);
  });
});

describe('expandInputs', () => {
  it('keeps every trained weight, gives the new W1 columns small values, and computes the same function on old inputs', () => {
    const [oldI, newI, H, O] = [4, 7, 5, 1];
    const layout = mlpLayout(oldI, H, O);
    const rng = new Rng(7, 'expand');
    const params = randomArray(layout.size, rng);
    const grown = expandInputs(params, layout, newI, new Rng(8, 'growth'), 0.01);
    expect(grown.layout.inputs).toBe(newI);
    expect(grown.layout.size).toBe(layout.size + H * (newI - oldI));
    const oldW1 = tensorOf(params, layout.W1);
    const newW1 = tensorOf(grown.params, grown.layout.W1);
    for (let o = 0; o < H; o++) {
      for (let i = 0; i < newI; i++) {
        const value = newW1[o * newI + i]!;
        if (i < oldI) expect(value).toBe(oldW1[o * oldI + i]);
        else {
          expect(value).not.toBe(0);
          expect(Math.abs(value)).toBeLessThan(0.05);
        }
      }
    }
    for (const name of ['b1', 'W2', 'b2'] as const) {
      expect(Array.from(tensorOf(grown.params, grown.layout[name]))).toEqual(Array.from(tensorOf(params, layout[name])));
    }
    // An input whose new bits are zero sees exactly the old network.
    const x = randomArray(oldI, rng);
    const xGrown = new Float32Array(newI);
    xGrown.set(x);
    const run = (p: Float32Array, l: typeof layout, input: Float32Array) => {
      const h = new Float32Array(H);
      const out = new Float32Array(O);
      hiddenForward(h, input, tensorOf(p, l.W1), tensorOf(p, l.b1), 1, l.inputs, H);
      linearForward(out, h, tensorOf(p, l.W2), tensorOf(p, l.b2), 1, H, O);
      return out[0]!;
    };
    expect(run(grown.params, grown.layout, xGrown)).toBe(run(params, layout, x));
  });
});
