// Two rules of the loop that are config keys: how often the training set is evaluated (eval_train_every), and what a
// batch with no gradient does (zero_gradient_batch: the seeds' skip, or an update with weight decay and optimizer state).
import { describe, expect, it } from 'vitest';
import { parseTrainConfig, type TrainConfigInput } from './config.js';
import type { EpochRecord } from './result.js';
import { nullTracker, type Tracker } from './tracker.js';
import { train } from './train.js';

const easy = (overrides: TrainConfigInput = {}) => parseTrainConfig({ n_bits: 10, k: 2, hidden: 32, n_train: 300, max_epochs: 60, ...overrides });
const withoutTrainSet = ({ train_acc: _acc, train_loss: _loss, ...rest }: EpochRecord) => rest;

describe('eval_train_every', () => {
  it('evaluates the training set every epoch by default, every k-th epoch with k, never with 0, and changes nothing else', () => {
    const every = train(easy(), 42);
    expect(every.history.every((record) => record.train_acc !== null && record.train_loss !== null)).toBe(true);
    for (const k of [3, 0]) {
      const run = train(easy({ eval_train_every: k }), 42);
      expect(run.history.map(withoutTrainSet)).toEqual(every.history.map(withoutTrainSet));
      expect([run.solve_epoch, run.stop_reason]).toEqual([every.solve_epoch, every.stop_reason]);
      const evaluated = run.history.filter((record) => record.train_acc !== null).map((record) => record.epoch);
      expect(evaluated).toEqual(k === 0 ? [] : every.history.map((record) => record.epoch).filter((epoch) => epoch % k === 0));
      for (const record of run.history.filter((entry) => entry.train_acc !== null)) {
        expect(record.train_acc).toBe(every.history[record.epoch - 1]!.train_acc);
      }
    }
  });
});

describe('zero_gradient_batch', () => {
  /** Epochs (1-based) with at least one batch whose update the seeds' rule skipped: gather, forward, loss, no backward. */
  function epochsWithSkippedBatches(config: ReturnType<typeof easy>, seed: number): number[] {
    const stages: string[] = [];
    const probe: Tracker = { ...nullTracker, begin: (stage) => void stages.push(stage) };
    train(config, seed, { tracker: probe });
    const epochs = new Set<number>();
    let epoch = 1;
    for (let i = 0; i < stages.length; i++) {
      if (stages[i] === 'evaluate') epoch++;
      if (stages[i] === 'loss' && stages[i + 1] !== 'backward') epochs.add(epoch);
    }
    return [...epochs];
  }

  it("defaults to the seeds' rule (skip the whole update)", () => {
    expect(easy().zero_gradient_batch).toBe('skip');
    expect(JSON.stringify(train(easy({ zero_gradient_batch: 'skip' }), 43))).toBe(JSON.stringify(train(easy(), 43)));
  });

  it('gives the same run both ways when an update with a zero gradient changes nothing (SGD, no weight decay)', () => {
    const config = (rule: 'skip' | 'update') => easy({ wd: 0, batch_size: 1, zero_gradient_batch: rule });
    const skipped = epochsWithSkippedBatches(config('skip'), 43);
    expect(skipped.length).toBeGreaterThan(0); // there are batches the rules treat differently
    const skip = train(config('skip'), 43);
    const update = train(config('update'), 43);
    // the same epochs while both run; only the skip rule can see a frozen epoch and stop there
    expect(JSON.stringify(update.history.slice(0, skip.epochs))).toBe(JSON.stringify(skip.history));
    if (skip.stop_reason !== 'frozen') expect(update.epochs).toBe(skip.epochs);
  });

  it('with weight decay, differs from the first epoch with a skipped batch on, and not before', () => {
    const config = (rule: 'skip' | 'update') => easy({ wd: 0.05, batch_size: 8, zero_gradient_batch: rule });
    const first = Math.min(...epochsWithSkippedBatches(config('skip'), 42));
    expect(first).toBe(3); // seed 42: epochs 1 and 2 have a gradient in every batch
    const skip = train(config('skip'), 42).history;
    const update = train(config('update'), 42).history;
    expect(update.slice(0, first - 1)).toEqual(skip.slice(0, first - 1));
    expect(update[first - 1]!.weight_movement_l1).not.toBe(skip[first - 1]!.weight_movement_l1);
  });

  it("lets GrokFast's moving average keep pushing through zero-gradient batches (seed 44: a plateau becomes a solve)", () => {
    const grokfast = (rule: 'skip' | 'update') => train(parseTrainConfig({ optimizer: 'grokfast', zero_gradient_batch: rule, max_epochs: 60 }), 44);
    const skip = grokfast('skip');
    const update = grokfast('update');
    expect(skip.solve_epoch).toBeNull();
    expect(update.solve_epoch).not.toBeNull();
  });
});

describe('frozen runs', () => {
  it("stop with stop_reason 'frozen' once an epoch changed no parameter (wd 0.001 memorises: train 100%, test stuck)", () => {
    const run = train(parseTrainConfig({ wd: 0.001 }), 42);
    expect([run.stop_reason, run.status, run.solved]).toEqual(['frozen', 'ok', false]);
    expect(run.epochs).toBe(52);
    const [before, last] = run.history.slice(-2);
    expect(last!.train_acc).toBe(1);
    expect(last!.test_acc).toBeLessThan(1);
    // the frozen epoch moved nothing: same weights, same test figures as the epoch before
    expect([last!.weight_movement_l1, last!.test_acc, last!.test_loss]).toEqual([before!.weight_movement_l1, before!.test_acc, before!.test_loss]);
    expect([last!.grad_norm_layer1, last!.grad_norm_layer2]).toEqual([0, 0]);
  });

  it("never freeze under zero_gradient_batch 'update' (weight decay still moves the weights)", () => {
    const run = train(parseTrainConfig({ wd: 0.001, zero_gradient_batch: 'update', max_epochs: 60 }), 42);
    expect(run.stop_reason).toBe('out_of_epochs');
    expect(run.epochs).toBe(60);
  });
});
