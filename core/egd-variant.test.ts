// The EGD paper's own update (egd_variant 'paper') and its code's col_norm ('column-norm') against ours ('all-tensors', the default)
// on hand-computed numbers,
// and in whole runs: the option is absent from configs that do not name it, so recorded hashes stay as they were.
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from './config.js';
import { initOptimizerState, updateTensor, type UpdateOptions } from './optimizers.js';
import { mlpLayout } from './params.js';
import { nullTracker } from './tracker.js';
import { train } from './train.js';

const layout = mlpLayout(3, 2, 1);
const options = (egd_variant?: 'all-tensors' | 'paper' | 'column-norm'): UpdateOptions => ({
  optimizer: 'egd',
  grokfast_alpha: 0.98,
  grokfast_lambda: 2,
  lr: 0.1,
  wd: 1,
  egd_variant,
});
const rounded = (values: Float32Array) => Array.from(values).map((v) => Math.round(v * 1e6) / 1e6);

describe('egd_variant paper', () => {
  it('whitens W1 with the L2 term inside the gradient instead of decaying W1 after the whitened step', () => {
    // g + wd * p = [3, 0, 0; 0, 0.5, 0]: singular values 3 and 0.5, polar factor [1, 0, 0; 0, 1, 0].
    const paper = Float32Array.of(1, 0, 0, 0, 0, 0);
    updateTensor(paper, Float32Array.of(2, 0, 0, 0, 0.5, 0), layout.W1, initOptimizerState(options('paper'), layout), options('paper'), nullTracker);
    expect(rounded(paper)).toEqual([0.9, 0, 0, 0, -0.1, 0]);
    // Ours: polar(g) = the same factor, then p - lr * (g + wd * p) decays W1 as well.
    const ours = Float32Array.of(1, 0, 0, 0, 0, 0);
    updateTensor(ours, Float32Array.of(2, 0, 0, 0, 0.5, 0), layout.W1, initOptimizerState(options(), layout), options(), nullTracker);
    expect(rounded(ours)).toEqual([0.8, 0, 0, 0, -0.1, 0]);
  });

  it('steps b1 without decay, steps W2 plainly with decay, and never moves the output bias', () => {
    const state = initOptimizerState(options('paper'), layout);
    const b1 = Float32Array.of(1, 1);
    updateTensor(b1, Float32Array.of(3, 4), layout.b1, state, options('paper'), nullTracker);
    expect(rounded(b1)).toEqual([0.7, 0.6]);
    const W2 = Float32Array.of(1, 0);
    updateTensor(W2, Float32Array.of(3, 4), layout.W2, state, options('paper'), nullTracker);
    expect(rounded(W2)).toEqual([1 - 0.1 * (3 + 1), -0.4]);
    const b2 = Float32Array.of(0);
    updateTensor(b2, Float32Array.of(5), layout.b2, state, options('paper'), nullTracker);
    expect(Array.from(b2)).toEqual([0]);
  });

  it('is absent from a parsed config that does not name it, and refused without optimizer egd', () => {
    expect('egd_variant' in parseTrainConfig({ optimizer: 'egd' })).toBe(false);
    expect(() => parseTrainConfig({ optimizer: 'sgd', egd_variant: 'paper' })).toThrow(/egd_variant applies to optimizer egd/);
  });

  it('trains modular addition to a different run than the default EGD, and all-tensors repeats the default bit for bit', () => {
    const base = { task: 'mod-add', modulus: 11, hidden: 32, batch_size: 16, max_epochs: 5, lr: 0.05, optimizer: 'egd' } as const;
    const ours = train(parseTrainConfig(base), 42);
    const named = train(parseTrainConfig({ ...base, egd_variant: 'all-tensors' }), 42);
    const paper = train(parseTrainConfig({ ...base, egd_variant: 'paper' }), 42);
    expect(JSON.stringify(named.history)).toBe(JSON.stringify(ours.history));
    expect(paper.history.length).toBeGreaterThan(1);
    expect(JSON.stringify(paper.history)).not.toBe(JSON.stringify(ours.history));
  });
});

describe('egd_variant column-norm', () => {
  const noDecay = { ...options('column-norm'), wd: 0, lr: 1 };
  it("divides each hidden unit's gradient (a row of W1, a column of W2) by its norm, at least 0.01", () => {
    const wide = mlpLayout(2, 2, 3); // W1: 2 hidden units x 2 inputs, W2: 3 outputs x 2 hidden units
    const state = initOptimizerState(noDecay, wide);
    const W1 = new Float32Array(4);
    // Unit 0's gradient (3, 4) has norm 5; unit 1's (0.001, 0) is below the floor: divided by 0.01.
    updateTensor(W1, Float32Array.of(3, 4, 0.001, 0), wide.W1, state, noDecay, nullTracker);
    expect(rounded(W1)).toEqual([-0.6, -0.8, -0.1, 0]);
    const W2 = new Float32Array(6);
    // Column 0 (hidden unit 0) is (1, 2, 2), norm 3; column 1 is (0, 0, 2), norm 2.
    updateTensor(W2, Float32Array.of(1, 0, 2, 0, 2, 2), wide.W2, state, noDecay, nullTracker);
    expect(rounded(W2)).toEqual([-1 / 3, 0, -2 / 3, 0, -2 / 3, -1].map((v) => Math.round(v * 1e6) / 1e6));
    expect(state.egd).toEqual({});
  });

  it('keeps every other step of ours: a bias becomes a unit vector, and the decay is decoupled', () => {
    const state = initOptimizerState(options('column-norm'), layout);
    const b1 = Float32Array.of(1, 1);
    updateTensor(b1, Float32Array.of(3, 4), layout.b1, state, options('column-norm'), nullTracker);
    expect(rounded(b1)).toEqual([1 - 0.1 * (0.6 + 1), 1 - 0.1 * (0.8 + 1)]);
  });

  it('trains a run of its own on both backends, with the same bits', () => {
    const base = { n_bits: 8, k: 2, hidden: 16, n_train: 200, max_epochs: 4, optimizer: 'egd', egd_variant: 'column-norm' } as const;
    const ts = train(parseTrainConfig(base), 42);
    const wasm = train(parseTrainConfig({ ...base, backend: 'wasm' }), 42);
    const ours = train(parseTrainConfig({ ...base, egd_variant: undefined }), 42);
    expect(JSON.stringify(wasm.history)).toBe(JSON.stringify(ts.history));
    expect(JSON.stringify(ts.history)).not.toBe(JSON.stringify(ours.history));
  });
});
