// The gradient transforms on hand-computed numbers, EGD's per-shape rules, the seeds' update rule,
// and the memory traffic each reports.
import { describe, expect, it } from 'vitest';
import { applyUpdate, initOptimizerState, transformGradient, type OptimizerOptions } from './optimizers.js';
import { mlpLayout } from './params.js';
import { nullTracker, type Tracker } from './tracker.js';

const layout = mlpLayout(3, 2, 1);
const options = (optimizer: OptimizerOptions['optimizer']): OptimizerOptions => ({ optimizer, grokfast_alpha: 0.5, grokfast_lambda: 2 });

function recordingTracker(): Tracker & { calls: string[] } {
  const calls: string[] = [];
  return {
    ...nullTracker,
    calls,
    read: (name, floats) => void calls.push(`read ${name} ${floats}`),
    write: (name, floats) => void calls.push(`write ${name} ${floats}`),
  };
}

describe('transformGradient', () => {
  it('leaves an SGD gradient as it is and reports no traffic', () => {
    const grad = Float32Array.of(0.5, -2, 0, 3, 1, 4);
    const tracker = recordingTracker();
    transformGradient(grad, layout.W1, initOptimizerState(options('sgd'), layout), options('sgd'), tracker);
    expect(Array.from(grad)).toEqual([0.5, -2, 0, 3, 1, 4]);
    expect(tracker.calls).toEqual([]);
  });

  it('turns a sign-SGD gradient into its signs, zero staying zero', () => {
    const grad = Float32Array.of(0.5, -2, 0, 3e-9, -1e-9, 4);
    const tracker = recordingTracker();
    transformGradient(grad, layout.W1, initOptimizerState(options('sign-sgd'), layout), options('sign-sgd'), tracker);
    expect(Array.from(grad)).toEqual([1, -1, 0, 1, -1, 1]);
    expect(tracker.calls).toEqual(['read dW1 6', 'write dW1 6']);
  });

  it('adds lambda times the gradient EMA under GrokFast, starting the EMA at the first gradient', () => {
    const state = initOptimizerState(options('grokfast'), layout);
    const first = Float32Array.of(1, 2);
    transformGradient(first, layout.b1, state, options('grokfast'), recordingTracker());
    expect(Array.from(first)).toEqual([1 + 2 * 1, 2 + 2 * 2]); // ema = g
    const second = Float32Array.of(3, -2);
    transformGradient(second, layout.b1, state, options('grokfast'), recordingTracker());
    // ema = 0.5 * [1, 2] + 0.5 * [3, -2] = [2, 0]; g + 2 * ema = [7, -2]
    expect(Array.from(second)).toEqual([7, -2]);
  });

  it('gives EGD a matrix with all singular values 1, a unit vector for a vector, and the sign of a scalar', () => {
    const state = initOptimizerState(options('egd'), layout);
    const matrix = Float32Array.of(3, 0, 0, 0, 0.5, 0); // 2 x 3, singular values 3 and 0.5
    transformGradient(matrix, layout.W1, state, options('egd'), recordingTracker());
    expect(Array.from(matrix).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([1, 0, 0, 0, 1, 0]);
    const vector = Float32Array.of(3, 4);
    transformGradient(vector, layout.b1, state, options('egd'), recordingTracker());
    expect(Array.from(vector)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    const row = Float32Array.of(0, 0); // W2 is 1 x 2: a vector; zero stays zero
    transformGradient(row, layout.W2, state, options('egd'), recordingTracker());
    expect(Array.from(row)).toEqual([0, 0]);
    const scalar = Float32Array.of(-0.25);
    transformGradient(scalar, layout.b2, state, options('egd'), recordingTracker());
    expect(Array.from(scalar)).toEqual([-1]);
  });
});

describe('applyUpdate', () => {
  it('applies p <- p - lr * (g + wd * p) and reports reading p and g, then writing p', () => {
    const param = Float32Array.of(1, -2);
    const tracker = recordingTracker();
    applyUpdate(param, Float32Array.of(0.5, 1), 0.1, 0.01, 'b1', tracker);
    expect(Array.from(param)).toEqual([Math.fround(1 - 0.1 * (0.5 + 0.01)), Math.fround(-2 - 0.1 * (1 - 0.02))]);
    expect(tracker.calls).toEqual(['read b1 2', 'read db1 2', 'write b1 2']);
  });
});
