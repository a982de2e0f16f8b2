// Evaluation through the wasm kernel set on +-1 inputs: exact mode gives the TS evaluation's numbers (the sign tables
// in wasm, at any tile size, including tiles under 16 rows); fast mode stays within f32 rounding of them.
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../config.js';
import { evaluate } from '../metrics.js';
import { initMlp } from '../mlp.js';
import { mlpLayout } from '../params.js';
import { Rng } from '../random.js';
import { makeTaskData } from '../tasks.js';
import { WasmArena } from './arena.js';
import { createWasmKernels } from './kernels.js';

describe('evaluate on the wasm kernels', () => {
  it.each([
    [70, 20, 24],
    [1000, 20, 200],
    [17, 7, 5],
  ])('equals the TS evaluation in exact mode on %i rows (n=%i, hidden %i), and is close in fast mode', (rows, n, hidden) => {
    const config = parseTrainConfig({ n_bits: n, k: 3, hidden, n_train: rows, n_test: rows });
    const data = makeTaskData(config, 42);
    const layout = mlpLayout(n, hidden, 1);
    const params = initMlp(layout, new Rng(9, 'test'));
    const options = { loss: config.loss, kind: data.kind, secret: data.secret };
    const reference = evaluate(params, layout, data.test, options);
    const exact = createWasmKernels('exact', new WasmArena(8 * 1024 * 1024));
    expect(evaluate(params, layout, data.test, options, exact)).toEqual(reference);
    const fast = evaluate(params, layout, data.test, options, createWasmKernels('fast', new WasmArena(8 * 1024 * 1024)));
    expect(fast.loss).toBeCloseTo(reference.loss, 4);
    expect(Math.abs(fast.accuracy - reference.accuracy)).toBeLessThanOrEqual(2 / rows);
  });
});
