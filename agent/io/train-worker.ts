// Worker-thread entry: runs one (config, seed) training job. Kept tiny so the bench is isolated
// from the agent: the worker imports only the core.
import { MemTracker, train, type RunResult, type TrainConfig } from '../../core/index.js';

export type TrainJob = { config: TrainConfig; seed: number; track: boolean; timeLimitMs: number };

export default function runTrainJob(job: TrainJob): RunResult {
  const tracker = job.track ? new MemTracker() : undefined;
  return train(job.config, job.seed, { now: () => performance.now(), timeLimitMs: job.timeLimitMs, ...(tracker ? { tracker } : {}) });
}
