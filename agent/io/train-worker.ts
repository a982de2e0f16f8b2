// Worker-thread entry: runs one (config, seed) training job. Kept tiny so the bench is isolated
// from the agent: the worker imports only the core.
import { runTracker, train, type RunResult, type TrainConfig } from '../../core/index.js';

/** trackEvery is set only above 1 (one LRU step in trackEvery), so the ids of existing queued jobs do not change. */
export type TrainJob = { config: TrainConfig; seed: number; track: boolean; trackEvery?: number; timeLimitMs: number };

export default function runTrainJob(job: TrainJob): RunResult {
  // ARD / DMC from the clock model and DMD, cache hits and energy from the LRU stack, on the same accesses.
  const tracker = job.track ? runTracker(job.trackEvery) : undefined;
  return train(job.config, job.seed, { now: () => performance.now(), timeLimitMs: job.timeLimitMs, ...(tracker ? { tracker } : {}) });
}
