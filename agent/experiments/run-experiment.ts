// Runs a spec: every arm x seed on worker threads, then the statistics, into one ExperimentResults.
// Writing files is separate (write-outputs.ts), so reproduce can re-run without touching anything.
import { withHeadline } from '../findings/verdict-text.js';
import { expandArms, summarizeExperiment, type ArmRuns, type ExperimentResults, type ExperimentRun, type Spec } from '../../core/index.js';
import { coreHash, gitCommit, packageVersion } from '../io/provenance.js';
import { defaultWorkerCount, runJobs, type PoolProgress } from '../io/worker-pool.js';
import type { TrainJob } from '../io/train-worker.js';
import { resultsHash, specHash } from '../io/hash.js';
import { reusableRun, specJobs, type Ledger } from './ledger.js';

/** Runs the jobs somewhere (local threads by default, or the queue) and returns the runs in job order. */
export type RunExecutor = (jobs: TrainJob[], options: { workers: number; onProgress?: (progress: PoolProgress) => void }) => Promise<ExperimentRun[]>;

export const localExecutor: RunExecutor = (jobs, options) => runJobs(jobs, options);

export type ExecuteSpecOptions = {
  workspace: string;
  workers?: number;
  /** Where the runs train; default: worker threads on this machine. */
  executor?: RunExecutor;
  onStart?: (total: number) => ((progress: PoolProgress) => void) | void;
  /** Runs already made in the workspace: an identical run (same key, same core) is taken from here, not trained. */
  ledger?: Ledger;
  now: () => Date;
};

export async function executeSpec(spec: Spec, options: ExecuteSpecOptions): Promise<ExperimentResults> {
  const arms = expandArms(spec);
  const jobs = specJobs(spec);
  const core = await coreHash();
  const reused = jobs.map((job) => (options.ledger ? reusableRun(options.ledger, job, core) : null));
  const fresh = jobs.filter((_job, index) => !reused[index]);
  const workers = options.workers ?? defaultWorkerCount();
  const startedAt = options.now();
  const onProgress = options.onStart?.(fresh.length) ?? undefined;
  const trained = fresh.length ? await (options.executor ?? localExecutor)(fresh, { workers, ...(onProgress ? { onProgress } : {}) }) : [];
  let next = 0;
  const runs: ExperimentRun[] = reused.map((entry) => entry?.run ?? trained[next++]!);
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
      core_hash: core,
      package_version: await packageVersion(),
      node_version: process.version,
      git_commit: await gitCommit(options.workspace),
      started_at: startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
      wall_ms: finishedAt.getTime() - startedAt.getTime(),
      workers,
      ...(reused.some(Boolean) ? { reused_runs: reusedRuns(arms, spec.seeds.length, reused) } : {}),
    },
    arms: armRuns,
    summary: withHeadline(summarizeExperiment(spec, armRuns)),
    results_hash: resultsHash(spec, armRuns),
  };
}

/** Which runs came from the ledger, and from which experiment (results_hash is the same either way). */
function reusedRuns(arms: { name: string }[], seeds: number, reused: ({ experiment_id: string; seed: number } | null)[]) {
  return reused.flatMap((entry, index) => (entry ? [{ arm: arms[Math.floor(index / seeds)]!.name, seed: entry.seed, from: entry.experiment_id }] : []));
}
