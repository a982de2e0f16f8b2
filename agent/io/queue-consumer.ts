// The worker side of the run queue: takes runs (one arm x seed each) from BullMQ and trains them on the
// piscina worker threads, so the event loop stays free and BullMQ keeps renewing the job locks. A job from
// a different core is refused (put back for another worker) with a message saying which side to update.
import { hostname } from 'node:os';
import { DelayedError, Worker, type Job } from 'bullmq';
import { Piscina } from 'piscina';
import { execa } from 'execa';
import type { ExperimentRun } from '../../core/index.js';
import { coreHash, gitCommit, packageRoot } from './provenance.js';
import {
  connectionOptions,
  redactQueueUrl,
  redactSecrets,
  RUN_QUEUE_NAME,
  type QueuedRunData,
  type QueuedRunResult,
  type RefusalNotice,
} from './queue-connection.js';
import type { TrainJob } from './train-worker.js';
import { runOne, workerFilename } from './worker-pool.js';

export type QueueWorkerOptions = {
  url: string;
  /** Runs trained at once (one worker thread each). */
  concurrency?: number;
  /** Shown in the coordinator's progress; default host-pid. */
  name?: string;
  /** How long a job's lock lasts: a killed worker's run is taken again after about this long. */
  stallMs?: number;
  /** The worker's own core hash; default: computed from this checkout's core/. */
  coreHash?: string;
  log: (line: string) => void;
  /** Trains one job; default: a piscina thread. Tests replace it to make a run fail. */
  train?: (job: TrainJob) => Promise<ExperimentRun>;
};

export type QueueWorkerHandle = { name: string; coreHash: string; close: () => Promise<void> };

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const name = (options.name ?? `${hostname()}-${process.pid}`).replace(/\s+/g, '-');
  const ownCoreHash = options.coreHash ?? (await coreHash());
  const pool = options.train ? null : new Piscina({ filename: workerFilename(), minThreads: concurrency, maxThreads: concurrency });
  const train = options.train ?? ((job: TrainJob) => runOne(pool!, job));
  const stallMs = options.stallMs ?? 30_000;
  const explain = refusalExplainer(ownCoreHash);
  const refusedOnce = new Set<string>();

  const processor = async (job: Job<QueuedRunData, QueuedRunResult>, token?: string): Promise<QueuedRunResult> => {
    const data = job.data;
    if (data.core_hash !== ownCoreHash) {
      const message = await explain(data);
      if (!refusedOnce.has(data.core_hash)) options.log(`worker ${name}: refusing runs of core ${data.core_hash.slice(0, 12)}: ${message}`);
      refusedOnce.add(data.core_hash);
      const notice: RefusalNotice = { refused_by: name, worker_core_hash: ownCoreHash, message };
      await job.updateProgress(notice);
      await job.moveToDelayed(Date.now() + 2000, token); // then any worker may take it again
      throw new DelayedError();
    }
    const started = performance.now();
    options.log(`worker ${name}: ${job.id} seed ${data.train.seed} started`);
    const run = await train(data.train);
    // A crashed run is thrown, so BullMQ retries it (bounded); its message becomes the final failedReason.
    if (run.status === 'crashed') {
      options.log(`worker ${name}: ${job.id} seed ${data.train.seed} failed (attempt ${job.attemptsMade + 1}): ${run.message}`);
      throw new Error(run.message);
    }
    options.log(`worker ${name}: ${job.id} seed ${data.train.seed} done in ${Math.round(performance.now() - started)} ms`);
    return { worker: name, run };
  };

  const worker = new Worker<QueuedRunData, QueuedRunResult>(RUN_QUEUE_NAME, processor, {
    connection: connectionOptions(options.url),
    concurrency,
    name,
    lockDuration: stallMs,
    stalledInterval: Math.max(500, Math.round(stallMs / 2)),
    maxStalledCount: 3,
    autorun: false,
  });
  worker.on('error', (error) => options.log(`worker ${name}: queue error: ${redactSecrets(error.message, options.url)}`));
  await worker.waitUntilReady();
  void worker.run();
  options.log(
    `worker ${name}: taking runs from ${redactQueueUrl(options.url)} (${concurrency} thread${concurrency === 1 ? '' : 's'}, core ${ownCoreHash.slice(0, 12)})`,
  );
  return {
    name,
    coreHash: ownCoreHash,
    close: async () => {
      await worker.close();
      await pool?.destroy();
    },
  };
}

/** Says which side to update, from the two lab checkouts' git history when this worker's repo knows both commits. */
function refusalExplainer(ownCoreHash: string): (data: QueuedRunData) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (data) => {
    const key = `${data.core_hash}:${data.coordinator_commit}`;
    if (!cache.has(key)) cache.set(key, explainRefusal(data, ownCoreHash));
    return cache.get(key)!;
  };
}

async function explainRefusal(data: QueuedRunData, ownCoreHash: string): Promise<string> {
  const root = packageRoot();
  const own = await gitCommit(root);
  const head = `the coordinator's core hash ${data.core_hash.slice(0, 12)} differs from this worker's ${ownCoreHash.slice(0, 12)}, so its runs would not be comparable`;
  const coordinator = data.coordinator_commit;
  if (!own || !coordinator) return `${head}; put both machines on the same lab commit (git pull && npm ci) and restart the worker`;
  if (own === coordinator) return `${head}; both are at commit ${own.slice(0, 10)}, so one side has uncommitted changes in core/: commit or revert them`;
  if (await isAncestor(root, own, coordinator))
    return `${head}; this worker (commit ${own.slice(0, 10)}) is behind the coordinator (${coordinator.slice(0, 10)}): update this worker (git pull && npm ci) and restart it`;
  if (await isAncestor(root, coordinator, own))
    return `${head}; the coordinator (commit ${coordinator.slice(0, 10)}) is behind this worker (${own.slice(0, 10)}): update the coordinator's lab, or check this worker out at ${coordinator.slice(0, 10)}`;
  return `${head}; the coordinator is at commit ${coordinator.slice(0, 10)}, this worker at ${own.slice(0, 10)}: check out the coordinator's commit here (git fetch && git checkout ${coordinator.slice(0, 10)} && npm ci)`;
}

async function isAncestor(root: string, older: string, newer: string): Promise<boolean> {
  const result = await execa('git', ['merge-base', '--is-ancestor', older, newer], { cwd: root, reject: false });
  return result.exitCode === 0;
}
