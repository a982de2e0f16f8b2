// The training loop end to end on small configs: determinism, one code path for tracked and untracked runs,
// the three update orders, the stop rules (diverged, timeout), curriculum growth, and forward-forward.
import { describe, expect, it } from 'vitest';
import { parseTrainConfig, type TrainConfigInput } from './config.js';
import type { RunResult } from './result.js';
import { chooseSecret } from './tasks.js';
import { MemTracker } from './tracker.js';
import { train } from './train.js';

/** n=10, k=2 parity with 32 hidden units and 300 samples: solved in under ~10 epochs by every order. */
const easy = (overrides: TrainConfigInput = {}) => parseTrainConfig({ n_bits: 10, k: 2, hidden: 32, n_train: 300, n_test: 200, max_epochs: 60, ...overrides });

/** The run without its memory report, as a string that differs whenever any number differs in any bit. */
function numbers(result: RunResult): string {
  const { memory: _memory, ...rest } = result;
  return JSON.stringify(rest);
}

describe('train', () => {
  it('is deterministic: the same seed gives an identical run, a different seed a different one', () => {
    const config = easy();
    const first = train(config, 42);
    expect(first.history.length).toBeGreaterThan(1);
    expect(numbers(train(config, 42))).toBe(numbers(first));
    expect(JSON.stringify(train(config, 43).history)).not.toBe(JSON.stringify(first.history));
  });

  it('gives identical numbers with a MemTracker and without one (one code path), plus a memory report', () => {
    for (const order of ['standard', 'per-layer'] as const) {
      const config = easy({ order, max_epochs: 4 });
      const tracked = train(config, 7, { tracker: new MemTracker() });
      const untracked = train(config, 7);
      expect(numbers(tracked)).toBe(numbers(untracked));
      expect(untracked.memory).toBeUndefined();
      expect(tracked.memory!.ard).toBeGreaterThan(0);
      expect(tracked.memory!.buffers.W1!.reads).toBeGreaterThan(0);
      expect(tracked.memory!.buffers.dW1!.writes).toBeGreaterThan(0);
    }
  });

  for (const order of ['standard', 'fused', 'per-layer'] as const) {
    it(`solves easy parity with the ${order} update order`, () => {
      const result = train(easy({ order }), 42);
      expect(result.status).toBe('ok');
      expect(result.solved).toBe(true);
      expect(result.solve_epoch).toBe(result.epochs);
      expect(result.history[result.history.length - 1]!.test_acc).toBe(1);
    });
  }

  it('fused changes the access order, not the math: same history as standard, different ARD', () => {
    const run = (order: 'standard' | 'fused') => train(easy({ order }), 44, { tracker: new MemTracker() });
    const standard = run('standard');
    const fused = run('fused');
    expect(numbers(fused)).toBe(numbers(standard));
    expect(fused.memory!.floats_read).toBe(standard.memory!.floats_read);
    expect(fused.memory!.weighted_ard).not.toBe(standard.memory!.weighted_ard);
    // per-layer steps layer 2 after a re-forward through the new W1: a different trajectory
    expect(JSON.stringify(train(easy({ order: 'per-layer' }), 44).history)).not.toBe(JSON.stringify(standard.history));
  });

  it('calls a run solved only at 100% test accuracy; 95% has its own name, reached_95', () => {
    const stopped = train(easy({ max_epochs: 8 }), 42); // test accuracy 0.995 at epoch 8, 1.0 at epoch 10
    expect(stopped.best_test_acc).toBe(0.995);
    expect([stopped.solved, stopped.reached_95, stopped.solve_epoch, stopped.stop_reason]).toEqual([false, true, null, 'out_of_epochs']);
    const solved = train(easy(), 42);
    expect([solved.solved, solved.reached_95, solved.solve_epoch, solved.stop_reason]).toEqual([true, true, 10, 'solved']);
  });

  it("ends a diverging run (sum task, mse, sgd, lr = 0.1) with status 'diverged' and a message", () => {
    const result = train(parseTrainConfig({ task: 'sum', loss: 'mse', optimizer: 'sgd', lr: 0.1 }), 42);
    expect(result.status).toBe('diverged');
    expect(result.solved).toBe(false);
    expect(result.message).toMatch(/^diverged: /);
    expect(result.epochs).toBeLessThan(200);
  });

  it("stops with status 'timeout' once an injected clock passes timeLimitMs", () => {
    let clock = 0;
    const now = () => (clock += 1000); // every reading of the clock is one second later
    const config = parseTrainConfig({ n_bits: 20, k: 3, hidden: 16, n_train: 200, max_epochs: 100 });
    const result = train(config, 42, { now, timeLimitMs: 2500 });
    expect(result.status).toBe('timeout');
    expect(result.solved).toBe(false);
    expect(result.epochs).toBe(3);
    expect(result.elapsed_ms).toBeGreaterThan(2500);
    expect(result.message).toMatch(/time limit of 2500 ms/);
  });

  it('runs a curriculum [10, 20]: stage_n 10 first, then 20, with the secret kept inside the first stage', () => {
    const config = parseTrainConfig({ n_bits: 20, k: 2, hidden: 32, n_train: 300, max_epochs: 30, curriculum: [10, 20] });
    const epochs: number[][] = [];
    const result = train(config, 42, { onEpoch: (record) => epochs.push([record.stage_n, record.epoch]) });
    const stages = result.history.map((record) => record.stage_n);
    expect(stages[0]).toBe(10);
    expect(stages).toContain(20);
    const firstTwenty = stages.indexOf(20);
    expect(stages.slice(0, firstTwenty).every((n) => n === 10)).toBe(true);
    expect(stages.slice(firstTwenty).every((n) => n === 20)).toBe(true);
    expect(result.history[firstTwenty - 1]!.test_acc).toBe(1); // a stage ends when its test set is solved
    expect(result.history.map((record) => record.epoch)).toEqual(result.history.map((_, i) => i + 1));
    expect(epochs).toHaveLength(result.history.length);
    expect(result.secret).toEqual(chooseSecret(config, 42));
    expect(result.secret.every((index) => index < 10)).toBe(true);
  });
});

describe('forward-forward', () => {
  const ff = (overrides: TrainConfigInput = {}) => parseTrainConfig({ algorithm: 'forward-forward', n_bits: 8, k: 2, hidden: 32, ...overrides });

  it('learns easy parity (n=8, k=2) well above chance, deterministically and identically when tracked', () => {
    const config = ff({ max_epochs: 30, lr: 0.3 });
    const result = train(config, 43);
    expect(result.status).toBe('ok');
    expect(result.best_test_acc).toBeGreaterThanOrEqual(0.9);
    expect(result.history[0]!.fourier_secret).not.toBeNull();
    expect(result.history.every((record) => record.grad_norm_layer1 > 0 && record.grad_norm_layer2 > 0)).toBe(true);
    const short = ff({ max_epochs: 2, lr: 0.3 });
    expect(numbers(train(short, 43, { tracker: new MemTracker() }))).toBe(numbers(train(short, 43)));
    expect(numbers(train(short, 43))).toBe(numbers(train(short, 43)));
  });

  it('measures more weight traffic and a different ARD than backprop over the same epoch (printed)', () => {
    // One epoch each on the same data: ARD grows with run length (X is written once), so compare equal lengths.
    const common = { n_bits: 8, k: 2, hidden: 32, max_epochs: 1 };
    const backprop = train(parseTrainConfig(common), 42, { tracker: new MemTracker() }).memory!;
    const forward = train(ff(common), 42, { tracker: new MemTracker() }).memory!;
    const row = (name: string, m: typeof backprop) =>
      `${name.padEnd(16)} ard ${m.ard.toFixed(0).padStart(8)}  weighted_ard ${m.weighted_ard.toFixed(0).padStart(8)}  dmc ${m.dmc.toExponential(3)}  energy_pj ${m.energy_pj.toExponential(3)}  floats_read ${m.floats_read}  W1 avg distance ${m.buffers.W1!.avg_distance.toFixed(0)}`;
    console.log(`ARD, one epoch of n=8 k=2 h=32 parity (seed 42):\n${row('backprop', backprop)}\n${row('forward-forward', forward)}`);
    expect(forward.buffers.W1!.floats_read).toBeGreaterThan(backprop.buffers.W1!.floats_read);
    expect(forward.floats_read).toBeGreaterThan(backprop.floats_read);
    expect(forward.buffers.h1_pos!.reads).toBeGreaterThan(0);
    expect(forward.buffers.dW2!.writes).toBeGreaterThan(0);
    expect(forward.ard).not.toBe(backprop.ard);
  });
});
