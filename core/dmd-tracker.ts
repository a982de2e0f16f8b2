// Data Movement Distance per element, a cache hierarchy and an energy estimate, from one LRU stack over every element
// the training code touches. A buffer access of `floats` elements is that many consecutive addresses of the buffer
// (row-major). Rules (ByteDMD's, cybertronai/ByteDMD, with the differences the tracker interface forces):
// - Every element lives in one LRU stack; depth is counted from the top (the element just touched has depth 1), in
//   elements; a read at depth d costs sum over its bytes j in ((d-1)b, db] of ceil(sqrt(j)), b = element bytes
//   (ByteDMD's multi-byte rule; b = 1 gives ceil(sqrt(d))). The unrounded DMD sums sqrt(j) (Ding et al., arXiv:2312.14441).
// - Writes cost nothing: they place the elements on top (an overwritten value leaves its old place, as a dead value).
// - Reads are priced one element at a time in address order, each bumping to the top before the next is priced.
//   ByteDMD prices an instruction's inputs together against the stack before it; a buffer read here is many instructions.
// - Dead values are not removed when last read (the tracker cannot see the future), only when overwritten; so depths are
//   upper bounds of ByteDMD's, which drops a value at its last use (an optimal compiler's clamped working set).
// - A cold read (an element never written nor read) costs the depth below everything on the stack (live elements + 1),
//   as ByteDMD's eagerly initialised inputs would sit under all that was touched since, and misses every cache level.
//   Training writes the parameters and each batch before reading them, so a training run has no cold reads.
// - A buffer gets its addresses at its first access, sized to it; an access larger than that (a curriculum widening W1)
//   moves the buffer to fresh addresses and takes its old elements off the stack.
// Beside MemTracker (per buffer, floats accessed since its last write, repeats counted): the same read / write calls,
// priced per element by distinct elements since its own last access (reads refresh it too). Costlier, hence sampling.
import { defaultCacheLevels, levelDepthLimits, validateCacheLevels, type CacheLevel } from './cache-model.js';
import { LruStack } from './lru-stack.js';
import type { Stage, Tracker } from './tracker.js';
import { buildDmdReport, type BufferCounts, type DmdGranularity, type DmdReport } from './dmd-report.js';

export type DmdTrackerOptions = {
  /** Bytes per element (float32 = 4). */
  elementBytes?: number;
  cacheLevels?: readonly CacheLevel[];
  /**
   * 'every-step' tracks every access. { every: K } measures one step in K, after a warm-up step applied to the stack but
   * not measured (so the stack holds the previous step's state); accesses are still counted in every step, and each
   * buffer's measured costs are scaled by its element reads in all steps / in the measured steps (a ratio estimate).
   */
  granularity?: 'every-step' | { every: number };
  /**
   * A write to this buffer starts a step (the training loop writes the batch `x` first in each step); null when the
   * loop calls beginStep() itself (a probe hook).
   */
  stepMarker?: string | null;
};

type Region = { base: number; size: number; counts: BufferCounts };

/** Costs of the first depths, extended on demand: cost[d] = rounded DMD of one element read at depth d. */
class DepthCosts {
  rounded = new Float64Array(1);
  unrounded = new Float64Array(1);

  constructor(private readonly elementBytes: number) {}

  ensure(depth: number): void {
    if (depth < this.rounded.length) return;
    const size = Math.max(depth + 1, 2 * this.rounded.length);
    const [rounded, unrounded] = [new Float64Array(size), new Float64Array(size)];
    const b = this.elementBytes;
    for (let d = 1; d < size; d++) {
      let r = 0;
      let u = 0;
      for (let j = (d - 1) * b + 1; j <= d * b; j++) {
        const root = Math.sqrt(j);
        r += Math.ceil(root);
        u += root;
      }
      rounded[d] = r;
      unrounded[d] = u;
    }
    this.rounded = rounded;
    this.unrounded = unrounded;
  }
}

/** The LRU stack alone; a run's tracker is InstrumentedTracker, which feeds it and MemTracker the same accesses. */
export class DmdTracker implements Omit<Tracker, 'report'> {
  private readonly stack = new LruStack();
  private readonly regions = new Map<string, Region>();
  private readonly levels: readonly CacheLevel[];
  private readonly limits: Float64Array;
  private readonly costs: DepthCosts;
  private readonly elementBytes: number;
  private readonly every: number;
  private readonly stepMarker: string | null;
  private nextAddress = 0;
  private steps = 0;
  private measuredSteps = 0;
  /** Whether accesses of the current step are applied to the stack, and whether they are counted. */
  private applying = true;
  private counting: boolean;

  constructor(options: DmdTrackerOptions = {}) {
    this.elementBytes = options.elementBytes ?? 4;
    if (!Number.isInteger(this.elementBytes) || this.elementBytes < 1) {
      throw new RangeError(`DmdTracker: elementBytes = ${this.elementBytes}; use a positive integer (4 for float32)`);
    }
    this.levels = validateCacheLevels(options.cacheLevels ?? defaultCacheLevels);
    this.limits = levelDepthLimits(this.levels, this.elementBytes);
    this.costs = new DepthCosts(this.elementBytes);
    const granularity = options.granularity ?? 'every-step';
    this.every = granularity === 'every-step' ? 1 : granularity.every;
    if (!Number.isInteger(this.every) || this.every < 1) {
      throw new RangeError(`DmdTracker: granularity.every = ${this.every}; use a positive integer (1 = every step)`);
    }
    this.stepMarker = options.stepMarker === undefined ? 'x' : options.stepMarker;
    // sampled: the set-up before the first step (parameter initialisation) is applied, not counted
    this.counting = this.every === 1;
  }

  /** Probe hook: the loop's stages. With stepMarker null, each step's first stage ('gather', the batch arriving) begins a step. */
  begin(stage: Stage): void {
    if (stage === 'gather' && this.stepMarker === null) this.beginStep();
  }

  end(): void {}

  read(name: string, floats: number): void {
    const region = this.countRead(name, floats, floats);
    if (!this.applying) return;
    if (!this.counting) {
      for (let i = 0, id = region.base; i < floats; i++, id++) this.stack.touch(id);
      return;
    }
    this.price(region, floats, null);
  }

  /**
   * A read of `order.length` elements of a buffer in the order a kernel declares (element indices into the row-major
   * buffer, e.g. a transposed walk), instead of addresses 0, 1, 2, ...
   */
  readInOrder(name: string, order: ArrayLike<number>): void {
    let extent = 0;
    for (let i = 0; i < order.length; i++) extent = Math.max(extent, order[i]! + 1);
    const region = this.countRead(name, extent, order.length);
    if (!this.applying) return;
    if (!this.counting) {
      for (let i = 0; i < order.length; i++) this.stack.touch(region.base + order[i]!);
      return;
    }
    this.price(region, order.length, order);
  }

  write(name: string, floats: number): void {
    if (name === this.stepMarker) this.beginStep();
    const region = this.region(name, floats);
    region.counts.all_writes++;
    region.counts.all_floats_written += floats;
    if (!this.applying) return;
    for (let i = 0, id = region.base; i < floats; i++, id++) this.stack.touch(id);
  }

  report(): DmdReport {
    const granularity: DmdGranularity =
      this.every === 1
        ? { mode: 'every-step', steps: this.steps }
        : { mode: 'sampled', every: this.every, steps: this.steps, steps_measured: this.measuredSteps };
    const buffers = [...this.regions].map(([name, region]) => ({ name, size: region.size, counts: region.counts }));
    return buildDmdReport({ buffers, levels: this.levels, elementBytes: this.elementBytes, granularity });
  }

  private countRead(name: string, extent: number, floats: number): Region {
    const region = this.region(name, extent);
    region.counts.all_reads++;
    region.counts.all_floats_read += floats;
    return region;
  }

  /**
   * Prices `floats` element reads (addresses base + i, or base + order[i]): each one's depth before its bump, its
   * ByteDMD cost and the level that serves it. Sums are kept in locals and added to the counts once per call.
   */
  private price(region: Region, floats: number, order: ArrayLike<number> | null): void {
    const { stack, limits } = this;
    const counts = region.counts;
    const served = counts.served;
    const last = limits.length - 1;
    let { rounded, unrounded } = this.costs;
    let [dmd, dmdUnrounded, depthSum, minDepth, maxDepth, cold] = [0, 0, 0, counts.min_depth, counts.max_depth, 0];
    for (let i = 0; i < floats; i++) {
      let depth = stack.touch(order === null ? region.base + i : region.base + order[i]!);
      let level = 0;
      if (depth === 0) {
        // cold: below everything on the stack, and a compulsory miss at every level
        cold++;
        depth = stack.size;
        level = last;
      } else {
        while (depth > limits[level]!) level++;
      }
      if (depth >= rounded.length) {
        this.costs.ensure(depth);
        ({ rounded, unrounded } = this.costs);
      }
      dmd += rounded[depth]!;
      dmdUnrounded += unrounded[depth]!;
      depthSum += depth;
      if (depth < minDepth) minDepth = depth;
      if (depth > maxDepth) maxDepth = depth;
      served[level]!++;
    }
    counts.floats_read += floats;
    counts.cold_reads += cold;
    counts.dmd += dmd;
    counts.dmd_unrounded += dmdUnrounded;
    counts.depth_sum += depthSum;
    counts.min_depth = minDepth;
    counts.max_depth = maxDepth;
  }

  /** Starts a training step. Sampling: step s is measured when s % every === every - 1; step s - 1 is its warm-up. */
  beginStep(): void {
    this.steps++;
    if (this.every === 1) {
      this.measuredSteps++;
      return;
    }
    const phase = (this.steps - 1) % this.every;
    this.counting = phase === this.every - 1;
    this.applying = this.counting || phase === this.every - 2;
    if (this.counting) this.measuredSteps++;
  }

  private region(name: string, floats: number): Region {
    let region = this.regions.get(name);
    if (region && floats <= region.size) return region;
    const counts = region?.counts ?? newCounts(this.levels.length);
    if (region) for (let i = 0; i < region.size; i++) this.stack.remove(region.base + i);
    // a buffer that grows (curriculum widens W1) moves to fresh addresses; its old elements leave the stack
    region = { base: this.nextAddress, size: floats, counts };
    this.nextAddress += floats;
    this.regions.set(name, region);
    return region;
  }
}

function newCounts(levels: number): BufferCounts {
  return {
    all_reads: 0,
    all_writes: 0,
    all_floats_read: 0,
    all_floats_written: 0,
    floats_read: 0,
    cold_reads: 0,
    depth_sum: 0,
    min_depth: Infinity,
    max_depth: 0,
    dmd: 0,
    dmd_unrounded: 0,
    served: new Float64Array(levels),
  };
}
