// The DmdTracker's figures as plain numbers: the report that sits beside MemTracker's ard / dmc under `memory`,
// the flat metrics a spec or a planner can name, and per-buffer rows for the agent to render as a table.
import type { CacheLevel } from './cache-model.js';

/** Running per-buffer counters of the tracker: all_* over every step, the rest over the measured steps only. */
export type BufferCounts = {
  all_reads: number;
  all_writes: number;
  all_floats_read: number;
  all_floats_written: number;
  /** Element reads priced (measured steps). */
  floats_read: number;
  cold_reads: number;
  depth_sum: number;
  min_depth: number;
  max_depth: number;
  dmd: number;
  dmd_unrounded: number;
  /** Element reads served by each cache level (the smallest that holds the depth). */
  served: Float64Array;
};

/**
 * Which steps were measured. Sampled: a buffer's costs (DMD, hits, energy) are its measured costs times its element
 * reads over all steps / over the measured steps; reads, writes and floats are always counted in full.
 */
export type DmdGranularity = { mode: 'every-step'; steps: number } | { mode: 'sampled'; every: number; steps: number; steps_measured: number };

export type DmdCacheLevelReport = {
  /** null for the last level (unbounded). */
  capacity_bytes: number | null;
  picojoules_per_byte: number;
  /** Element reads at a depth this level holds (LRU inclusion: hits here and in every larger level). */
  hits: number;
  misses: number;
  hit_rate: number;
  /** Element reads this level serves (hits here, misses in the level above). */
  served: number;
  energy_pj: number;
};

export type DmdBufferStats = {
  /** Elements (the largest access of the buffer). */
  size: number;
  reads: number;
  writes: number;
  floats_read: number;
  floats_written: number;
  cold_reads: number;
  /** LRU stack depth of the buffer's element reads, in elements (1 = just touched). */
  mean_depth: number;
  min_depth: number;
  max_depth: number;
  /** Element reads whose cost is extrapolated, not measured (0 when every step is tracked). */
  floats_extrapolated: number;
  /** This buffer's share of all element reads. */
  traffic_share: number;
  /** Per level name: share of this buffer's element reads that hit in that level. */
  hit_rate: Record<string, number>;
  energy_pj: number;
  energy_share: number;
  dmd: number;
  dmd_share: number;
};

export type DmdReport = {
  model: 'lru-stack';
  element_bytes: number;
  granularity: DmdGranularity;
  /** Sum over element reads of the ByteDMD cost (ceil(sqrt) per byte). */
  dmd: number;
  dmd_unrounded: number;
  energy_pj: number;
  floats_read: number;
  floats_written: number;
  /** Element reads whose cost is extrapolated from the measured steps (0 when every step is tracked). */
  floats_extrapolated: number;
  cold_reads: number;
  mean_depth: number;
  /** Per level, in hierarchy order (registers first). */
  cache: Record<string, DmdCacheLevelReport>;
  buffers: Record<string, DmdBufferStats>;
};

export type DmdReportInput = {
  buffers: { name: string; size: number; counts: BufferCounts }[];
  levels: readonly CacheLevel[];
  elementBytes: number;
  granularity: DmdGranularity;
};

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

function energyOf(served: Float64Array, levels: readonly CacheLevel[], elementBytes: number): number {
  let energy = 0;
  levels.forEach((level, index) => (energy += served[index]! * elementBytes * level.picojoules_per_byte));
  return energy;
}

/** Cumulative hits per level: by inclusion, a read served at level i hits in every level >= i. */
function hitsOf(served: Float64Array): Float64Array {
  const hits = new Float64Array(served.length);
  let sum = 0;
  served.forEach((count, index) => (hits[index] = sum += count));
  return hits;
}

/** A buffer's measured costs scaled to all its reads (1 when every read was measured; 0 when none was). */
function scaled(counts: BufferCounts) {
  const scale = counts.floats_read > 0 ? counts.all_floats_read / counts.floats_read : 0;
  return {
    scale,
    served: counts.served.map((count) => scale * count),
    dmd: scale * counts.dmd,
    dmdUnrounded: scale * counts.dmd_unrounded,
    coldReads: scale * counts.cold_reads,
  };
}

export function buildDmdReport({ buffers, levels, elementBytes, granularity }: DmdReportInput): DmdReport {
  const sorted = [...buffers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const perBuffer = sorted.map((buffer) => ({ ...buffer, ...scaled(buffer.counts) }));
  const served = new Float64Array(levels.length);
  let [dmd, dmdUnrounded, floatsRead, floatsWritten, coldReads, depthSum, measured] = [0, 0, 0, 0, 0, 0, 0];
  for (const buffer of perBuffer) {
    buffer.served.forEach((count, index) => (served[index]! += count));
    dmd += buffer.dmd;
    dmdUnrounded += buffer.dmdUnrounded;
    floatsRead += buffer.counts.all_floats_read;
    floatsWritten += buffer.counts.all_floats_written;
    coldReads += buffer.coldReads;
    depthSum += buffer.counts.depth_sum;
    measured += buffer.counts.floats_read;
  }
  const energy = energyOf(served, levels, elementBytes);
  const hits = hitsOf(served);
  const cache = cacheReport(levels, served, hits, floatsRead, elementBytes);
  const stats: Record<string, DmdBufferStats> = {};
  for (const buffer of perBuffer) stats[buffer.name] = bufferStats(buffer, { levels, elementBytes, floatsRead, energy, dmd });
  return {
    model: 'lru-stack',
    element_bytes: elementBytes,
    granularity,
    dmd,
    dmd_unrounded: dmdUnrounded,
    energy_pj: energy,
    floats_read: floatsRead,
    floats_written: floatsWritten,
    floats_extrapolated: floatsRead - measured,
    cold_reads: coldReads,
    mean_depth: share(depthSum, measured),
    cache,
    buffers: stats,
  };
}

function cacheReport(levels: DmdReportInput['levels'], served: Float64Array, hits: Float64Array, floatsRead: number, elementBytes: number) {
  const cache: Record<string, DmdCacheLevelReport> = {};
  levels.forEach((level, index) => {
    cache[level.name] = {
      capacity_bytes: Number.isFinite(level.capacity_bytes) ? level.capacity_bytes : null,
      picojoules_per_byte: level.picojoules_per_byte,
      hits: hits[index]!,
      misses: floatsRead - hits[index]!,
      hit_rate: share(hits[index]!, floatsRead),
      served: served[index]!,
      energy_pj: served[index]! * elementBytes * level.picojoules_per_byte,
    };
  });
  return cache;
}

type ScaledBuffer = DmdReportInput['buffers'][number] & ReturnType<typeof scaled>;
type Totals = { levels: DmdReportInput['levels']; elementBytes: number; floatsRead: number; energy: number; dmd: number };

function bufferStats(buffer: ScaledBuffer, totals: Totals): DmdBufferStats {
  const { counts } = buffer;
  const { levels, elementBytes } = totals;
  const bufferHits = hitsOf(buffer.served);
  const bufferEnergy = energyOf(buffer.served, levels, elementBytes);
  const hitRate: Record<string, number> = {};
  levels.forEach((level, index) => (hitRate[level.name] = share(bufferHits[index]!, counts.all_floats_read)));
  return {
    size: buffer.size,
    reads: counts.all_reads,
    writes: counts.all_writes,
    floats_read: counts.all_floats_read,
    floats_written: counts.all_floats_written,
    floats_extrapolated: counts.all_floats_read - counts.floats_read,
    cold_reads: buffer.coldReads,
    mean_depth: share(counts.depth_sum, counts.floats_read),
    min_depth: Number.isFinite(counts.min_depth) ? counts.min_depth : 0,
    max_depth: counts.max_depth,
    traffic_share: share(counts.all_floats_read, totals.floatsRead),
    hit_rate: hitRate,
    energy_pj: bufferEnergy,
    energy_share: share(bufferEnergy, totals.energy),
    dmd: buffer.dmd,
    dmd_share: share(buffer.dmd, totals.dmd),
  };
}

/**
 * The report's headline figures under the names a spec metric or a planner objective uses (all lower is better except
 * hit rates): dmd, dmd_unrounded, energy_pj, mean_depth, hit_rate_<level> for every level but the last, <last>_reads.
 */
export function dmdMetrics(report: DmdReport): Record<string, number> {
  const metrics: Record<string, number> = { dmd: report.dmd, dmd_unrounded: report.dmd_unrounded, energy_pj: report.energy_pj, mean_depth: report.mean_depth };
  const names = Object.keys(report.cache);
  names.slice(0, -1).forEach((name) => (metrics[`hit_rate_${name}`] = report.cache[name]!.hit_rate));
  const last = names[names.length - 1]!;
  metrics[`${last}_reads`] = report.cache[last]!.served;
  return metrics;
}

export type DmdBufferRow = { buffer: string } & Omit<DmdBufferStats, 'hit_rate'> & Record<`hit_rate_${string}`, number>;

/** One row of numbers per buffer, most energy first, hit rates flattened to hit_rate_<level> (the agent renders them). */
export function dmdBufferRows(report: DmdReport): DmdBufferRow[] {
  return Object.entries(report.buffers)
    .map(([buffer, { hit_rate, ...stats }]) => {
      const row = { buffer, ...stats } as DmdBufferRow;
      for (const [level, rate] of Object.entries(hit_rate)) row[`hit_rate_${level}`] = rate;
      return row;
    })
    .sort((a, b) => b.energy_pj - a.energy_pj || (a.buffer < b.buffer ? -1 : 1));
}
