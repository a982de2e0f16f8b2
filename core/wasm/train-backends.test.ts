// Whole runs on the wasm kernels: exact mode repeats the TS runs number for number on every task and optimizer;
// fast mode still solves; the one-hot step equals the dense step bit for bit.
import { describe, expect, it } from 'vitest';
import { createBatchBuffers, createModel, trainStep, type StepContext } from '../backprop.js';
import { parseTrainConfig, type TrainConfigInput } from '../config.js';
import { initMlp } from '../mlp.js';
import { initOptimizerState } from '../optimizers.js';
import { mlpLayout } from '../params.js';
import type { RunResult } from '../result.js';
import { Rng } from '../random.js';
import { makeTaskData } from '../tasks.js';
import { MemTracker, nullTracker } from '../tracker.js';
import { train } from '../train.js';

/** The run as a string that differs whenever any number differs (kernels named apart). */
function numbers(result: RunResult): string {
  const { kernels: _kernels, ...rest } = result;
  return JSON.stringify(rest);
}

const tasks: Record<string, TrainConfigInput> = {
  parity: { task: 'parity', n_bits: 10, k: 2, hidden: 32, n_train: 300, n_test: 100, max_epochs: 8 },
  sum: { task: 'sum', n_bits: 10, k: 2, hidden: 24, n_train: 300, n_test: 100, max_epochs: 6, batch_size: 13 },
  'mod-add': { task: 'mod-add', modulus: 11, hidden: 40, max_epochs: 6, batch_size: 9, lr: 0.05 },
};
const optimizers = ['sgd', 'sign-sgd', 'grokfast', 'egd'] as const;

describe('runs on backend wasm, exact mode', () => {
  for (const [task, base] of Object.entries(tasks)) {
    it.each(optimizers)(`repeat the TS run of ${task} number for number with %s`, (optimizer) => {
      const config = { ...base, optimizer, lr: optimizer === 'sign-sgd' || optimizer === 'egd' ? 0.01 : base.lr };
      const reference = train(parseTrainConfig(config), 42);
      const wasm = train(parseTrainConfig({ ...config, backend: 'wasm' }), 42);
      expect(reference.history.length).toBeGreaterThan(1);
      expect(wasm.kernels).toBe('wasm-exact');
      expect(reference.kernels).toBeUndefined();
      expect(numbers(wasm)).toBe(numbers(reference));
    });
  }

  it.each(['fused', 'per-layer'] as const)('repeat the TS run in the %s update order and with a curriculum', (order) => {
    const config = { ...tasks.parity, order, curriculum: [6, 10], max_epochs: 12, batch_size: 7 };
    expect(numbers(train(parseTrainConfig({ ...config, backend: 'wasm' }), 3))).toBe(numbers(train(parseTrainConfig(config), 3)));
  });
});

describe('tracked runs on backend wasm', () => {
  it.each(['parity', 'mod-add'] as const)("report the TS run's memory traffic on %s (each kernel's declaration, whichever set runs it)", (task) => {
    const config = { ...tasks[task], max_epochs: 3, optimizer: 'grokfast' as const };
    const reference = train(parseTrainConfig(config), 7, { tracker: new MemTracker() });
    const wasm = train(parseTrainConfig({ ...config, backend: 'wasm' }), 7, { tracker: new MemTracker() });
    expect(reference.memory).toBeDefined();
    expect(wasm.memory).toEqual(reference.memory);
    expect(numbers(wasm)).toBe(numbers(reference));
  });
});

describe('runs on backend wasm, fast mode', () => {
  it('solve 10-bit parity like the TS runs, with different low bits, recording the mode', () => {
    const config = { ...tasks.parity, max_epochs: 60 };
    const fast = train(parseTrainConfig({ ...config, backend: 'wasm', backend_mode: 'fast' }), 42);
    expect(fast.kernels).toBe('wasm-fast');
    expect(fast.solved).toBe(true);
    const reference = train(parseTrainConfig(config), 42);
    expect(reference.solved).toBe(true);
    // f32 sums round differently: the losses differ in low bits (so exact mode's equality above is not vacuous).
    expect(numbers(fast)).not.toBe(numbers(reference));
  });
});

describe('the one-hot training step', () => {
  it("gives the dense step's parameters bit for bit over 20 mod-add steps", () => {
    const config = parseTrainConfig({ task: 'mod-add', modulus: 13, hidden: 24, batch_size: 12, optimizer: 'grokfast' });
    const data = makeTaskData(config, 5, config.n_bits);
    const layout = mlpLayout(data.train.inputs, config.hidden, data.outputs);
    const params = initMlp(layout, new Rng(5, 'init'));
    const run = (inputs: 'dense' | 'one-hot') => {
      const model = createModel(layout, params.slice(), initOptimizerState(config, layout));
      const batch = createBatchBuffers(layout, config.batch_size, inputs);
      const ctx: StepContext = { config, kind: data.kind, model, batch, tracker: nullTracker };
      for (let step = 0; step < 20; step++) {
        const start = (step * 12) % (data.train.count - 12);
        batch.x.set(data.train.x.subarray(start * layout.inputs, (start + 12) * layout.inputs));
        batch.y.set(data.train.y.subarray(start, start + 12));
        trainStep(ctx, 12);
      }
      expect(batch.oneHot?.valid ?? false).toBe(inputs === 'one-hot');
      return Array.from(new Uint32Array(model.params.buffer, model.params.byteOffset, model.params.length));
    };
    expect(run('one-hot')).toEqual(run('dense'));
  });
});
