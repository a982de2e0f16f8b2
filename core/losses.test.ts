// Every loss against central finite differences of its own value, the hinge's contributing count, and the
// accuracy rules (sign for binary, round for regression, argmax for classes).
import { describe, expect, it } from 'vitest';
import type { LossName } from './config.js';
import { isCorrect, lossForwardBackward } from './losses.js';
import type { LabelKind } from './tasks.js';

type Case = { loss: LossName; kind: LabelKind; O: number; out: number[]; labels: number[] };

/** Checks dout[i] against (L(out_i + eps) - L(out_i - eps)) / (actual float32 step). */
function expectGradientMatchesFiniteDifferences({ loss, kind, O, out: values, labels: labelValues }: Case): void {
  const B = labelValues.length;
  const out = Float32Array.from(values);
  const labels = Float32Array.from(labelValues);
  const dout = new Float32Array(B * O);
  lossForwardBackward(dout, out, labels, 0, B, O, loss, kind);
  const value = () => lossForwardBackward(null, out, labels, 0, B, O, loss, kind).lossSum;
  for (let i = 0; i < B * O; i++) {
    const original = out[i]!;
    out[i] = original + 1e-3;
    const up = out[i]!;
    const plus = value();
    out[i] = original - 1e-3;
    const down = out[i]!;
    const minus = value();
    out[i] = original;
    const numeric = (plus - minus) / (up - down);
    expect(Math.abs(dout[i]! - numeric)).toBeLessThanOrEqual(1e-3 + 1e-3 * Math.abs(numeric));
  }
}

describe('gradients of the losses match central finite differences', () => {
  it('hinge, for margins away from the kink at 1 (both sides of it)', () => {
    expectGradientMatchesFiniteDifferences({ loss: 'hinge', kind: 'binary', O: 1, out: [0.3, -0.7, 2.5, -1.8, 0.9, 1.2], labels: [1, 1, 1, 1, -1, -1] });
  });

  it('logistic, including large margins where a naive log(1 + e^z) would overflow', () => {
    expectGradientMatchesFiniteDifferences({ loss: 'logistic', kind: 'binary', O: 1, out: [0.3, -0.7, 4, -6, 30], labels: [1, -1, 1, 1, -1] });
    const result = lossForwardBackward(null, Float32Array.of(800), Float32Array.of(-1), 0, 1, 1, 'logistic', 'binary');
    expect(result.lossSum).toBeCloseTo(800, 3);
  });

  it('mse on one output (the sum task)', () => {
    expectGradientMatchesFiniteDifferences({ loss: 'mse', kind: 'regression', O: 1, out: [0.3, -2.7, 1.2, 3.5], labels: [1, -3, 1, 3] });
  });

  it('softmax cross-entropy over classes', () => {
    expectGradientMatchesFiniteDifferences({ loss: 'cross-entropy', kind: 'classes', O: 4, out: [0.1, 2, -1, 0.5, 3, 3.2, -0.4, 0], labels: [1, 3] });
  });

  it('mse against one-hot classes', () => {
    expectGradientMatchesFiniteDifferences({ loss: 'mse', kind: 'classes', O: 3, out: [0.1, 0.9, -0.2, 0.4, 0.3, 1.1], labels: [1, 0] });
  });
});

describe('loss values', () => {
  it('hinge is max(0, 1 - y t) and counts only the samples with margin strictly below 1 as contributing', () => {
    const out = Float32Array.of(2, 0.5, -0.3, 1.5, 1, -1);
    const labels = Float32Array.of(1, 1, 1, -1, 1, -1);
    const dout = new Float32Array(6);
    const result = lossForwardBackward(dout, out, labels, 0, 6, 1, 'hinge', 'binary');
    // margins: 2, 0.5, -0.3, -1.5, 1, 1 -> losses 0, 0.5, 1.3, 2.5, 0, 0
    expect(result.lossSum).toBeCloseTo(4.3, 6);
    expect(result.contributing).toBe(3);
    expect(Array.from(dout)).toEqual([0, -1, -1, 1, 0, 0]);
    expect(result.correct).toBe(4);
  });

  it('reads labels from labelOffset, so an evaluation chunk can point into a whole dataset', () => {
    const labels = Float32Array.of(1, 1, -1, -1);
    const result = lossForwardBackward(null, Float32Array.of(-0.5, -0.5), labels, 2, 2, 1, 'mse', 'binary');
    expect(result.lossSum).toBeCloseTo(0.5, 6);
    expect(result.correct).toBe(2);
  });

  it('softmax cross-entropy is log-sum-exp minus the target logit, finite for huge logits', () => {
    const result = lossForwardBackward(null, Float32Array.of(1000, 0, 1000), Float32Array.of(0), 0, 1, 3, 'cross-entropy', 'classes');
    expect(result.lossSum).toBeCloseTo(Math.log(2), 6);
    expect(result.contributing).toBe(1);
  });
});

describe('accuracy rules', () => {
  it('binary: the sign of the output, with 0 counted as +1', () => {
    expect(isCorrect(0.01, 1, 'binary')).toBe(true);
    expect(isCorrect(0, 1, 'binary')).toBe(true);
    expect(isCorrect(0, -1, 'binary')).toBe(false);
    expect(isCorrect(-0.2, -1, 'binary')).toBe(true);
    expect(isCorrect(3, -1, 'binary')).toBe(false);
  });

  it('regression (sum): the output rounded to the nearest integer must equal the target', () => {
    expect(isCorrect(2.4, 2, 'regression')).toBe(true);
    expect(isCorrect(2.6, 2, 'regression')).toBe(false);
    expect(isCorrect(-2.6, -3, 'regression')).toBe(true);
    expect(isCorrect(-0.4, 0, 'regression')).toBe(true);
    const result = lossForwardBackward(null, Float32Array.of(0.9, -1.2, 2.7), Float32Array.of(1, -1, 1), 0, 3, 1, 'mse', 'regression');
    expect(result.correct).toBe(2);
  });

  it('classes: the argmax of the outputs, for cross-entropy and for mse', () => {
    const out = Float32Array.of(0.1, 0.7, 0.2, 0.5, 0.4, 0.3);
    const labels = Float32Array.of(1, 1);
    for (const loss of ['cross-entropy', 'mse'] as const) {
      expect(lossForwardBackward(null, out, labels, 0, 2, 3, loss, 'classes').correct).toBe(1);
    }
  });
});
