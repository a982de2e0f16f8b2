// `npm run bench:queue`: the same 20-run experiment (2 arms x 10 seeds) through the Redis run queue with 1 and
// with 2 `lab worker` processes (one thread each), alternating 1, 2, 2, 1, on a real redis-server on 127.0.0.1.
// Each timing gets fresh job ids, so nothing is reused. Prints one line with the ratio; writes bench/results/queue.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runJobsOnQueue } from '../agent/io/queue-producer.js';
import { startRedisServer } from '../agent/io/redis-test-server.js';
import type { TrainJob } from '../agent/io/train-worker.js';
import { parseTrainConfig, type TrainConfigInput } from '../core/index.js';
import { median } from './measure.js';

const resultsDirectory = fileURLToPath(new URL(import.meta.url.includes('/dist/bench/') ? '../../bench/results/' : './results/', import.meta.url));
const labBin = fileURLToPath(new URL(import.meta.url.includes('/dist/bench/') ? '../../bin/lab.js' : '../bin/lab.js', import.meta.url));

/** Runs of a few hundred ms that end at max_epochs: long enough that queue overhead is small beside them. */
const arms: TrainConfigInput[] = [
  { task: 'parity', n_bits: 30, k: 6, hidden: 64, n_train: 2000, n_test: 200, max_epochs: 8, lr: 0.01 },
  { task: 'parity', n_bits: 30, k: 6, hidden: 64, n_train: 2000, n_test: 200, max_epochs: 8, lr: 0.02 },
];
const seeds = Array.from({ length: 10 }, (_, index) => 42 + index);

function log(message: string): void {
  process.stderr.write(`bench:queue: ${message}\n`);
}

function startWorker(url: string, name: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [labBin, 'worker', '--queue', url, '--concurrency', '1', '--name', name], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('taking runs')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`lab worker exited with ${code}: ${output}`)));
  });
}

async function stopWorker(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.on('close', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function timeWith(url: string, workerCount: number, jobs: TrainJob[]): Promise<number> {
  const workers = await Promise.all(Array.from({ length: workerCount }, (_, index) => startWorker(url, `bench-${index + 1}`)));
  try {
    const start = performance.now();
    const runs = await runJobsOnQueue(jobs, { url, fresh: true, pollMs: 50, log: () => {} });
    const wall = performance.now() - start;
    const failed = runs.filter((run) => run.status !== 'ok');
    if (failed.length) throw new Error(`bench/queue-workers.ts: ${failed.length} runs did not end ok (${JSON.stringify(failed[0]).slice(0, 200)})`);
    return wall;
  } finally {
    await Promise.all(workers.map(stopWorker));
  }
}

async function main(): Promise<void> {
  const jobs: TrainJob[] = arms.flatMap((arm) => seeds.map((seed) => ({ config: parseTrainConfig(arm), seed, track: false, timeLimitMs: 120_000 })));
  const server = await startRedisServer();
  try {
    const times: Record<1 | 2, number[]> = { 1: [], 2: [] };
    for (const count of [1, 2, 2, 1] as const) {
      const wall = await timeWith(server.url, count, jobs);
      times[count].push(wall);
      log(`${jobs.length} runs, ${count} worker process(es): ${(wall / 1000).toFixed(2)} s`);
    }
    const one = median(times[1]);
    const two = median(times[2]);
    const result = {
      runs: jobs.length,
      one_worker_ms: one,
      two_workers_ms: two,
      speedup: one / two,
      repeats: 2,
      cpus: cpus().length,
      load_average: loadavg(),
    };
    mkdirSync(resultsDirectory, { recursive: true });
    writeFileSync(`${resultsDirectory}/queue.json`, JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(
      `queue: the same ${jobs.length}-run experiment, 1 worker process ${(one / 1000).toFixed(2)} s, 2 worker processes ${(two / 1000).toFixed(2)} s: ` +
        `${(one / two).toFixed(2)}x (median of 2 each, alternating; ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(2)})\n`,
    );
  } finally {
    await server.stop();
  }
}

await main();
