// Every wasm kernel against its TS twin on random inputs of awkward shapes: the same bits in exact mode (compared
// as Uint32 words); in fast mode within n * 2^-22 * max(1, |value|) for sums of n terms (f32 rounding, reassociated);
// both for views on the arena's memory and for plain arrays (copied in and out).
import { describe, expect, it } from 'vitest';
import { createSignTables } from '../mlp.js';
import { nullTracker } from '../tracker.js';
import { Rng } from '../random.js';
import { WasmArena } from './arena.js';
import { createWasmKernels, selectKernels, tsKernels, type BackendMode, type Kernels } from './kernels.js';

const shapes: Array<[B: number, I: number, O: number]> = [
  [1, 1, 1],
  [1, 20, 200],
  [3, 5, 7],
  [4, 20, 1],
  [5, 3, 4],
  [7, 21, 9],
  [8, 20, 200],
  [9, 200, 1],
  [13, 194, 97],
  [16, 2, 3],
  [33, 20, 200],
  [32, 200, 1],
  [17, 97, 5],
];

function randomArray(length: number, rng: Rng, zeroFraction = 0): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = rng.uniform() < zeroFraction ? 0 : rng.normal();
  return values;
}

function bits(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

function expectClose(actual: Float32Array, expected: Float32Array, terms: number): void {
  for (let i = 0; i < expected.length; i++) {
    const tolerance = Math.max(1, terms) * 2 ** -22 * Math.max(1, Math.abs(expected[i]!));
    if (!(Math.abs(actual[i]! - expected[i]!) <= tolerance)) throw new Error(`entry ${i}: ${actual[i]} vs ${expected[i]} (tolerance ${tolerance})`);
  }
}

/** Runs a kernel call on TS and on wasm with the same inputs; returns each side's outputs. */
type Case = (kernels: Kernels, copy: (values: Float32Array) => Float32Array) => Float32Array[];

function compare(mode: BackendMode, onArena: boolean, run: Case, terms: number): void {
  const arena = new WasmArena(16 * 1024 * 1024);
  const wasm = createWasmKernels(mode, arena);
  const expected = run(tsKernels, (values) => values.slice());
  const actual = run(wasm, (values) => {
    if (!onArena) return values.slice();
    const view = wasm.allocate(values.length);
    view.set(values);
    return view;
  });
  for (let j = 0; j < expected.length; j++) {
    if (mode === 'exact') expect(bits(actual[j]!)).toEqual(bits(expected[j]!));
    else expectClose(actual[j]!, expected[j]!, terms);
  }
}

const cases: Record<string, (B: number, I: number, O: number, rng: Rng) => Case> = {
  linearForward: (B, I, O, rng) => {
    const inp = randomArray(B * I, rng, 0.3);
    const weight = randomArray(O * I, rng);
    const bias = randomArray(O, rng);
    return (k, copy) => {
      const out = copy(new Float32Array(B * O));
      k.linearForward(out, copy(inp), copy(weight), copy(bias), B, I, O);
      return [out];
    };
  },
  hiddenForward: (B, I, O, rng) => {
    const inp = randomArray(B * I, rng);
    const weight = randomArray(O * I, rng);
    const bias = randomArray(O, rng);
    return (k, copy) => {
      const h = copy(new Float32Array(B * O));
      k.hiddenForward(h, copy(inp), copy(weight), copy(bias), B, I, O, null);
      return [h];
    };
  },
  'linearBackward (input and weight gradients)': (B, I, O, rng) => {
    const dout = randomArray(B * O, rng, 0.4);
    const inp = randomArray(B * I, rng, 0.3);
    const weight = randomArray(O * I, rng);
    const dweight = randomArray(O * I, rng);
    const dbias = randomArray(O, rng);
    return (k, copy) => {
      const outputs = [copy(new Float32Array(B * I)), copy(dweight), copy(dbias)];
      k.linearBackward(outputs[0]!, outputs[1]!, outputs[2]!, copy(dout), copy(inp), copy(weight), B, I, O);
      return outputs;
    };
  },
  linearBackwardThroughRelu: (B, I, O, rng) => {
    const dout = randomArray(B * O, rng, 0.4);
    const weight = randomArray(O * I, rng);
    const active = randomArray(B * I, rng, 0.5).map(Math.abs);
    return (k, copy) => {
      const dinp = copy(new Float32Array(B * I));
      k.linearBackwardThroughRelu(dinp, copy(dout), copy(weight), copy(active), B, I, O);
      return [dinp];
    };
  },
  'reluForward and reluBackward': (B, _I, O, rng) => {
    const inp = randomArray(B * O, rng, 0.1);
    const dout = randomArray(B * O, rng);
    return (k, copy) => {
      const out = copy(new Float32Array(B * O));
      k.reluForward(out, copy(inp), B * O);
      const dinp = copy(dout);
      k.reluBackward(dinp, dinp, out, B * O);
      return [out, dinp];
    };
  },
  applyUpdate: (B, I, O, rng) => {
    const param = randomArray(B * I * O, rng);
    const grad = randomArray(B * I * O, rng, 0.2);
    return (k, copy) => {
      const p = copy(param);
      k.applyUpdate(p, copy(grad), 0.1, 0.01, 'W1', nullTracker);
      return [p];
    };
  },
};

describe.each(['exact', 'fast'] as const)('the wasm kernels in %s mode', (mode) => {
  for (const [name, makeCase] of Object.entries(cases)) {
    it(`${mode === 'exact' ? 'give the same bits as' : 'stay within the f32 rounding bound of'} the TS ${name} on ${shapes.length} awkward shapes, on arena views and plain arrays`, () => {
      for (const [B, I, O] of shapes) {
        const rng = new Rng(B * 1000 + I * 10 + O, name);
        const run = makeCase(B, I, O, rng);
        const terms = Math.max(B, I, O);
        compare(mode, true, run, terms);
        compare(mode, false, run, terms);
      }
    });
  }
});

describe('the wasm kernel set', () => {
  it('backpropagates through the ReLU of one output with the TS bits on infinities, NaN, signed zeros and products that overflow or underflow f32', () => {
    const specials = [0, -0, 1, -1, Infinity, -Infinity, NaN, 1e-30, -1e-30, 1e-45, -7e-39, 3e38, -3e38, 1e20, 2.5];
    const rng = new Rng(11, 'specials');
    const pick = () =>
      rng.uniform() < 0.5 ? specials[Math.floor(rng.uniform() * specials.length)]! : (rng.uniform() - 0.5) * 10 ** Math.floor(rng.uniform() * 80 - 40);
    // NaN's sign and payload are not part of the numbers (JSON has one NaN): compare them as one value.
    const words = (values: Float32Array) => Array.from(values, (v) => (Number.isNaN(v) ? 'NaN' : new Uint32Array(Float32Array.of(v).buffer)[0]));
    const wasm = createWasmKernels('fast', new WasmArena(1 << 22));
    for (const [B, I] of [
      [3, 13],
      [5, 8],
      [1, 21],
      [4, 4],
    ] as const) {
      const [dout, weight, active] = [B, I, B * I].map((n) => Float32Array.from({ length: n }, pick)) as [Float32Array, Float32Array, Float32Array];
      const [expected, actual] = [new Float32Array(B * I), new Float32Array(B * I)];
      tsKernels.linearBackwardThroughRelu(expected, dout, weight, active, B, I, 1);
      wasm.linearBackwardThroughRelu(actual, dout, weight, active, B, I, 1);
      expect(words(actual)).toEqual(words(expected));
    }
  });

  it.each([
    [33, 20, 200],
    [16, 7, 5],
    [17, 21, 9],
    [40, 41, 3],
    [16, 1, 1],
  ])('runs the sign-table kernel in exact mode with its bits (+-1 batches of 16 rows or more: B %i, I %i, H %i)', (B, I, H) => {
    const rng = new Rng(7, 'signs');
    const x = new Float32Array(B * I).map(() => rng.sign());
    const W1 = randomArray(H * I, rng);
    const b1 = randomArray(H, rng);
    const expected = new Float32Array(B * H);
    tsKernels.hiddenForward(expected, x, W1, b1, B, I, H, createSignTables(I, H));
    const actual = new Float32Array(B * H);
    createWasmKernels('exact', new WasmArena(1 << 22)).hiddenForward(actual, x, W1, b1, B, I, H, createSignTables(I, H));
    expect(bits(actual)).toEqual(bits(expected));
  });

  it('falls back to the TS kernels with a one-line notice where wasm SIMD is missing', () => {
    const selected = selectKernels({ backend: 'wasm', mode: 'exact' }, { simdAvailable: () => false });
    expect(selected.kernels).toBe(tsKernels);
    expect(selected.notice).toMatch(/^backend wasm \(exact\) unavailable: .*WebAssembly SIMD.*TypeScript kernels$/);
  });

  it('selects wasm where SIMD is present (it is on Node 20) and names the mode', () => {
    expect(selectKernels({ backend: 'wasm', mode: 'fast' }, { capacityBytes: 1 << 20 }).kernels.name).toBe('wasm-fast');
    expect(selectKernels({ backend: 'ts', mode: 'fast' }).kernels.name).toBe('ts');
  });

  it('refuses an allocation beyond its fixed memory with a message that says how to fix it', () => {
    const arena = new WasmArena(1 << 16);
    expect(() => arena.allocate(1 << 20)).toThrow(/larger capacityBytes/);
  });
});
