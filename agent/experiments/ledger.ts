// The ledger: every run ever made in a workspace, read from results/*/results.json, keyed by what makes a
// run reproducible: (config, seed, time limit, tracking, core hash), the same key the job queue uses. The
// runner reuses a run it finds here instead of training it again; the planners dedupe experiments by it.
// A run that finished inside its limit is the same run under any limit it stays inside, so a job whose only
// difference is the time limit (a budget lowers it) finds it too.
import { join } from 'node:path';
import { expandArms, needsTracking, type ExperimentResults, type ExperimentRun, type Spec, type TrainConfig } from '../../core/index.js';
import { runJobId } from '../io/queue-connection.js';
import type { TrainJob } from '../io/train-worker.js';
import { listNames } from '../io/workspace-files.js';
import { readResultsFile } from './results-file.js';

export type LedgerRun = {
  key: string;
  experiment_id: string;
  arm: string;
  baseline: boolean;
  seed: number;
  config: TrainConfig;
  time_limit: number;
  track: boolean;
  core_hash: string;
  run: ExperimentRun;
  finished_at: string;
};

export type Ledger = {
  /** The experiments the runs come from, as read, oldest first (by finished_at, then id). */
  experiments: ExperimentResults[];
  /** Every run, oldest experiment first. */
  runs: LedgerRun[];
  /** The first (oldest) run under each key. */
  byKey: ReadonlyMap<string, LedgerRun>;
  /** The first run under each key without its time limit that ended on its own (not crashed, not timed out). */
  finishedByLimitlessKey: ReadonlyMap<string, LedgerRun>;
  /** Results files that could not be read (named, with the reason); their runs are not in the ledger. */
  problems: string[];
};

/** One training job per arm x seed, in the order the runner makes them (arm-major). */
export function specJobs(spec: Spec): TrainJob[] {
  const track = needsTracking(spec);
  const sampled = spec.track_every !== undefined && spec.track_every > 1 ? { trackEvery: spec.track_every } : {};
  return expandArms(spec).flatMap((arm) => spec.seeds.map((seed) => ({ config: arm.config, seed, track, ...sampled, timeLimitMs: spec.time_limit * 1000 })));
}

/** The ledger key of every run a spec makes, in job order. */
export function specRunKeys(spec: Spec, coreHash: string): string[] {
  return specJobs(spec).map((job) => runJobId(job, coreHash));
}

/** The ledger of these experiments' results (oldest first by finished_at). */
export function ledgerOf(experiments: readonly ExperimentResults[], problems: string[] = []): Ledger {
  const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const ordered = [...experiments].sort((a, b) => compare(a.provenance.finished_at, b.provenance.finished_at) || compare(a.id, b.id));
  const runs: LedgerRun[] = [];
  const byKey = new Map<string, LedgerRun>();
  const finishedByLimitlessKey = new Map<string, LedgerRun>();
  for (const results of ordered) {
    const jobs = specJobs(results.spec);
    results.arms.forEach((arm, armIndex) => {
      arm.runs.forEach((run, seedIndex) => {
        const job = jobs[armIndex * results.spec.seeds.length + seedIndex];
        if (!job) return;
        const armJob = { ...job, config: arm.config };
        const entry: LedgerRun = {
          key: runJobId(armJob, results.provenance.core_hash),
          experiment_id: results.id,
          arm: arm.name,
          baseline: arm.baseline,
          seed: run.seed,
          config: arm.config,
          time_limit: results.spec.time_limit,
          track: job.track,
          core_hash: results.provenance.core_hash,
          run,
          finished_at: results.provenance.finished_at,
        };
        runs.push(entry);
        if (!byKey.has(entry.key)) byKey.set(entry.key, entry);
        const limitless = limitlessKey(armJob, results.provenance.core_hash);
        if (endedOnItsOwn(entry) && !finishedByLimitlessKey.has(limitless)) finishedByLimitlessKey.set(limitless, entry);
      });
    });
  }
  return { experiments: ordered, runs, byKey, finishedByLimitlessKey, problems };
}

/** Reads every results/<id>/results.json of a workspace; an unreadable one is named in `problems`, not fatal. */
export async function readLedger(workspace: string): Promise<Ledger> {
  const ids = await listNames(join(workspace, 'results'));
  const experiments: ExperimentResults[] = [];
  const problems: string[] = [];
  for (const id of ids.sort()) {
    if (id.includes('.')) continue; // results/README.md and other files
    try {
      experiments.push(await readResultsFile(workspace, id));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return ledgerOf(experiments, problems);
}

/** A crash may be transient and a timeout depends on the machine's speed: runs that ended so are trained again. */
const endedOnItsOwn = (entry: LedgerRun) => entry.run.status !== 'crashed' && entry.run.status !== 'timeout';

/** The job's key with its time limit left out. */
const limitlessKey = (job: TrainJob, coreHash: string) => runJobId({ ...job, timeLimitMs: 0 }, coreHash);

/**
 * A recorded run the runner may reuse for this job: same key, or the same run under another time limit that ended
 * on its own within this job's limit, and in either case a run whose outcome does not depend on the machine.
 */
export function reusableRun(ledger: Ledger, job: TrainJob, coreHash: string): LedgerRun | null {
  const entry = ledger.byKey.get(runJobId(job, coreHash));
  if (entry) return endedOnItsOwn(entry) && entry.run.seed === job.seed ? entry : null;
  const other = ledger.finishedByLimitlessKey.get(limitlessKey(job, coreHash));
  return other && other.run.seed === job.seed && other.run.elapsed_ms <= job.timeLimitMs ? other : null;
}

/** The recorded run that makes this job nothing new: the same key (whatever its outcome), or a reusable run. */
export function knownRun(ledger: Ledger, job: TrainJob, coreHash: string): LedgerRun | null {
  return ledger.byKey.get(runJobId(job, coreHash)) ?? reusableRun(ledger, job, coreHash);
}
