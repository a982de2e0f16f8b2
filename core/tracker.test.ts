// MemTracker on small sequences whose figures are computed by hand: the clock, reuse distances, ARD,
// weighted ARD, DMC, energy per cache level, per-buffer statistics and cold reads.
import { describe, expect, it } from 'vitest';
import { MemTracker, defaultEnergyLevels, nullTracker } from './tracker.js';

describe('MemTracker', () => {
  /**
   * clock: write A 10 [0->10], write B 5 [10->15], read A 10 (d = 15 - 0 = 15) [15->25],
   * read B 5 (d = 25 - 10 = 15) [25->30], write A 10 [30->40], read A 4 (d = 40 - 30 = 10) [40->44],
   * read C 3 (never written: cold) [44->47].
   */
  function handSequence(): MemTracker {
    const tracker = new MemTracker();
    tracker.write('A', 10);
    tracker.write('B', 5);
    tracker.read('A', 10);
    tracker.read('B', 5);
    tracker.write('A', 10);
    tracker.read('A', 4);
    tracker.read('C', 3);
    return tracker;
  }

  it('advances the clock by the floats of every access and counts reads, writes and floats', () => {
    const report = handSequence().report();
    expect(report.clock).toBe(47);
    expect(report.reads).toBe(4);
    expect(report.writes).toBe(3);
    expect(report.floats_read).toBe(22);
    expect(report.floats_written).toBe(25);
    expect(report.cold_reads).toBe(1);
  });

  it('measures ARD per read event, weighted ARD per float, and DMC = sum(size * sqrt(distance)), cold reads excluded', () => {
    const report = handSequence().report();
    expect(report.ard).toBe(40 / 3); // (15 + 15 + 10) / 3
    expect(report.weighted_ard).toBe(265 / 19); // (10*15 + 5*15 + 4*10) / (10 + 5 + 4)
    expect(report.dmc).toBeCloseTo(10 * Math.sqrt(15) + 5 * Math.sqrt(15) + 4 * Math.sqrt(10), 12);
    expect(report.energy_pj).toBe(19 * 5); // every distance fits in register/L1 (< 8192 floats)
  });

  it('reports per-buffer reads, writes, floats and min / avg / max distance (0 for a buffer never measured)', () => {
    const { buffers } = handSequence().report();
    expect(Object.keys(buffers)).toEqual(['A', 'B', 'C']);
    expect(buffers.A).toEqual({ reads: 2, writes: 2, floats_read: 14, floats_written: 20, avg_distance: 12.5, min_distance: 10, max_distance: 15 });
    expect(buffers.B).toEqual({ reads: 1, writes: 1, floats_read: 5, floats_written: 5, avg_distance: 15, min_distance: 15, max_distance: 15 });
    expect(buffers.C).toEqual({ reads: 1, writes: 0, floats_read: 3, floats_written: 0, avg_distance: 0, min_distance: 0, max_distance: 0 });
  });

  it('measures distance from the last write, not the last read: repeated reads grow further apart', () => {
    const tracker = new MemTracker();
    tracker.write('W', 2); // [0->2]
    tracker.read('W', 2); // d = 2 [2->4]
    tracker.read('W', 2); // d = 4 [4->6]
    tracker.read('W', 2); // d = 6
    const report = tracker.report();
    expect(report.ard).toBe(4);
    expect(report.buffers.W).toMatchObject({ min_distance: 2, max_distance: 6, avg_distance: 4 });
  });

  it('prices each read by the first cache level whose capacity exceeds its distance (default levels)', () => {
    expect(defaultEnergyLevels.map((level) => level.picojoules_per_float)).toEqual([5, 25, 100, 640]);
    const energyOfOneRead = (distance: number, floats = 1) => {
      const tracker = new MemTracker();
      tracker.write('P', 1);
      if (distance > 1) tracker.write('filler', distance - 1);
      tracker.read('P', floats);
      return tracker.report().energy_pj;
    };
    expect(energyOfOneRead(8191)).toBe(5);
    expect(energyOfOneRead(8192)).toBe(25);
    expect(energyOfOneRead(256 * 1024 - 1)).toBe(25);
    expect(energyOfOneRead(256 * 1024)).toBe(100);
    expect(energyOfOneRead(8 * 1024 * 1024)).toBe(640);
    expect(energyOfOneRead(100, 3)).toBe(15);
  });

  it('accepts custom energy levels', () => {
    const tracker = new MemTracker([
      { name: 'near', capacity_floats: 10, picojoules_per_float: 1 },
      { name: 'far', capacity_floats: Infinity, picojoules_per_float: 50 },
    ]);
    tracker.write('a', 4); // [0->4]
    tracker.read('a', 4); // d = 4 -> near: 4 pJ [4->8]
    tracker.write('b', 20); // [8->28]
    tracker.read('a', 2); // d = 28 -> far: 100 pJ
    expect(tracker.report().energy_pj).toBe(104);
  });

  it('counts a read before any write as cold: no distance, but the clock still advances', () => {
    const tracker = new MemTracker();
    tracker.read('X', 7);
    tracker.write('X', 3); // at clock 7
    tracker.read('X', 1); // d = 10 - 7 = 3
    const report = tracker.report();
    expect(report.cold_reads).toBe(1);
    expect(report.reads).toBe(2);
    expect(report.ard).toBe(3);
    expect(report.weighted_ard).toBe(3);
    expect(report.clock).toBe(11);
  });

  it('reports zeros for an empty trace, and the null tracker accepts calls and keeps nothing', () => {
    expect(new MemTracker().report()).toMatchObject({ ard: 0, weighted_ard: 0, dmc: 0, energy_pj: 0, clock: 0, reads: 0, writes: 0 });
    nullTracker.write('W1', 100);
    nullTracker.read('W1', 100);
    nullTracker.begin('forward');
    nullTracker.end('forward');
    expect(Object.keys(nullTracker)).toEqual(['read', 'write', 'begin', 'end', 'report']);
    expect(nullTracker.report()).toBeUndefined();
  });

  it('splits its traffic by the stage the probe hook opened, without changing the figures', () => {
    const staged = new MemTracker();
    staged.begin('forward');
    staged.write('h', 6);
    staged.end('forward');
    staged.begin('loss');
    staged.read('h', 6);
    staged.write('dout', 2);
    staged.end('loss');
    staged.read('dout', 2);
    expect(staged.stageTraffic()).toEqual({
      forward: { floats_read: 0, floats_written: 6 },
      loss: { floats_read: 6, floats_written: 2 },
      none: { floats_read: 2, floats_written: 0 },
    });
    const plain = new MemTracker();
    plain.write('h', 6);
    plain.read('h', 6);
    plain.write('dout', 2);
    plain.read('dout', 2);
    expect(staged.report()).toEqual(plain.report());
  });
});
