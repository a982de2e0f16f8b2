// Forward-forward's local objective: its gradient against central finite differences, and the goodness
// prediction rule of the evaluation. (Training end to end is in train.test.ts.)
import { describe, expect, it } from 'vitest';
import { evaluateForwardForward, goodness, goodnessLossAndGrad, softplus } from './ff-goodness.js';
import { linearBackward, linearForward, reluForward } from './mlp.js';
import { mlpLayout, tensorOf } from './params.js';
import { Rng } from './random.js';

describe('the forward-forward layer objective', () => {
  it('has the gradient of mean(softplus(theta - g_pos) + softplus(g_neg - theta)) with respect to W and b', () => {
    const [B, I, H, threshold] = [4, 5, 6, 0.8];
    const rng = new Rng(9, 'ff-gradient');
    const random = (length: number) => Float32Array.from({ length }, () => rng.normal());
    const [xPos, xNeg, W, b] = [random(B * I), random(B * I), random(H * I), random(H)];
    const hPos = new Float32Array(B * H);
    const hNeg = new Float32Array(B * H);
    const forward = (out: Float32Array, x: Float32Array) => {
      linearForward(out, x, W, b, B, I, H);
      reluForward(out, out, B * H);
    };
    const loss = () => {
      forward(hPos, xPos);
      forward(hNeg, xNeg);
      let sum = 0;
      for (let row = 0; row < B; row++) sum += softplus(threshold - goodness(hPos, row, H)) + softplus(goodness(hNeg, row, H) - threshold);
      return sum / B;
    };
    const value = loss();
    const dzPos = new Float32Array(B * H);
    const dzNeg = new Float32Array(B * H);
    const lossSum =
      goodnessLossAndGrad(dzPos, hPos, { B, H, threshold, positive: true, scale: 1 / B }) +
      goodnessLossAndGrad(dzNeg, hNeg, { B, H, threshold, positive: false, scale: 1 / B });
    expect(lossSum / B).toBeCloseTo(value, 6);
    const dW = new Float32Array(H * I);
    const db = new Float32Array(H);
    linearBackward(null, dW, db, dzPos, xPos, W, B, I, H);
    linearBackward(null, dW, db, dzNeg, xNeg, W, B, I, H);
    for (const [param, grad] of [
      [W, dW],
      [b, db],
    ] as const) {
      for (let i = 0; i < param.length; i++) {
        const original = param[i]!;
        param[i] = original + 1e-3;
        const up = param[i]!;
        const plus = loss();
        param[i] = original - 1e-3;
        const down = param[i]!;
        const minus = loss();
        param[i] = original;
        const numeric = (plus - minus) / (up - down);
        expect(Math.abs(grad[i]! - numeric)).toBeLessThanOrEqual(2e-4 + 5e-3 * Math.abs(numeric));
      }
    }
  });

  it('predicts the label whose positive pass has more total goodness, and measures the secret Fourier gap', () => {
    // Unit 0 fires (4) for x0 = +1 with label +1, unit 1 for x0 = -1 with label -1: goodness follows x0.
    const n = 2;
    const layout = mlpLayout(n + 2, 4, 4);
    const params = new Float32Array(layout.size);
    const W1 = tensorOf(params, layout.W1);
    W1.set([2, 0, 2, -2], 0); // unit 0: 2 x0 + 2 [label +1] - 2 [label -1]
    W1.set([-2, 0, -2, 2], n + 2); // unit 1: the mirror image
    const x = Float32Array.of(1, 1, 1, -1, -1, 1, -1, -1);
    const data = { count: 4, inputs: n, x, y: Float32Array.of(1, 1, -1, -1), signs: true };
    const result = evaluateForwardForward(params, layout, data, { threshold: 1, secret: [0] });
    expect(result.accuracy).toBe(1);
    // x0 = +1: G(+1) = 16/4 = 4 (layer 1) + 0 (layer 2: W2 = 0), G(-1) = 0; x0 = -1 the other way round.
    expect(result.fourierSecret).toBeCloseTo(4, 5);
    const flipped = { ...data, y: Float32Array.of(-1, -1, 1, 1) };
    expect(evaluateForwardForward(params, layout, flipped, { threshold: 1, secret: [0] }).accuracy).toBe(0);
  });
});
