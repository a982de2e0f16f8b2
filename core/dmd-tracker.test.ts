// The DmdTracker on hand-computed traces, against brute-force LRU caches of each size, and on whole training runs.
import { describe, expect, it } from 'vitest';
import { CacheModelError, defaultCacheLevels, type CacheLevel } from './cache-model.js';
import { parseTrainConfig, type TrainConfigInput } from './config.js';
import { dmdBufferRows, dmdMetrics } from './dmd-report.js';
import { DmdTracker } from './dmd-tracker.js';
import { InstrumentedTracker } from './memory-instruments.js';
import { Rng } from './random.js';
import { MemTracker, nullTracker, type Tracker } from './tracker.js';
import { train } from './train.js';

const ceilSqrtSum = (from: number, to: number) => {
  let sum = 0;
  for (let j = from; j <= to; j++) sum += Math.ceil(Math.sqrt(j));
  return sum;
};

describe('DmdTracker on hand-computed traces', () => {
  /** write A 3, write B 2 (stack, top first: B1 B0 A2 A1 A0), read A 3, read B 2: every element read at depth 5. */
  function scanTwice(elementBytes: number): DmdTracker {
    const tracker = new DmdTracker({ elementBytes });
    tracker.write('A', 3);
    tracker.write('B', 2);
    tracker.read('A', 3);
    tracker.read('B', 2);
    return tracker;
  }

  it('reads each element at its LRU depth in address order: a cyclic scan of 5 elements is at depth 5 throughout', () => {
    const report = scanTwice(1).report();
    expect(report.buffers.A).toMatchObject({ size: 3, reads: 1, writes: 1, floats_read: 3, floats_written: 3, mean_depth: 5, min_depth: 5, max_depth: 5 });
    expect(report.buffers.B).toMatchObject({ mean_depth: 5, traffic_share: 2 / 5 });
    expect(report.dmd).toBe(5 * Math.ceil(Math.sqrt(5))); // 15
    expect(report.dmd_unrounded).toBeCloseTo(5 * Math.sqrt(5), 12);
    expect(report.cold_reads).toBe(0);
  });

  it('prices a 4-byte element at depth d by its bytes ((d-1)*4, d*4], as ByteDMD does for multi-byte values', () => {
    const report = scanTwice(4).report();
    expect(ceilSqrtSum(17, 20)).toBe(20);
    expect(report.dmd).toBe(5 * 20);
    expect(report.buffers.A!.dmd_share).toBeCloseTo(3 / 5, 12);
  });

  it('charges writes nothing and re-reads of a just-written element at depth 1', () => {
    const tracker = new DmdTracker({ elementBytes: 1 });
    tracker.write('h', 1);
    tracker.read('h', 1);
    tracker.read('h', 1);
    expect(tracker.report()).toMatchObject({ dmd: 2, mean_depth: 1, floats_written: 1 });
  });

  it('counts a cold read below everything on the stack (live elements + 1) and as a miss at every level', () => {
    const tracker = new DmdTracker({ elementBytes: 1 });
    tracker.write('W', 3);
    tracker.read('never-written', 2); // depths 4 and 5
    const report = tracker.report();
    expect(report.cold_reads).toBe(2);
    expect(report.dmd).toBe(Math.ceil(Math.sqrt(4)) + Math.ceil(Math.sqrt(5)));
    expect(report.cache.dram!.served).toBe(2);
    expect(report.cache.registers!.hits).toBe(0);
  });

  it('reads in a declared element order: a transposed walk of a 2x3 matrix after a row-major write', () => {
    const tracker = new DmdTracker({ elementBytes: 1 });
    tracker.write('M', 6); // stack, top first: 5 4 3 2 1 0
    tracker.readInOrder('M', [0, 3, 1, 4, 2, 5]); // depths 6, 4, 6, 5, 6, 6 (each read bumps its element to the top)
    const report = tracker.report();
    expect(report.buffers.M).toMatchObject({ size: 6, reads: 1, floats_read: 6, mean_depth: 33 / 6, min_depth: 4, max_depth: 6 });
    expect(report.dmd).toBe(4 * 3 + 2 + 3);
  });

  it('computes energy by the level that serves each read (hand-computed on a two-level hierarchy)', () => {
    const levels: CacheLevel[] = [
      { name: 'near', capacity_bytes: 8, picojoules_per_byte: 1 },
      { name: 'far', capacity_bytes: Infinity, picojoules_per_byte: 10 },
    ];
    const tracker = new DmdTracker({ cacheLevels: levels }); // 4-byte elements: near holds depth <= 2
    tracker.write('a', 1);
    tracker.read('a', 1); // depth 1: near, 4 bytes * 1 pJ = 4
    tracker.write('b', 2);
    tracker.read('a', 1); // depth 3: far, 4 * 10 = 40
    tracker.read('c', 1); // cold: far, 40
    const report = tracker.report();
    expect(report.energy_pj).toBe(84);
    expect(report.cache.near).toMatchObject({ capacity_bytes: 8, hits: 1, misses: 2, served: 1, energy_pj: 4 });
    expect(report.cache.far).toMatchObject({ capacity_bytes: null, hits: 3, misses: 0, served: 2, energy_pj: 80 });
    expect(report.buffers.a).toMatchObject({ energy_pj: 44, energy_share: 44 / 84, hit_rate: { near: 0.5, far: 1 } });
  });

  it('uses the seed and Horowitz figures by default: 5 pJ per float from registers, 640 pJ from DRAM', () => {
    expect(defaultCacheLevels.map((level) => level.name)).toEqual(['registers', 'l1', 'l2', 'l3', 'dram']);
    expect(defaultCacheLevels.map((level) => level.picojoules_per_byte * 4)).toEqual([5, 10, 25, 100, 640]);
  });

  it('refuses a hierarchy whose capacities do not increase or that has no unbounded last level, naming the fix', () => {
    const bad = (levels: CacheLevel[]) => () => new DmdTracker({ cacheLevels: levels });
    expect(bad([{ name: 'l1', capacity_bytes: 64, picojoules_per_byte: 1 }])).toThrow(/must be Infinity/);
    expect(
      bad([
        { name: 'l1', capacity_bytes: 64, picojoules_per_byte: 1 },
        { name: 'l2', capacity_bytes: 32, picojoules_per_byte: 2 },
        { name: 'dram', capacity_bytes: Infinity, picojoules_per_byte: 3 },
      ]),
    ).toThrow(CacheModelError);
    expect(() => new DmdTracker({ granularity: { every: 0 } })).toThrow(/positive integer/);
  });

  it('flattens the report into metrics and per-buffer rows of numbers, most energy first', () => {
    const report = scanTwice(4).report();
    const metrics = dmdMetrics(report);
    expect(Object.keys(metrics)).toEqual([
      'dmd',
      'dmd_unrounded',
      'energy_pj',
      'mean_depth',
      'hit_rate_registers',
      'hit_rate_l1',
      'hit_rate_l2',
      'hit_rate_l3',
      'dram_reads',
    ]);
    expect(metrics.hit_rate_registers).toBe(1);
    const rows = dmdBufferRows(report);
    expect(rows.map((row) => row.buffer)).toEqual(['A', 'B']);
    expect(rows[0]).toMatchObject({ buffer: 'A', hit_rate_l1: 1, reads: 1, size: 3 });
  });
});

/** A fully associative LRU cache of `capacity` elements, simulated directly: hit when among the last `capacity` distinct. */
class BruteForceCache {
  private readonly lines: number[] = [];
  hits = 0;

  constructor(private readonly capacity: number) {}

  access(id: number, isRead: boolean): void {
    const index = this.lines.indexOf(id);
    if (index >= 0) {
      if (isRead) this.hits++;
      this.lines.splice(index, 1);
    }
    this.lines.unshift(id);
    if (this.lines.length > this.capacity) this.lines.pop();
  }
}

describe('DmdTracker cache levels', () => {
  it('hit in each level exactly as a brute-force LRU cache of that size does, on random buffer traces', () => {
    const levels: CacheLevel[] = [
      { name: 'tiny', capacity_bytes: 16, picojoules_per_byte: 1 },
      { name: 'small', capacity_bytes: 100, picojoules_per_byte: 2 },
      { name: 'medium', capacity_bytes: 400, picojoules_per_byte: 3 },
      { name: 'dram', capacity_bytes: Infinity, picojoules_per_byte: 4 },
    ];
    for (const seed of [1, 2, 3]) {
      const rng = new Rng(seed, 'cache-trace');
      const tracker = new DmdTracker({ cacheLevels: levels });
      const caches = [4, 25, 100].map((capacity) => new BruteForceCache(capacity)); // floor(bytes / 4)
      const sizes = [1, 3, 8, 20, 40, 70];
      const offsets = sizes.map((_, index) => sizes.slice(0, index).reduce((a, b) => a + b, 0));
      // each buffer is first written whole (as the training loop does), so its addresses are fixed from then on
      sizes.forEach((size, buffer) => {
        tracker.write(`b${buffer}`, size);
        for (let i = 0; i < size; i++) for (const cache of caches) cache.access(offsets[buffer]! + i, false);
      });
      for (let op = 0; op < 600; op++) {
        const buffer = rng.int(sizes.length);
        const floats = 1 + rng.int(sizes[buffer]!);
        const isRead = rng.uniform() < 0.7;
        if (isRead) tracker.read(`b${buffer}`, floats);
        else tracker.write(`b${buffer}`, floats);
        for (let i = 0; i < floats; i++) for (const cache of caches) cache.access(offsets[buffer]! + i, isRead);
      }
      const report = tracker.report();
      expect([report.cache.tiny!.hits, report.cache.small!.hits, report.cache.medium!.hits]).toEqual(caches.map((cache) => cache.hits));
      expect(report.cache.dram!.hits).toBe(report.floats_read);
    }
  });
});

/** Sends every access to both trackers. */
type Sink = Pick<Tracker, 'read' | 'write'>;
const both = (first: Sink, second: Sink): Tracker => ({
  ...nullTracker,
  read: (name, floats) => (first.read(name, floats), second.read(name, floats)),
  write: (name, floats) => (first.write(name, floats), second.write(name, floats)),
});

const small = (overrides: TrainConfigInput = {}) => parseTrainConfig({ n_bits: 10, k: 2, hidden: 32, n_train: 200, n_test: 100, max_epochs: 3, ...overrides });

describe('DmdTracker on training runs', () => {
  it('tracks a whole run end to end: every element the loop reads, no cold reads, the same numbers as untracked', () => {
    const config = small();
    const dmd = new DmdTracker();
    const mem = new MemTracker();
    const tracked = train(config, 42, { tracker: both(mem, dmd) });
    const untracked = train(config, 42);
    expect(JSON.stringify(tracked.history)).toBe(JSON.stringify(untracked.history));
    const report = dmd.report();
    const memory = mem.report();
    expect(report.floats_read).toBe(memory.floats_read);
    expect(report.floats_written).toBe(memory.floats_written);
    expect(report.cold_reads).toBe(0);
    expect(report.granularity).toEqual({ mode: 'every-step', steps: 3 * Math.ceil(200 / 32) });
    expect(Object.keys(report.buffers).sort()).toEqual(Object.keys(memory.buffers).sort());
    expect(report.buffers.W1).toMatchObject({ size: 10 * 32, reads: memory.buffers.W1!.reads });
    const hitRates = Object.values(report.cache).map((level) => level.hit_rate);
    expect(hitRates).toEqual([...hitRates].sort((a, b) => a - b));
    expect(hitRates[hitRates.length - 1]).toBe(1);
    expect(report.dmd).toBeGreaterThan(report.dmd_unrounded);
    const shares = Object.values(report.buffers).reduce((sum, buffer) => sum + buffer.energy_share, 0);
    expect(shares).toBeCloseTo(1, 12);
  });

  it('puts its figures under memory, beside the clock model, when it runs inside the InstrumentedTracker', () => {
    const result = train(small({ max_epochs: 1 }), 42, { tracker: new InstrumentedTracker() });
    expect(result.memory).toMatchObject({ cold_reads: 0 });
    expect((result.memory as unknown as { dmd: number }).dmd).toBeGreaterThan(0);
  });

  it('samples one step in K after a warm-up step and extrapolates, close to the full count on a steady run', () => {
    const config = small({ max_epochs: 4, batch_size: 8, n_train: 256 });
    const full = new DmdTracker();
    const sampled = new DmdTracker({ granularity: { every: 4 } });
    train(config, 42, { tracker: both(full, sampled) });
    const [a, b] = [full.report(), sampled.report()];
    expect(b.granularity).toEqual({ mode: 'sampled', every: 4, steps: 128, steps_measured: 32 });
    expect(b.floats_read).toBe(a.floats_read);
    expect(b.floats_extrapolated).toBeGreaterThan(0.7 * b.floats_read);
    expect(a.floats_extrapolated).toBe(0);
    expect(b.cold_reads).toBe(0);
    expect(Math.abs(b.dmd / a.dmd - 1)).toBeLessThan(0.02);
    expect(Math.abs(b.energy_pj / a.energy_pj - 1)).toBeLessThan(0.02);
  });

  it('takes its steps from beginStep() instead of a marker buffer when the loop declares them', () => {
    const tracker = new DmdTracker({ granularity: { every: 2 }, stepMarker: null, elementBytes: 1 });
    for (let step = 0; step < 4; step++) {
      tracker.beginStep();
      tracker.write('x', 2);
      tracker.read('x', 2);
    }
    const report = tracker.report();
    expect(report.granularity).toEqual({ mode: 'sampled', every: 2, steps: 4, steps_measured: 2 });
    expect(report).toMatchObject({ floats_read: 8, floats_extrapolated: 4, dmd: 8 * Math.ceil(Math.sqrt(2)) });
  });

  it('runs on every update order, forward-forward and a curriculum that widens W1, without cold reads', () => {
    const configs = [
      small({ order: 'fused' }),
      small({ order: 'per-layer', batch_size: 1, max_epochs: 1 }),
      small({ algorithm: 'forward-forward', max_epochs: 1 }),
      small({ curriculum: [6, 10], max_epochs: 6 }),
    ];
    for (const config of configs) {
      const tracker = new DmdTracker();
      train(config, 42, { tracker: both(tracker, nullTracker) });
      const report = tracker.report();
      expect(report.cold_reads, `${config.order} ${config.algorithm}`).toBe(0);
      expect(report.dmd).toBeGreaterThan(0);
    }
  });
});
