// One wasm call per epoch: the runs it applies to repeat the TS runs number for number in exact mode (batch sizes
// with a partial last batch, the sign-table forward from 16 rows, both zero-gradient rules, weight decay, a
// curriculum, EGD, a diverging run), and the step-by-step wasm runs in fast mode; the others keep the step-by-step loop.
import { describe, expect, it } from 'vitest';
import { Backprop } from '../backprop-algorithm.js';
import { parseTrainConfig, type TrainConfigInput } from '../config.js';
import type { RunResult } from '../result.js';
import { makeTaskData } from '../tasks.js';
import { nullTracker, type Tracker } from '../tracker.js';
import { train } from '../train.js';

function numbers(result: RunResult): string {
  const { kernels: _kernels, ...rest } = result;
  return JSON.stringify(rest);
}

/** A tracker that records nothing but is not nullTracker: the run takes the step-by-step loop. */
const stepByStep: Tracker = { ...nullTracker };

const small = { task: 'parity', n_bits: 10, k: 2, hidden: 24, n_train: 150, n_test: 60, max_epochs: 12 } satisfies TrainConfigInput;

function takesWholeEpochs(config: TrainConfigInput, tracker: Tracker = nullTracker): boolean {
  const parsed = parseTrainConfig(config);
  const algorithm = new Backprop(parsed, 42, tracker);
  algorithm.init(makeTaskData(parsed, 42, parsed.n_bits));
  return algorithm.trainEpochSteps(Int32Array.from({ length: parsed.n_train }, (_, i) => i)) !== null;
}

describe('one wasm call per epoch', () => {
  it('is taken by SGD and EGD with hinge loss in the standard order on backend wasm, untracked, and by nothing else', () => {
    expect(takesWholeEpochs({ ...small, backend: 'wasm' })).toBe(true);
    expect(takesWholeEpochs({ ...small, backend: 'wasm', backend_mode: 'fast' })).toBe(true);
    expect(takesWholeEpochs({ ...small, optimizer: 'egd', backend: 'wasm' })).toBe(true);
    expect(takesWholeEpochs(small)).toBe(false);
    expect(takesWholeEpochs({ ...small, backend: 'wasm' }, stepByStep)).toBe(false);
    for (const other of [
      { optimizer: 'sign-sgd' },
      { optimizer: 'grokfast' },
      { order: 'fused' },
      { loss: 'logistic' },
      { task: 'sum', loss: 'mse' },
      { task: 'mod-add', modulus: 7 },
    ] as const) {
      expect(takesWholeEpochs({ ...small, ...other, backend: 'wasm' })).toBe(false);
    }
  });

  const cases: Array<[string, TrainConfigInput]> = [
    ['batch 1', { batch_size: 1, max_epochs: 4 }],
    ['batch 7 (a partial last batch)', { batch_size: 7 }],
    ['batch 16 (the sign-table forward)', { batch_size: 16 }],
    ['batch 32, weight decay 0.05', { batch_size: 32, wd: 0.05, max_epochs: 30 }],
    ['zero_gradient_batch update', { batch_size: 5, zero_gradient_batch: 'update', max_epochs: 30 }],
    ['a curriculum', { batch_size: 9, curriculum: [6, 10] }],
    ['EGD, batch 32', { optimizer: 'egd', lr: 0.01, batch_size: 32 }],
    ['EGD, batch 3, zero_gradient_batch update', { optimizer: 'egd', lr: 0.01, batch_size: 3, zero_gradient_batch: 'update' }],
    ['EGD, hidden 1 (no matrix: unit vectors and signs)', { optimizer: 'egd', lr: 0.01, hidden: 1, batch_size: 8 }],
  ];

  it.each(cases)('repeats the TS run number for number in exact mode: %s', (_name, overrides) => {
    const config = { ...small, ...overrides };
    const reference = train(parseTrainConfig(config), 43);
    const whole = train(parseTrainConfig({ ...config, backend: 'wasm' }), 43);
    expect(whole.kernels).toBe('wasm-exact');
    expect(reference.history.length).toBeGreaterThan(0);
    expect(numbers(whole)).toBe(numbers(reference));
  });

  it("ends a diverging run in the TS run's epoch with its message", () => {
    const config = { ...small, batch_size: 4, lr: 1e5, wd: 0 };
    const reference = train(parseTrainConfig(config), 43);
    const whole = train(parseTrainConfig({ ...config, backend: 'wasm' }), 43);
    expect(whole.stop_reason).toBe('diverged');
    expect(whole.message).toMatch(/^diverged: batch loss .* in epoch 1$/);
    expect(numbers(whole)).toBe(numbers(reference));
  });

  it.each([
    [1, 'sgd'],
    [4, 'sgd'],
    [32, 'sgd'],
    [8, 'egd'],
  ] as const)('repeats the step-by-step wasm run in fast mode at batch %i with %s', (batch_size, optimizer) => {
    const lr = optimizer === 'egd' ? 0.01 : 0.1;
    const config = parseTrainConfig({ ...small, batch_size, optimizer, lr, backend: 'wasm', backend_mode: 'fast', max_epochs: 40 });
    const stepwise = train(config, 44, { tracker: stepByStep });
    expect(numbers(train(config, 44))).toBe(numbers(stepwise));
  });
});
