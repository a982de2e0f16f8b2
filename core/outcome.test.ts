import { describe, expect, it } from 'vitest';
import { countOutcomes, isMemorised, runOutcome } from './outcome.js';
import { makeRun } from './test-helpers/runs.js';

const label = (sketch: Parameters<typeof makeRun>[1]) => runOutcome(makeRun(42, sketch)).label;

describe('runOutcome', () => {
  it('calls a run that reached 100% test accuracy solved', () => {
    expect(label({ solveEpoch: 38 })).toBe('solved');
  });

  it('calls a run that reached 90% but never 100%, still updating, plateaued', () => {
    expect(label({ solveEpoch: null, epoch90: 24, bestTestAcc: 0.985, finalTrainAcc: 1 })).toBe('plateaued');
  });

  it('calls train 100% with no update and test frozen below 100% for the last 10 epochs memorised, whatever the test accuracy', () => {
    expect(label({ solveEpoch: null, epoch90: null, bestTestAcc: 0.875, frozen: true })).toBe('memorised');
    // GrokFast's failure: 90% in a few epochs, then frozen.
    expect(label({ solveEpoch: null, epoch90: 8, bestTestAcc: 0.97, frozen: true })).toBe('memorised');
  });

  it('does not call a run memorised when its weights still move (weight decay applied on skipped batches)', () => {
    const run = makeRun(42, { solveEpoch: null, epoch90: null, bestTestAcc: 0.875, frozen: true });
    if (run.status === 'crashed') throw new Error('unreachable');
    run.history.forEach((record, i) => (record.weight_movement_l1 = 300 - i * 0.01));
    expect(runOutcome(run).label).toBe('out_of_epochs');
    expect(isMemorised(run.history)).toBe(false);
  });

  it('calls a run whose best training accuracy stays below 90% underfit', () => {
    expect(label({ solveEpoch: null, epoch90: null, bestTestAcc: 0.755, finalTrainAcc: 0.854 })).toBe('underfit');
    expect(label({ solveEpoch: null, epoch90: null, bestTestAcc: 0.9, finalTrainAcc: 0.5 })).toBe('plateaued');
  });

  it('calls diverged, timed-out and crashed runs by their status, and a run still learning at max_epochs out of epochs', () => {
    expect(label({ solveEpoch: null, status: 'diverged', epochs: 3 })).toBe('diverged');
    expect(label({ solveEpoch: null, status: 'timeout', epochs: 120, epoch90: 100 })).toBe('timed_out');
    expect(label({ status: 'crashed' })).toBe('crashed');
    expect(label({ solveEpoch: null, epoch90: null, bestTestAcc: 0.6, finalTrainAcc: 1 })).toBe('out_of_epochs');
  });

  it('lets the solve win over a later status: a run that solved is solved', () => {
    expect(label({ solveEpoch: 50, status: 'timeout' })).toBe('solved');
  });
});

describe('countOutcomes', () => {
  it('counts labels with the accuracy ranges a sentence needs ("3/5 plateaued at 97-99.5%")', () => {
    const outcomes = [
      makeRun(42, { solveEpoch: 40 }),
      makeRun(43, { solveEpoch: 45 }),
      makeRun(44, { solveEpoch: null, epoch90: 20, bestTestAcc: 0.97, finalTrainAcc: 1 }),
      makeRun(45, { solveEpoch: null, epoch90: 22, bestTestAcc: 0.995, finalTrainAcc: 1 }),
      makeRun(46, { solveEpoch: null, epoch90: 25, bestTestAcc: 0.98, finalTrainAcc: 1 }),
    ].map((run) => runOutcome(run));
    expect(countOutcomes(outcomes)).toEqual([
      { label: 'solved', count: 2, seeds: [42, 43], best_test_acc: [1, 1], best_train_acc: [1, 1], epochs: [40, 45] },
      { label: 'plateaued', count: 3, seeds: [44, 45, 46], best_test_acc: [0.97, 0.995], best_train_acc: [1, 1], epochs: [200, 200] },
    ]);
  });
});
