// Runs a spec: every arm x seed on worker threads, then the statistics, into one ExperimentResults.
// Writing files is separate (write-outputs.ts), so reproduce can re-run without touching anything.
import { withHeadline } from '../findings/verdict-text.js';
import { expandArms, needsTracking, summarizeExperiment, type ArmRuns, type ExperimentResults, type ExperimentRun, type Spec } from '../../core/index.js';
import { coreHash, gitCommit, packageVersion } from '../io/provenance.js';
import { defaultWorkerCount, runJobs, type PoolProgress } from '../io/worker-pool.js';
import type { TrainJob } from '../io/train-worker.js';
import { resultsHash, specHash } from '../io/hash.js';

/** Runs the jobs somewhere (local threads by default, or the queue) and returns the runs in job order. */
export type RunExecutor = (jobs: TrainJob[], options: { workers: number; onProgress?: (progress: PoolProgress) => void }) => Promise<ExperimentRun[]>;

export const localExecutor: RunExecutor = (jobs, options) => runJobs(jobs, options);

export type ExecuteSpecOptions = {
  workspace: string;
  workers?: number;
  /** Where the runs train; default: worker threads on this machine. */
  executor?: RunExecutor;
  onStart?: (total: number) => ((progress: PoolProgress) => void) | void;
  now: () => Date;
};

export async function executeSpec(spec: Spec, options: ExecuteSpecOptions): Promise<ExperimentResults> {
  const arms = expandArms(spec);
  const track = needsTracking(spec);
  const sampled = spec.track_every !== undefined && spec.track_every > 1 ? { trackEvery: spec.track_every } : {};
  const jobs: TrainJob[] = arms.flatMap((arm) => spec.seeds.map((seed) => ({ config: arm.config, seed, track, ...sampled, timeLimitMs: spec.time_limit * 1000 })));
  const workers = options.workers ?? defaultWorkerCount();
  const startedAt = options.now();
  const onProgress = options.onStart?.(jobs.length) ?? undefined;
  const runs = await (options.executor ?? localExecutor)(jobs, { workers, ...(onProgress ? { onProgress } : {}) });
  const finishedAt = options.now();
  const armRuns: ArmRuns[] = arms.map((arm, index) => ({
    name: arm.name,
    baseline: arm.baseline,
    config: arm.config,
    runs: runs.slice(index * spec.seeds.length, (index + 1) * spec.seeds.length),
  }));
  return {
    schema_version: 2,
    id: spec.id,
    spec,
    provenance: {
      spec_hash: specHash(spec),
      core_hash: await coreHash(),
      package_version: await packageVersion(),
      node_version: process.version,
      git_commit: await gitCommit(options.workspace),
      started_at: startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
      wall_ms: finishedAt.getTime() - startedAt.getTime(),
      workers,
    },
    arms: armRuns,
    summary: withHeadline(summarizeExperiment(spec, armRuns)),
    results_hash: resultsHash(spec, armRuns),
  };
}
