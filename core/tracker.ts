// Memory-traffic accounting. Training code reports every buffer access to a Tracker (through the kernels'
// traffic declarations, traffic.ts) and the begin / end of each stage of a step (the probe hook); the default
// tracker does nothing. MemTracker implements the learning guide's model (seed 004): the clock advances by the
// floats accessed, a read's reuse distance is (clock now - clock at that buffer's last write).

/** The stages of a training step and epoch, as the epoch driver and the algorithms announce them. */
export const stageNames = ['gather', 'forward', 'loss', 'backward', 'transform', 'update', 'evaluate'] as const;
export type Stage = (typeof stageNames)[number];

/** Stage begin / end events (never nested): the bench profiler times them, the MemTracker splits its traffic by them. */
export interface Probe {
  begin(stage: Stage): void;
  end(stage: Stage): void;
}

export interface Tracker extends Probe {
  read(name: string, floats: number): void;
  write(name: string, floats: number): void;
  /** The memory figures of everything tracked so far; undefined for a tracker that measures no traffic. */
  report(): MemoryReport | undefined;
}

/** The default tracker: no state, no cost (the kernels' accounting returns at once when it sees this one). */
export const nullTracker: Tracker = {
  read() {},
  write() {},
  begin() {},
  end() {},
  report: () => undefined,
};

export type BufferStats = {
  reads: number;
  writes: number;
  floats_read: number;
  floats_written: number;
  avg_distance: number;
  min_distance: number;
  max_distance: number;
};

/** Energy model: picojoules per float read, by the cache level its reuse distance fits in (4-byte floats). */
export type EnergyLevel = { name: string; capacity_floats: number; picojoules_per_float: number };

export const defaultEnergyLevels: EnergyLevel[] = [
  { name: 'register/L1', capacity_floats: 8 * 1024, picojoules_per_float: 5 },
  { name: 'L2', capacity_floats: 256 * 1024, picojoules_per_float: 25 },
  { name: 'LLC', capacity_floats: 8 * 1024 * 1024, picojoules_per_float: 100 },
  { name: 'DRAM/HBM', capacity_floats: Infinity, picojoules_per_float: 640 },
];

export type MemoryReport = {
  /** Mean reuse distance over read events. */
  ard: number;
  /** sum(size * distance) / sum(size) over reads. */
  weighted_ard: number;
  /** Data movement complexity (Ding et al., arXiv:2312.14441), per-buffer approximation: sum(size * sqrt(distance)). */
  dmc: number;
  /** Energy of all reads under the cache-level model, in picojoules. */
  energy_pj: number;
  clock: number;
  reads: number;
  writes: number;
  floats_read: number;
  floats_written: number;
  /** Reads of a buffer never written before (not counted in the distances). */
  cold_reads: number;
  buffers: Record<string, BufferStats>;
};

type MutableStats = BufferStats & { distance_sum: number; cold_reads: number; cold_floats: number };

/** Floats read and written while a stage was open (accesses outside every stage go to 'none'). */
export type StageTraffic = Partial<Record<Stage | 'none', { floats_read: number; floats_written: number }>>;

export class MemTracker implements Tracker {
  private clock = 0;
  private readonly lastWrite = new Map<string, number>();
  private readonly stats = new Map<string, MutableStats>();
  private readEvents = 0;
  private distanceSum = 0;
  private weightedDistanceSum = 0;
  private floatsRead = 0;
  private floatsWritten = 0;
  private writeEvents = 0;
  private dmcSum = 0;
  private energySum = 0;
  private coldReads = 0;
  private coldFloats = 0;
  private stage: Stage | 'none' = 'none';
  private readonly stageFloats: StageTraffic = {};

  constructor(private readonly energyLevels: EnergyLevel[] = defaultEnergyLevels) {}

  read(name: string, floats: number): void {
    const entry = this.entry(name);
    entry.reads++;
    entry.floats_read += floats;
    this.floatsRead += floats;
    const written = this.lastWrite.get(name);
    if (written === undefined) {
      this.coldReads++;
      this.coldFloats += floats;
      entry.cold_reads++;
      entry.cold_floats += floats;
    } else {
      const distance = this.clock - written;
      this.readEvents++;
      this.distanceSum += distance;
      this.weightedDistanceSum += floats * distance;
      this.dmcSum += floats * Math.sqrt(distance);
      this.energySum += floats * this.picojoulesAt(distance);
      entry.distance_sum += distance;
      entry.min_distance = Math.min(entry.min_distance, distance);
      entry.max_distance = Math.max(entry.max_distance, distance);
    }
    this.stageEntry().floats_read += floats;
    this.clock += floats;
  }

  write(name: string, floats: number): void {
    this.stageEntry().floats_written += floats;
    const entry = this.entry(name);
    entry.writes++;
    entry.floats_written += floats;
    this.writeEvents++;
    this.floatsWritten += floats;
    this.lastWrite.set(name, this.clock);
    this.clock += floats;
  }

  begin(stage: Stage): void {
    this.stage = stage;
  }

  end(_stage: Stage): void {
    this.stage = 'none';
  }

  /** Traffic split by the stage that was open when it happened. */
  stageTraffic(): StageTraffic {
    return Object.fromEntries(Object.entries(this.stageFloats).map(([stage, floats]) => [stage, { ...floats }]));
  }

  report(): MemoryReport {
    const buffers: Record<string, BufferStats> = {};
    for (const [name, s] of [...this.stats].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const measured = s.reads - s.cold_reads;
      buffers[name] = {
        reads: s.reads,
        writes: s.writes,
        floats_read: s.floats_read,
        floats_written: s.floats_written,
        avg_distance: measured > 0 ? s.distance_sum / measured : 0,
        min_distance: Number.isFinite(s.min_distance) ? s.min_distance : 0,
        max_distance: s.max_distance,
      };
    }
    const measuredFloats = this.floatsRead - this.coldFloats;
    return {
      ard: this.readEvents > 0 ? this.distanceSum / this.readEvents : 0,
      weighted_ard: measuredFloats > 0 ? this.weightedDistanceSum / measuredFloats : 0,
      dmc: this.dmcSum,
      energy_pj: this.energySum,
      clock: this.clock,
      reads: this.readEvents + this.coldReads,
      writes: this.writeEvents,
      floats_read: this.floatsRead,
      floats_written: this.floatsWritten,
      cold_reads: this.coldReads,
      buffers,
    };
  }

  private stageEntry(): { floats_read: number; floats_written: number } {
    return (this.stageFloats[this.stage] ??= { floats_read: 0, floats_written: 0 });
  }

  private entry(name: string): MutableStats {
    let entry = this.stats.get(name);
    if (!entry) {
      entry = {
        reads: 0,
        writes: 0,
        floats_read: 0,
        floats_written: 0,
        avg_distance: 0,
        min_distance: Infinity,
        max_distance: 0,
        distance_sum: 0,
        cold_reads: 0,
        cold_floats: 0,
      };
      this.stats.set(name, entry);
    }
    return entry;
  }

  private picojoulesAt(distance: number): number {
    for (const level of this.energyLevels) {
      if (distance < level.capacity_floats) return level.picojoules_per_float;
    }
    return this.energyLevels[this.energyLevels.length - 1]!.picojoules_per_float;
  }
}
