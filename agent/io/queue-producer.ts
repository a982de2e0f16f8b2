// The coordinator side of the run queue: puts an experiment's runs on BullMQ and collects the results in job
// order, the same runs the local thread pool gives. Job ids are content hashes, so a restarted coordinator or a
// second one asking for the same runs finds the jobs already there (finished ones are reused, not re-run).
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Job, Queue } from 'bullmq';
import type { CrashedRun, ExperimentRun } from '../../core/index.js';
import { coreHash as computeCoreHash, gitCommit, packageRoot } from './provenance.js';
import {
  connectionOptions,
  isRefusalNotice,
  redactQueueUrl,
  redactSecrets,
  RUN_QUEUE_NAME,
  runJobId,
  type QueuedRunData,
  type QueuedRunResult,
} from './queue-connection.js';
import { formatQueueProgress, type QueueTally } from './queue-progress.js';
import type { TrainJob } from './train-worker.js';
import { runJobs, type PoolProgress } from './worker-pool.js';

export type QueueRunProgress = PoolProgress & { worker: string };

export type QueueRunOptions = {
  url: string;
  /** The coordinator's core hash; default: computed from this checkout. */
  coreHash?: string;
  /** Train every run again instead of reusing finished jobs (reproduce): the job ids get a one-off salt. */
  fresh?: boolean;
  /** Tries per run on the workers before it is recorded as crashed with the worker's error. */
  attempts?: number;
  pollMs?: number;
  /** No run started or finished for this long: reported (and with fallbackLocal, the rest run here). */
  noWorkerTimeoutMs?: number;
  fallbackLocal?: boolean;
  localWorkers?: number;
  /** Aborting cancels the outstanding jobs (running ones finish and stay for a re-run) and rejects. */
  signal?: AbortSignal;
  onProgress?: (progress: QueueRunProgress) => void;
  log: (line: string) => void;
};

type Slot = { id: string; indices: number[]; job: TrainJob };

/** Runs every job on the queue; results come back in job order. */
export async function runJobsOnQueue(jobs: TrainJob[], options: QueueRunOptions): Promise<ExperimentRun[]> {
  const core = options.coreHash ?? (await computeCoreHash());
  const commit = await gitCommit(packageRoot());
  const queue = new Queue<QueuedRunData, QueuedRunResult>(RUN_QUEUE_NAME, { connection: connectionOptions(options.url) });
  queue.on('error', (error) => options.log(`queue: ${redactSecrets(error.message, options.url)}`));
  const slots = slotsOf(jobs, core, options.fresh ? `-${randomUUID().slice(0, 8)}` : '');
  const runs: ExperimentRun[] = new Array(jobs.length);
  const tally: QueueTally = { done: 0, total: jobs.length, reused: 0, byWorker: new Map(), connected: [], started: performance.now() };
  const record = (slot: Slot, run: ExperimentRun, worker: string) => {
    for (const index of slot.indices) {
      runs[index] = run;
      tally.done++;
      options.onProgress?.({ done: tally.done, total: jobs.length, job: jobs[index]!, run, worker });
    }
    tally.byWorker.set(worker, (tally.byWorker.get(worker) ?? 0) + slot.indices.length);
  };
  try {
    await queue.waitUntilReady();
    const attempts = options.attempts ?? 3;
    const add = (pending: Slot[]) =>
      queue.addBulk(
        pending.map((slot) => ({
          name: 'run',
          data: { train: slot.job, core_hash: core, coordinator_commit: commit },
          opts: {
            jobId: slot.id,
            attempts,
            backoff: { type: 'fixed', delay: 500 },
            removeOnComplete: { age: 14 * 86_400 },
            removeOnFail: { age: 14 * 86_400 },
          },
        })),
      );
    await add(slots);
    options.log(`queue: ${slots.length} runs on ${redactQueueUrl(options.url)} (core ${core.slice(0, 12)})`);
    await collect(queue, slots, { ...options, attempts, add, record, tally });
    return runs;
  } finally {
    await queue.close();
  }
}

/** One slot per distinct job id: two arms with the same config and seed share one run. */
function slotsOf(jobs: TrainJob[], core: string, salt: string): Slot[] {
  const byId = new Map<string, Slot>();
  jobs.forEach((job, index) => {
    const id = runJobId(job, core) + salt;
    const slot = byId.get(id) ?? { id, indices: [], job };
    slot.indices.push(index);
    byId.set(id, slot);
  });
  return [...byId.values()];
}

type CollectContext = QueueRunOptions & {
  attempts: number;
  add: (slots: Slot[]) => Promise<unknown>;
  record: (slot: Slot, run: ExperimentRun, worker: string) => void;
  tally: QueueTally;
};

/** Polls the jobs' states until every run is in (polling, not events: nothing is missed across a restart). */
async function collect(queue: Queue<QueuedRunData, QueuedRunResult>, slots: Slot[], context: CollectContext): Promise<void> {
  let outstanding = [...slots];
  let lastActivity = performance.now();
  let reportedIdle = false;
  const refusals = new Set<string>();
  let firstPass = true;
  let lastWorkerCheck = -Infinity;
  while (outstanding.length > 0) {
    if (context.signal?.aborted) await cancel(queue, outstanding, context);
    const still: Slot[] = [];
    let active = false;
    const states = await Promise.all(outstanding.map((slot) => queue.getJobState(slot.id))); // sent together, not one round trip each
    for (const [index, slot] of outstanding.entries()) {
      const state = states[index]!;
      const job =
        state === 'completed' || state === 'failed' || state === 'delayed' || state === 'unknown'
          ? await Job.fromId<QueuedRunData, QueuedRunResult>(queue, slot.id)
          : undefined;
      if (state === 'completed' && job?.returnvalue) {
        if (firstPass) context.tally.reused += slot.indices.length;
        context.record(slot, job.returnvalue.run, job.returnvalue.worker);
      } else if (state === 'failed' && job) {
        context.log(`queue: seed ${slot.job.seed} failed after ${job.attemptsMade} attempt(s): ${job.failedReason}`);
        context.record(slot, crashedRun(slot.job, job), job.processedBy ?? 'unknown');
      } else {
        if (state === 'unknown') await context.add([slot]); // removed meanwhile (another coordinator cancelled it): ask again
        if (state === 'active') active = true;
        if (job && isRefusalNotice(job.progress) && !refusals.has(job.progress.refused_by)) {
          refusals.add(job.progress.refused_by);
          context.log(`queue: worker ${job.progress.refused_by} refuses this experiment's runs: ${job.progress.message}`);
        }
        still.push(slot);
      }
    }
    if (still.length < outstanding.length || active) {
      lastActivity = performance.now();
      reportedIdle = false;
    }
    if (!firstPass && still.length < outstanding.length) context.log(formatQueueProgress(context.tally, performance.now()));
    if (firstPass && context.tally.reused > 0) context.log(`queue: ${context.tally.reused} of ${context.tally.total} runs already finished, reused`);
    firstPass = false;
    outstanding = still;
    if (outstanding.length === 0) break;
    if (performance.now() - lastWorkerCheck > 5000) {
      context.tally.connected = (await queue.getWorkers()).map((client) => workerNameOf(client['rawname'] ?? ''));
      lastWorkerCheck = performance.now();
    }
    const idleMs = performance.now() - lastActivity;
    if (idleMs > (context.noWorkerTimeoutMs ?? 60_000) && !reportedIdle) {
      reportedIdle = true;
      context.log(
        `queue: no worker has taken a run for ${Math.round(idleMs / 1000)} s (${context.tally.connected.length} connected, ${outstanding.length} runs waiting); start one with: lab worker --queue ${redactQueueUrl(context.url)}`,
      );
      if (context.fallbackLocal) outstanding = await runHere(queue, outstanding, context);
    }
    // An abort only cuts the pause short: the loop's next turn cancels the outstanding runs.
    await delay(context.pollMs ?? 250, undefined, context.signal ? { signal: context.signal } : {}).catch(() => undefined);
  }
}

function crashedRun(train: TrainJob, job: Job<QueuedRunData, QueuedRunResult>): CrashedRun {
  const elapsed = job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : 0;
  return { seed: train.seed, status: 'crashed', message: job.failedReason, elapsed_ms: elapsed };
}

/** Fallback: takes the waiting runs off the queue and trains them on local threads. */
async function runHere(queue: Queue, outstanding: Slot[], context: CollectContext): Promise<Slot[]> {
  const taken: Slot[] = [];
  const left: Slot[] = [];
  for (const slot of outstanding) ((await queue.remove(slot.id)) === 1 ? taken : left).push(slot);
  context.log(`queue: running ${taken.length} runs on local threads instead`);
  const runs = await runJobs(
    taken.map((slot) => slot.job),
    context.localWorkers ? { workers: context.localWorkers } : {},
  );
  taken.forEach((slot, index) => context.record(slot, runs[index]!, 'local'));
  return left;
}

/** Ctrl-C: removes the runs not yet taken; running ones finish on their workers and stay for a re-run. */
async function cancel(queue: Queue, outstanding: Slot[], context: CollectContext): Promise<never> {
  let removed = 0;
  for (const slot of outstanding) removed += await queue.remove(slot.id);
  context.log(`queue: cancelled ${removed} waiting runs; ${outstanding.length - removed} already running finish on their workers and are kept for a re-run`);
  throw context.signal!.reason ?? new Error('cancelled');
}

function workerNameOf(rawName: string): string {
  const marker = rawName.indexOf(':w:');
  return marker >= 0 ? rawName.slice(marker + 3) : rawName || 'unnamed';
}

/** The queue as a run executor for executeSpec (its `workers` is the fallback's thread count). */
export function queueExecutor(options: Omit<QueueRunOptions, 'onProgress' | 'localWorkers'>) {
  return (jobs: TrainJob[], run: { workers: number; onProgress?: (progress: PoolProgress) => void }): Promise<ExperimentRun[]> =>
    runJobsOnQueue(jobs, { ...options, localWorkers: run.workers, ...(run.onProgress ? { onProgress: run.onProgress } : {}) });
}
