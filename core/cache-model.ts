// A memory hierarchy priced from LRU stack depths. By LRU inclusion (Mattson et al. 1970), a read at stack depth d
// (d - 1 distinct other elements since its previous access) hits in every fully associative LRU cache holding at
// least d elements, so one pass prices every level at once. Each read costs the energy of the smallest level that holds it.

export type CacheLevel = {
  /** Lower-case, used in metric names (`hit_rate_l1`). */
  name: string;
  /** Bytes the level holds; the last level (DRAM) is Infinity and serves everything else, cold reads included. */
  capacity_bytes: number;
  /** Energy of reading one byte served by this level. */
  picojoules_per_byte: number;
};

/**
 * Defaults, per 4-byte float read: registers 5 pJ, L1 10 pJ, L2 25 pJ, L3 100 pJ, DRAM 640 pJ.
 * - registers 5 pJ and DRAM 640 pJ: the learning guide (seed 004: "HBM ~640 pJ, a local register ~5 pJ"), the figures
 *   of Han et al., "Learning both weights and connections", NeurIPS 2015, table 1 (32-bit SRAM 5 pJ, DRAM 640 pJ, 45 nm).
 * - L1 and L2: Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC 2014 (45 nm): a 64-bit read
 *   costs about 10 pJ from an 8 KB SRAM, 20 pJ from 32 KB and 100 pJ from 1 MB, i.e. growing with sqrt(capacity);
 *   per 32 bits that is ~10 pJ at 32 KiB and ~25 pJ at 256 KiB (interpolated).
 * - L3 100 pJ: the 1 MB figure of the same table, held flat for a larger, banked last-level cache (an estimate).
 * Capacities: 512 B of registers (16 AVX2 registers of 32 B), L1 32 KiB, L2 256 KiB, L3 8 MiB (a desktop core).
 */
export const defaultCacheLevels: readonly CacheLevel[] = [
  { name: 'registers', capacity_bytes: 512, picojoules_per_byte: 5 / 4 },
  { name: 'l1', capacity_bytes: 32 * 1024, picojoules_per_byte: 10 / 4 },
  { name: 'l2', capacity_bytes: 256 * 1024, picojoules_per_byte: 25 / 4 },
  { name: 'l3', capacity_bytes: 8 * 1024 * 1024, picojoules_per_byte: 100 / 4 },
  { name: 'dram', capacity_bytes: Infinity, picojoules_per_byte: 640 / 4 },
];

export class CacheModelError extends Error {
  override name = 'CacheModelError';
}

/** Checks a hierarchy once, where it is configured: names unique, capacities increasing, the last one unbounded. */
export function validateCacheLevels(levels: readonly CacheLevel[]): readonly CacheLevel[] {
  const fail = (message: string) => {
    throw new CacheModelError(`cache levels: ${message}`);
  };
  if (levels.length === 0) fail('no levels; pass at least one, ending with { capacity_bytes: Infinity } (DRAM)');
  const seen = new Set<string>();
  levels.forEach((level, index) => {
    if (seen.has(level.name)) fail(`level ${index} repeats the name '${level.name}'; give every level its own name`);
    seen.add(level.name);
    if (!(level.picojoules_per_byte >= 0)) fail(`level '${level.name}' has picojoules_per_byte = ${level.picojoules_per_byte}; use a number >= 0`);
    const previous = levels[index - 1];
    if (!(level.capacity_bytes > 0) || (previous && level.capacity_bytes <= previous.capacity_bytes)) {
      fail(`level '${level.name}' has capacity_bytes = ${level.capacity_bytes}; capacities must be > 0 and increase level by level`);
    }
  });
  const last = levels[levels.length - 1]!;
  if (last.capacity_bytes !== Infinity)
    fail(`the last level '${last.name}' has capacity_bytes = ${last.capacity_bytes}; it must be Infinity (memory that serves every miss)`);
  return levels;
}

/** Largest stack depth (in elements) each level holds: floor(capacity / element bytes); Infinity for the last. */
export function levelDepthLimits(levels: readonly CacheLevel[], elementBytes: number): Float64Array {
  return Float64Array.from(levels, (level) => Math.floor(level.capacity_bytes / elementBytes));
}

/** Index of the level that serves a read at this depth (0 = cold: served by the last level). */
export function servingLevel(limits: Float64Array, depth: number): number {
  if (depth === 0) return limits.length - 1;
  let level = 0;
  while (depth > limits[level]!) level++;
  return level;
}
