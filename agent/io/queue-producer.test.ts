// The coordinator's side of the queue in one process, against a real redis-server on 127.0.0.1: a failing run is
// retried a bounded number of times and recorded with the worker's error; no worker is reported and, with the
// option, the runs fall back to local threads; cancelling removes the outstanding jobs.
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainConfigSchema, type ExperimentRun } from '../../core/index.js';
import { startQueueWorker, type QueueWorkerHandle } from './queue-consumer.js';
import { connectionOptions, parseQueueUrl, redactQueueUrl, redactSecrets, RUN_QUEUE_NAME, runJobId } from './queue-connection.js';
import { runJobsOnQueue } from './queue-producer.js';
import { startRedisServer, type RedisTestServer } from './redis-test-server.js';
import type { TrainJob } from './train-worker.js';
import { runJobs } from './worker-pool.js';

const config = TrainConfigSchema.parse({ task: 'parity', n_bits: 8, k: 2, hidden: 32, n_train: 256, n_test: 128, max_epochs: 30 });
const jobs: TrainJob[] = [42, 43].map((seed) => ({ config, seed, track: false, timeLimitMs: 20_000 }));

let server: RedisTestServer | undefined;
let worker: QueueWorkerHandle | undefined;
afterEach(async () => {
  await worker?.close();
  await server?.stop();
  worker = undefined;
  server = undefined;
});

const withoutWallTime = (runs: ExperimentRun[]) => runs.map(({ elapsed_ms: _elapsed, ...rest }) => ({ ...rest, time_to_solve_ms: null }));

describe('the queue coordinator', () => {
  it("retries a failing run a bounded number of times, then records it as crashed with the worker's error", async () => {
    server = await startRedisServer();
    let calls = 0;
    const lines: string[] = [];
    worker = await startQueueWorker({
      url: server.url,
      name: 'flaky',
      log: () => {},
      train: async (job) => (calls++, { seed: job.seed, status: 'crashed', message: `crashed: out of memory on seed ${job.seed}`, elapsed_ms: 1 }),
    });
    const runs = await runJobsOnQueue(jobs, { url: server.url, attempts: 2, pollMs: 50, log: (line) => lines.push(line) });
    expect(runs.map((run) => [run.status, run.status === 'crashed' ? run.message : ''])).toEqual([
      ['crashed', 'crashed: out of memory on seed 42'],
      ['crashed', 'crashed: out of memory on seed 43'],
    ]);
    expect(calls).toBe(4);
    expect(lines.join('\n')).toMatch(/seed 42 failed after 2 attempt\(s\): crashed: out of memory/);
  });

  it('reports a queue with no worker and, with the fallback, trains the runs on local threads with the same results', async () => {
    server = await startRedisServer();
    const lines: string[] = [];
    const queued = await runJobsOnQueue(jobs, {
      url: server.url,
      pollMs: 50,
      noWorkerTimeoutMs: 300,
      fallbackLocal: true,
      localWorkers: 1,
      log: (line) => lines.push(line),
    });
    expect(lines.join('\n')).toMatch(
      /no worker has taken a run for \d+ s \(0 connected, 2 runs waiting\); start one with: lab worker --queue redis:\/\/127\.0\.0\.1:\d+/,
    );
    expect(lines.join('\n')).toContain('running 2 runs on local threads instead');
    expect(withoutWallTime(queued)).toEqual(withoutWallTime(await runJobs(jobs, { workers: 1 })));
  });

  it('cancels the outstanding jobs when its signal is aborted', async () => {
    server = await startRedisServer();
    const controller = new AbortController();
    const lines: string[] = [];
    const running = runJobsOnQueue(jobs, { url: server.url, pollMs: 50, signal: controller.signal, log: (line) => lines.push(line) });
    const queue = new Queue(RUN_QUEUE_NAME, { connection: connectionOptions(server.url) });
    try {
      while (((await queue.getJobCounts('waiting')).waiting ?? 0) < 2) await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort();
      await expect(running).rejects.toThrow(/aborted/);
      expect(await queue.getJobCounts('waiting', 'delayed', 'active', 'completed')).toMatchObject({ waiting: 0, delayed: 0, active: 0, completed: 0 });
      expect(lines.join('\n')).toContain('queue: cancelled 2 waiting runs');
    } finally {
      await queue.close();
    }
  });
});

describe('the queue URL and job ids', () => {
  it('hides the password in every form of the URL it prints', () => {
    expect(redactQueueUrl('redis://:s3cret@db.lan:6379')).toBe('redis://:***@db.lan:6379');
    expect(redactQueueUrl('redis://lab:s3cret@db.lan:6379/2')).toBe('redis://lab:***@db.lan:6379/2');
    expect(redactQueueUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactSecrets('NOAUTH s3cret rejected', 'redis://:s3cret@db.lan:6379')).toBe('NOAUTH *** rejected');
    expect(() => parseQueueUrl('http://:s3cret@db.lan')).toThrow(/expected redis:\/\/ or rediss:\/\/, got http:/);
    expect(() => parseQueueUrl('http://:s3cret@db.lan')).not.toThrow(/s3cret/);
  });

  it('names a job by its config, seed and core hash, and by nothing else', () => {
    const job = jobs[0]!;
    expect(runJobId(job, 'a'.repeat(64))).toBe(runJobId({ ...job, config: { ...job.config } }, 'a'.repeat(64)));
    expect(runJobId(job, 'a'.repeat(64))).not.toBe(runJobId(job, 'b'.repeat(64)));
    expect(runJobId(job, 'a'.repeat(64))).not.toBe(runJobId(jobs[1]!, 'a'.repeat(64)));
    expect(runJobId(job, 'a'.repeat(64))).toMatch(/^run-[0-9a-f]{40}$/);
  });
});
