// Every kernel of the training step runs on instrumented arrays that record which elements it reads (before writing
// them) and writes; the counts must equal the traffic the kernel declares beside its signature, for each binding its
// call sites use. Then the accounting helpers: what reaches a tracker, and that the null tracker gets nothing.
import { describe, expect, it } from 'vitest';
import { gatherRows, gatherTraffic, createBatchBuffers } from './backprop.js';
import { goodnessTraffic, normalizeTraffic } from './forward-forward.js';
import { goodnessLossAndGrad, normalizeRows } from './ff-goodness.js';
import { batchLossBackward, batchLossTraffic } from './losses.js';
import {
  createSignTables,
  hiddenForward,
  linearBackward,
  linearBackwardTraffic,
  linearForward,
  linearForwardTraffic,
  outputLayerBackward,
  outputLayerBackwardTraffic,
} from './mlp.js';
import {
  applyUpdate,
  applyUpdateTraffic,
  egdOrthogonalizeTraffic,
  grokfastTraffic,
  inPlaceTraffic,
  initOptimizerState,
  transformGradient,
} from './optimizers.js';
import { mlpLayout } from './params.js';
import { Rng } from './random.js';
import { declaredFloats, trackReads, trackWrites, type KernelTraffic } from './traffic.js';
import { nullTracker, type Tracker } from './tracker.js';

type Instrumented = { array: Float32Array; reads: Set<number>; writes: Set<number> };

/** A Float32Array behind a Proxy: element reads of values the kernel did not write itself, and element writes. */
function instrumented(values: Float32Array): Instrumented {
  const reads = new Set<number>();
  const writes = new Set<number>();
  const index = (key: string | symbol) => (typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : -1);
  const array = new Proxy(values, {
    get(target, key) {
      const i = index(key);
      if (i >= 0) {
        if (!writes.has(i)) reads.add(i);
        return target[i];
      }
      if (key === 'fill') {
        return (value: number, start = 0, end = target.length) => {
          for (let j = start; j < end; j++) writes.add(j);
          target.fill(value, start, end);
          return array;
        };
      }
      if (key === 'set' || key === 'subarray') throw new Error(`kernel called ${String(key)}: instrument it too`);
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(target, key, value: number) {
      const i = index(key);
      if (i >= 0) writes.add(i);
      return Reflect.set(target, key, value, target);
    },
  });
  return { array, reads, writes };
}

const rng = new Rng(7, 'traffic-test');
/** Values with no exact zeros (a zero gradient would let a kernel skip work legitimately). */
const random = (length: number) => instrumented(Float32Array.from({ length }, () => (rng.uniform() < 0.5 ? -1 : 1) * (0.1 + rng.uniform())));
const signs = (length: number) => instrumented(Float32Array.from({ length }, () => (rng.uniform() < 0.5 ? -1 : 1)));

/** Compares the elements each argument touched with what the kernel declares for the bound (non-null) arguments. */
function expectDeclared<A extends string>(traffic: KernelTraffic<A>, args: Partial<Record<A, Instrumented>>, dims: [number, number?, number?]): void {
  const binding = Object.fromEntries(Object.keys(args).map((arg) => [arg, arg])) as Partial<Record<A, string>>;
  const declared = declaredFloats(traffic, binding, ...dims);
  const accumulates = new Set<string>(traffic.accumulates ?? []);
  for (const [arg, buffer] of Object.entries(args) as [A, Instrumented][]) {
    expect({ arg, written: buffer.writes.size }).toEqual({ arg, written: declared.writes[arg] ?? 0 });
    if (accumulates.has(arg)) {
      expect([...buffer.reads].every((i) => buffer.writes.has(i))).toBe(true);
      expect(declared.reads[arg]).toBeUndefined();
    } else {
      expect({ arg, read: buffer.reads.size }).toEqual({ arg, read: declared.reads[arg] ?? 0 });
    }
  }
}

describe('declared kernel traffic', () => {
  for (const [B, I, O] of [
    [5, 7, 3],
    [1, 6, 5],
    [9, 4, 1],
  ] as const) {
    it(`linearForward touches what it declares (B=${B}, I=${I}, O=${O})`, () => {
      const args = { out: random(B * O), inp: random(B * I), weight: random(O * I), bias: random(O) };
      linearForward(args.out.array, args.inp.array, args.weight.array, args.bias.array, B, I, O);
      expectDeclared(linearForwardTraffic, args, [B, I, O]);
    });
  }

  it('hiddenForward through the sign tables (B >= 16, +-1 inputs) touches what linearForward declares', () => {
    const [B, I, H] = [20, 12, 6];
    const args = { out: random(B * H), inp: signs(B * I), weight: random(H * I), bias: random(H) };
    hiddenForward(args.out.array, args.inp.array, args.weight.array, args.bias.array, B, I, H, createSignTables(I, H));
    expectDeclared(linearForwardTraffic, args, [B, I, H]);
  });

  it('linearBackward touches what it declares, with and without the input gradient', () => {
    const [B, I, O] = [10, 6, 4];
    const full = { dinp: random(B * I), dweight: random(O * I), dbias: random(O), dout: random(B * O), inp: random(B * I), weight: random(O * I) };
    linearBackward(full.dinp.array, full.dweight.array, full.dbias.array, full.dout.array, full.inp.array, full.weight.array, B, I, O);
    expectDeclared(linearBackwardTraffic, full, [B, I, O]);
    const weights = { dweight: random(O * I), dbias: random(O), dout: random(B * O), inp: random(B * I), weight: random(O * I) };
    linearBackward(null, weights.dweight.array, weights.dbias.array, weights.dout.array, weights.inp.array, weights.weight.array, B, I, O);
    const { weight, ...weightArgs } = weights; // layer 1's call site: no input gradient, so W1 is not bound
    expectDeclared(linearBackwardTraffic, weightArgs, [B, I, O]);
    expect(weight.reads.size).toBe(0);
  });

  for (const O of [1, 3]) {
    it(`outputLayerBackward touches what it declares in each of its three uses (O=${O})`, () => {
      const [B, I] = [11, 5];
      const make = () => ({ dinp: random(B * I), dweight: random(O * I), dbias: random(O), dout: random(B * O), inp: random(B * I), weight: random(O * I) });
      const full = make();
      outputLayerBackward(full.dinp.array, full.dweight.array, full.dbias.array, full.dout.array, full.inp.array, full.weight.array, B, I, O);
      expectDeclared(outputLayerBackwardTraffic, full, [B, I, O]);
      const hidden = make();
      outputLayerBackward(hidden.dinp.array, null, null, hidden.dout.array, hidden.inp.array, hidden.weight.array, B, I, O);
      const { dweight: _w, dbias: _b, ...hiddenArgs } = hidden;
      expectDeclared(outputLayerBackwardTraffic, hiddenArgs, [B, I, O]);
      const weights = make();
      outputLayerBackward(null, weights.dweight.array, weights.dbias.array, weights.dout.array, weights.inp.array, weights.weight.array, B, I, O);
      const { dinp: _d, ...weightArgs } = weights;
      expectDeclared(outputLayerBackwardTraffic, weightArgs, [B, I, O]);
    });
  }

  for (const [loss, O] of [
    ['hinge', 1],
    ['mse', 1],
    ['cross-entropy', 4],
  ] as const) {
    it(`batchLossBackward touches what it declares (${loss})`, () => {
      const B = 7;
      const labels = instrumented(Float32Array.from({ length: B }, (_, b) => (O === 1 ? (b % 2 ? 1 : -1) : b % O)));
      const args = { dout: random(B * O), out: random(B * O), labels };
      batchLossBackward(args.dout.array, args.out.array, args.labels.array, B, O, loss, O === 1 ? 'binary' : 'classes');
      expectDeclared(batchLossTraffic, args, [B, O]);
    });
  }

  it('the gradient transforms and the update touch what they declare', () => {
    const layout = mlpLayout(4, 3, 1);
    const options = (optimizer: 'sign-sgd' | 'grokfast' | 'egd') => ({ optimizer, grokfast_alpha: 0.9, grokfast_lambda: 2 });
    const sign = { grad: random(12) };
    transformGradient(sign.grad.array, layout.W1, initOptimizerState(options('sign-sgd'), layout), options('sign-sgd'), nullTracker);
    expectDeclared(inPlaceTraffic, sign, [12]);
    const state = initOptimizerState(options('grokfast'), layout);
    transformGradient(new Float32Array(12).fill(0.5), layout.W1, state, options('grokfast'), nullTracker); // the EMA exists from here on
    const ema = instrumented(state.ema.W1!);
    state.ema.W1 = ema.array;
    const warm = { grad: random(12), ema };
    transformGradient(warm.grad.array, layout.W1, state, options('grokfast'), nullTracker);
    expectDeclared(grokfastTraffic, warm, [12, 1]);
    const egd = { grad: random(12) };
    transformGradient(egd.grad.array, layout.W1, initOptimizerState(options('egd'), layout), options('egd'), nullTracker);
    expectDeclared(egdOrthogonalizeTraffic, egd, [12, 3]); // the Gram matrix is the workspace's, not instrumented here
    const vector = { grad: random(3) };
    transformGradient(vector.grad.array, layout.b1, initOptimizerState(options('egd'), layout), options('egd'), nullTracker);
    expectDeclared(inPlaceTraffic, vector, [3]);
    const update = { param: random(12), grad: random(12) };
    applyUpdate(update.param.array, update.grad.array, 0.1, 0.01, 'W1', nullTracker);
    expectDeclared(applyUpdateTraffic, update, [12]);
  });

  it("forward-forward's goodness loss and row normalisation touch what they declare", () => {
    const [B, H] = [6, 5];
    const goodness = { dz: random(B * H), h: random(B * H) };
    goodnessLossAndGrad(goodness.dz.array, goodness.h.array, { B, H, threshold: 2, positive: true, scale: 1 / B });
    expectDeclared(goodnessTraffic, goodness, [B, H]);
    const normalize = { u: random(B * H), h: random(B * H) };
    normalizeRows(normalize.u.array, normalize.h.array, B, H);
    expectDeclared(normalizeTraffic, normalize, [B, H]);
  });

  it('gatherRows writes the B rows and labels it declares into the batch buffers', () => {
    const layout = mlpLayout(4, 2, 1);
    const batch = createBatchBuffers(layout, 8, false);
    const data = { count: 10, inputs: 4, x: Float32Array.from({ length: 40 }, (_, i) => i), y: Float32Array.from({ length: 10 }, (_, i) => i), signs: false };
    gatherRows(batch, data, Int32Array.of(9, 3, 5, 0, 1, 2, 4, 6, 7, 8), 1, 3);
    expect(Array.from(batch.x.subarray(0, 12))).toEqual([12, 13, 14, 15, 20, 21, 22, 23, 0, 1, 2, 3]);
    expect(declaredFloats(gatherTraffic, { x: 'x', y: 'y' }, 3, 4).writes).toEqual({ x: 12, y: 3 });
  });
});

describe('trackReads / trackWrites', () => {
  function recording(): Tracker & { calls: string[] } {
    const calls: string[] = [];
    return {
      ...nullTracker,
      calls,
      read: (name, floats) => void calls.push(`read ${name} ${floats}`),
      write: (name, floats) => void calls.push(`write ${name} ${floats}`),
    };
  }

  it('reports the declared accesses in declaration order under the bound names, skipping unbound arguments and their dependants', () => {
    const tracker = recording();
    const binding = { dout: 'dh', inp: 'x', dweight: 'dW1', dbias: 'db1' };
    trackReads(tracker, linearBackwardTraffic, binding, 32, 20, 200);
    trackWrites(tracker, linearBackwardTraffic, binding, 32, 20, 200);
    expect(tracker.calls).toEqual(['read dh 6400', 'read x 640', 'write dW1 4000', 'write db1 200']);
  });

  it('reports nothing for a zero-size access (a cold GrokFast EMA is written, not read)', () => {
    const tracker = recording();
    trackReads(tracker, grokfastTraffic, { grad: 'dW1', ema: 'grokfast.W1' }, 10, 0);
    expect(tracker.calls).toEqual(['read dW1 10']);
  });

  it('never calls the null tracker', () => {
    const spy = { ...nullTracker };
    let calls = 0;
    Object.assign(nullTracker, { read: () => calls++ });
    try {
      trackReads(nullTracker, linearForwardTraffic, { inp: 'x', weight: 'W1', bias: 'b1', out: 'h' }, 1, 2, 3);
    } finally {
      Object.assign(nullTracker, spy);
    }
    expect(calls).toBe(0);
  });
});
