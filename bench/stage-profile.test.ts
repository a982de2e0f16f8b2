// The stage profiler is a probe on the real loop: with an injected clock its totals are exact, and the profiled
// run is the same run as an untracked train() (it times the loop, it does not copy it).
import { describe, expect, it } from 'vitest';
import { parseTrainConfig, train } from '../core/index.js';
import { profileStages, StageTimer } from './stage-profile.js';

describe('profileStages', () => {
  it('times each stage of the real loop between its begin and end (an injected clock that ticks 1 ms per reading)', () => {
    let clock = 0;
    const timer = new StageTimer(() => clock++);
    const config = parseTrainConfig({ n_bits: 10, k: 2, hidden: 16, n_train: 64, batch_size: 32, max_epochs: 2 });
    const profiled = train(config, 42, { tracker: timer });
    // Every begin / end pair reads the clock twice, one tick apart: each stage's total counts its occurrences.
    expect(timer.totals.gather).toBe(4); // 2 epochs x 2 batches
    expect(timer.totals.forward).toBe(4);
    expect(timer.totals.update).toBe(16); // 4 tensors per step
    expect(timer.totals.evaluate).toBe(2);
    expect(JSON.stringify(profiled.history)).toBe(JSON.stringify(train(config, 42).history));
  });

  it('reports ms per epoch for every stage and a total that covers them', () => {
    const profile = profileStages({ n_bits: 10, k: 2, hidden: 16, n_train: 64, max_epochs: 3 }, 42);
    expect(profile.epochs).toBe(train(parseTrainConfig({ n_bits: 10, k: 2, hidden: 16, n_train: 64, max_epochs: 3 }), 42).epochs);
    const { total, outside_stages, ...stages } = profile.ms_per_epoch;
    const staged = Object.values(stages).reduce((sum, ms) => sum + ms, 0);
    expect(staged + outside_stages).toBeCloseTo(total, 6);
    expect(stages.forward).toBeGreaterThan(0);
  });
});
