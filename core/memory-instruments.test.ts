// Both memory instruments on one run: the same figures as each tracker alone, under the names spec metrics use.
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from './config.js';
import { DmdTracker } from './dmd-tracker.js';
import { InstrumentedTracker } from './memory-instruments.js';
import { MemTracker, nullTracker } from './tracker.js';
import { train } from './train.js';

describe('InstrumentedTracker', () => {
  const config = parseTrainConfig({ n_bits: 10, k: 2, hidden: 32, n_train: 200, n_test: 100, max_epochs: 2 });

  it("reports MemTracker's ARD figures and DmdTracker's DMD, cache and energy for one run, as each alone would", () => {
    const tracker = new InstrumentedTracker();
    const result = train(config, 42, { tracker });
    const [clock, lru] = [new MemTracker(), new DmdTracker()];
    train(config, 42, { tracker: clock });
    train(config, 42, { tracker: { ...nullTracker, read: (name, floats) => lru.read(name, floats), write: (name, floats) => lru.write(name, floats) } });
    const [clockReport, lruReport] = [clock.report(), lru.report()];
    const memory = tracker.report();
    expect(memory).toMatchObject({ ard: clockReport.ard, weighted_ard: clockReport.weighted_ard, dmc: clockReport.dmc, energy_pj_ard: clockReport.energy_pj });
    expect(memory).toMatchObject({
      dmd: lruReport.dmd,
      dmd_unrounded: lruReport.dmd_unrounded,
      energy_pj: lruReport.energy_pj,
      mean_depth: lruReport.mean_depth,
    });
    expect(memory.hit_rate_l1).toBe(lruReport.cache.l1!.hit_rate);
    expect(memory.dram_reads).toBe(lruReport.cache.dram!.served);
    expect(memory.buffers.W1).toMatchObject({ ...clockReport.buffers.W1, lru: lruReport.buffers.W1 });
    expect(result.memory).toMatchObject({ dmd: lruReport.dmd, ard: clockReport.ard });
  });

  it('passes the sampling granularity through and says which was used', () => {
    const tracker = new InstrumentedTracker({ granularity: { every: 3 } });
    train(config, 42, { tracker });
    expect(tracker.report().granularity).toMatchObject({ mode: 'sampled', every: 3 });
  });
});
