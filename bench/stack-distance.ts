// The DmdTracker's speed: element accesses per second on the access sequence of a real canonical epoch (recorded once,
// replayed), and the cost of a fully tracked (and a sampled) canonical run against an untracked one, runs interleaved.
import { DmdTracker, InstrumentedTracker, nullTracker, parseTrainConfig, train, type TrainConfigInput, type Tracker } from '../core/index.js';
import { benchSeeds, median, warmUp } from './measure.js';

export type StackDistanceBench = {
  /** Element accesses (reads + writes) replayed per repeat. */
  element_accesses: number;
  /** Wall clock, best replay. */
  accesses_per_second: number;
  /** Per second of this process's CPU time, best replay: what the tracker does when it gets the core (this machine is shared). */
  accesses_per_cpu_second: number;
  epochs: number;
  untracked_ms_per_epoch: number;
  tracked_ms_per_epoch: number;
  sampled_every: number;
  sampled_ms_per_epoch: number;
  ratio: number;
  sampled_ratio: number;
};

type Access = { name: string; floats: number; read: boolean };

const clock = { now: () => performance.now() };

function recordEpoch(config: TrainConfigInput): Access[] {
  const accesses: Access[] = [];
  const recorder: Tracker = {
    ...nullTracker,
    read: (name, floats) => void accesses.push({ name, floats, read: true }),
    write: (name, floats) => void accesses.push({ name, floats, read: false }),
  };
  train(parseTrainConfig({ ...config, max_epochs: 1 }), 42, { tracker: recorder });
  return accesses;
}

function replay(accesses: Access[], tracker: DmdTracker): void {
  for (const access of accesses) {
    if (access.read) tracker.read(access.name, access.floats);
    else tracker.write(access.name, access.floats);
  }
}

/** Best of a few replays of one recorded epoch (the least disturbed by the other processes on this machine). */
function accessRate(config: TrainConfigInput, repeats = 5) {
  const accesses = recordEpoch(config);
  const elementAccesses = accesses.reduce((sum, access) => sum + access.floats, 0);
  replay(accesses, new DmdTracker());
  let [bestWallMs, bestCpuMs] = [Infinity, Infinity];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const [start, cpuStart] = [performance.now(), process.cpuUsage()];
    replay(accesses, new DmdTracker());
    const cpu = process.cpuUsage(cpuStart);
    bestWallMs = Math.min(bestWallMs, performance.now() - start);
    bestCpuMs = Math.min(bestCpuMs, (cpu.user + cpu.system) / 1000);
  }
  return {
    element_accesses: elementAccesses,
    accesses_per_second: elementAccesses / (bestWallMs / 1000),
    accesses_per_cpu_second: elementAccesses / (bestCpuMs / 1000),
  };
}

export function measureStackDistance(config: TrainConfigInput = {}, epochs = 3, sampledEvery = 16, seeds = benchSeeds.slice(0, 3)): StackDistanceBench {
  const rate = accessRate(config);
  warmUp(config);
  const parsed = parseTrainConfig({ ...config, max_epochs: epochs });
  const untracked: number[] = [];
  const tracked: number[] = [];
  const sampled: number[] = [];
  for (const seed of seeds) {
    const plain = train(parsed, seed, clock);
    const full = train(parsed, seed, { ...clock, tracker: new InstrumentedTracker() });
    const sparse = train(parsed, seed, { ...clock, tracker: new InstrumentedTracker({ granularity: { every: sampledEvery } }) });
    untracked.push(plain.elapsed_ms / plain.epochs);
    tracked.push(full.elapsed_ms / full.epochs);
    sampled.push(sparse.elapsed_ms / sparse.epochs);
  }
  const [untrackedMs, trackedMs, sampledMs] = [median(untracked), median(tracked), median(sampled)];
  return {
    ...rate,
    epochs,
    untracked_ms_per_epoch: untrackedMs,
    tracked_ms_per_epoch: trackedMs,
    sampled_every: sampledEvery,
    sampled_ms_per_epoch: sampledMs,
    ratio: trackedMs / untrackedMs,
    sampled_ratio: sampledMs / untrackedMs,
  };
}
