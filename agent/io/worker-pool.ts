// Runs training jobs on worker threads (piscina), every core by default, each under a hard time limit.
// A job that throws or outlives its limit becomes a CrashedRun: expected failures are data, not exceptions.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { ExperimentRun } from '../../core/index.js';
import type { TrainJob } from './train-worker.js';

export type PoolProgress = { done: number; total: number; job: TrainJob; run: ExperimentRun };

export type RunJobsOptions = {
  workers?: number;
  onProgress?: (progress: PoolProgress) => void;
};

/** The compiled worker file: next to this module in dist/, or in dist/ when running from TypeScript sources. */
export function workerFilename(): string {
  const here = import.meta.url;
  const compiled = here.endsWith('.ts') ? new URL('../../dist/agent/io/train-worker.js', here) : new URL('./train-worker.js', here);
  return fileURLToPath(compiled);
}

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/** Runs every job; results come back in job order whatever the completion order. */
export async function runJobs(jobs: TrainJob[], options: RunJobsOptions = {}): Promise<ExperimentRun[]> {
  const workers = Math.max(1, Math.min(options.workers ?? defaultWorkerCount(), jobs.length || 1));
  const pool = new Piscina({ filename: workerFilename(), minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  const runs: ExperimentRun[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  // One feeder per thread: a job is handed over only when a thread is free, so its hard limit starts when it does.
  const feeder = async () => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index]!;
      runs[index] = await runOne(pool, job);
      done++;
      options.onProgress?.({ done, total: jobs.length, job, run: runs[index]! });
    }
  };
  try {
    await Promise.all(Array.from({ length: workers }, feeder));
    return runs;
  } finally {
    await pool.destroy();
  }
}

/** Grace beyond the job's own time limit before the worker is terminated (the loop checks the limit itself). */
const hardLimitGraceMs = 5000;

/** One job on a pool, under its hard limit; a throw or a kill becomes a CrashedRun (also used by the queue worker). */
export async function runOne(pool: Piscina, job: TrainJob): Promise<ExperimentRun> {
  const controller = new AbortController();
  const started = performance.now();
  const timer = setTimeout(() => controller.abort(), job.timeLimitMs * 1.5 + hardLimitGraceMs);
  try {
    return (await pool.run(job, { signal: controller.signal })) as ExperimentRun;
  } catch (error) {
    const elapsed = performance.now() - started;
    const message = controller.signal.aborted
      ? `killed: still running ${Math.round(elapsed)} ms after start (time limit ${job.timeLimitMs} ms)`
      : `crashed: ${(error as Error).message ?? String(error)}`;
    return { seed: job.seed, status: 'crashed', message, elapsed_ms: elapsed };
  } finally {
    clearTimeout(timer);
  }
}
