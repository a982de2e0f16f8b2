// Both memory instruments on one run: MemTracker (ARD, weighted ARD, DMC by the clock model of seed 004) and DmdTracker
// (LRU stack depth per element: DMD, cache levels, energy), fed the same accesses, reported as one `memory` object
// whose top-level numbers are the names spec metrics and planner objectives use.
import { dmdMetrics, type DmdBufferStats, type DmdCacheLevelReport, type DmdGranularity } from './dmd-report.js';
import { DmdTracker, type DmdTrackerOptions } from './dmd-tracker.js';
import { MemTracker, defaultEnergyLevels, type BufferStats, type EnergyLevel, type MemoryReport, type Stage, type Tracker } from './tracker.js';

export type InstrumentedMemoryReport = Omit<MemoryReport, 'energy_pj' | 'buffers'> & {
  /** The clock model's energy (MemTracker's energy_pj, by reuse distance since the last write). */
  energy_pj_ard: number;
  /** The LRU model's energy: each element read priced at the cache level that serves it. */
  energy_pj: number;
  dmd: number;
  dmd_unrounded: number;
  /** Mean LRU stack depth of an element read, in elements. */
  mean_depth: number;
  /** hit_rate_<level> for every level but the last, and <last>_reads (element reads served by memory). */
  [metric: `hit_rate_${string}` | `${string}_reads`]: number;
  element_bytes: number;
  granularity: DmdGranularity;
  cache: Record<string, DmdCacheLevelReport>;
  buffers: Record<string, BufferStats & { lru: DmdBufferStats | null }>;
};

export type InstrumentedTrackerOptions = DmdTrackerOptions & { clockEnergyLevels?: EnergyLevel[] };

export class InstrumentedTracker implements Tracker {
  readonly clock: MemTracker;
  readonly lru: DmdTracker;

  constructor(options: InstrumentedTrackerOptions = {}) {
    const { clockEnergyLevels = defaultEnergyLevels, ...lruOptions } = options;
    this.clock = new MemTracker(clockEnergyLevels);
    this.lru = new DmdTracker(lruOptions);
  }

  read(name: string, floats: number): void {
    this.clock.read(name, floats);
    this.lru.read(name, floats);
  }

  write(name: string, floats: number): void {
    this.clock.write(name, floats);
    this.lru.write(name, floats);
  }

  begin(stage: Stage): void {
    this.clock.begin(stage);
    this.lru.begin(stage);
  }

  end(stage: Stage): void {
    this.clock.end(stage);
    this.lru.end();
  }

  report(): InstrumentedMemoryReport {
    const { energy_pj: energyArd, buffers: clockBuffers, ...clock } = this.clock.report();
    const lru = this.lru.report();
    const buffers: InstrumentedMemoryReport['buffers'] = {};
    for (const [name, stats] of Object.entries(clockBuffers)) buffers[name] = { ...stats, lru: lru.buffers[name] ?? null };
    return {
      ...clock,
      energy_pj_ard: energyArd,
      ...dmdMetrics(lru),
      energy_pj: lru.energy_pj,
      dmd: lru.dmd,
      dmd_unrounded: lru.dmd_unrounded,
      mean_depth: lru.mean_depth,
      element_bytes: lru.element_bytes,
      granularity: lru.granularity,
      cache: lru.cache,
      buffers,
    };
  }
}

/** The run tracker for a tracked run: every step measured (every = 1) or one step in `every`, extrapolated. */
export function runTracker(every = 1): InstrumentedTracker {
  return new InstrumentedTracker(every > 1 ? { granularity: { every } } : {});
}
