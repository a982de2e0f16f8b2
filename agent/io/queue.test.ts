// The run queue end to end: a real redis-server on 127.0.0.1 (started here, stopped after), real `lab worker`
// and `lab run --queue` processes, tiny specs. Same results_hash as local threads; a SIGKILLed worker, a second
// coordinator asking for the same runs and a killed coordinator lose nothing and re-run nothing.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ExperimentResults, SpecInput } from '../../core/index.js';
import { startLab, waitFor, type LabExit, type LabProcess } from '../cycle/test-helpers/lab-process.js';
import { createTestWorkspace, removeTestWorkspaces, smallSpec } from '../cycle/test-helpers/workspace.js';
import { executeSpec } from '../experiments/run-experiment.js';
import { parseSpecText, renderSpecText } from '../experiments/spec-file.js';
import { connectionOptions, RUN_QUEUE_NAME } from './queue-connection.js';
import { startRedisServer, type RedisTestServer } from './redis-test-server.js';

const directories: string[] = [];
const started: LabProcess[] = [];
let servers: RedisTestServer[] = [];

afterEach(async () => {
  for (const lab of started.splice(0)) if (lab.child.exitCode === null && lab.child.signalCode === null) lab.child.kill('SIGKILL');
  for (const server of servers.splice(0)) await server.stop();
});
afterAll(() => {
  directories.forEach((directory) => rmSync(directory, { recursive: true, force: true }));
  removeTestWorkspaces();
});

function workspaceWith(spec: SpecInput): string {
  const directory = mkdtempSync(join(tmpdir(), 'parity-lab-queue-'));
  directories.push(directory);
  mkdirSync(join(directory, 'experiments'));
  writeFileSync(join(directory, `experiments/${spec.id}.md`), specText(spec));
  return directory;
}

function specText(spec: SpecInput): string {
  return renderSpecText(spec, '\nA queue test experiment.\n');
}

async function redis(password?: string): Promise<RedisTestServer> {
  const server = await startRedisServer(password ? { password } : {});
  servers.push(server);
  return server;
}

function lab(args: string[], cwd: string): LabProcess {
  const process = startLab(args, cwd);
  started.push(process);
  return process;
}

async function startWorker(url: string, cwd: string, name: string): Promise<LabProcess> {
  const worker = lab(['worker', '--queue', url, '--concurrency', '1', '--stall-ms', '1500', '--name', name], cwd);
  await waitFor(`worker ${name} ready`, () => worker.output().stderr.includes('taking runs'));
  return worker;
}

/** Job ids a worker finished, from its log lines. */
function finishedBy(worker: LabProcess): string[] {
  return [...worker.output().stderr.matchAll(/: (run-[0-9a-f]+) seed \d+ done/g)].map((match) => match[1]!);
}

async function localHash(spec: SpecInput): Promise<string> {
  const { spec: parsed } = parseSpecText(specText(spec), `experiments/${spec.id}.md`);
  const results = await executeSpec(parsed, { workspace: tmpdir(), now: () => new Date(), workers: 2 });
  return results.results_hash;
}

async function queuedRun(spec: SpecInput, url: string, workspace = workspaceWith(spec)) {
  const coordinator = lab(['run', `experiments/${spec.id}.md`, '--workspace', workspace, '--queue', url, '--json'], workspace);
  const exit = await coordinator.exited;
  expect(exit.code, exit.stderr).toBe(0);
  return { exit, results: JSON.parse(exit.stdout) as ExperimentResults, workspace };
}

function allText(directory: string): string {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

/** Runs of under a second each that end at max_epochs (not at a time limit), so their results are exact. */
function secondLongSpec(id: string, seeds: number[]): SpecInput {
  return {
    ...smallSpec(id),
    base: { n_bits: 30, k: 6, hidden: 64, n_train: 2000, n_test: 200, max_epochs: 15, lr: 0.01 },
    arms: [{ name: 'baseline', baseline: true, overrides: {} }],
    seeds,
    seeds_reason: 'queue fault tests: a few runs of under a second',
    metric: { name: 'best_test_acc' },
    time_limit: 60,
  };
}

describe('the run queue', () => {
  it('gives the same results_hash with two worker processes as on local threads, and never shows the password', async () => {
    const spec = smallSpec('queue-two', { seeds: '42-45', seeds_reason: 'kept small so the test stays fast' });
    const password = 'queue-secret-4711';
    const server = await redis(password);
    const [first, second] = [await startWorker(server.url, tmpdir(), 'first'), await startWorker(server.url, tmpdir(), 'second')];
    const { exit, results, workspace } = await queuedRun(spec, server.url);
    expect(results.results_hash).toBe(await localHash(spec));
    const done = [...finishedBy(first!), ...finishedBy(second!)];
    expect(done).toHaveLength(8);
    expect(new Set(done).size).toBe(8);
    expect(exit.stderr).toMatch(/queue: runs 8\/8 \(by worker: .*\d+ connected\)/);
    for (const text of [exit.stdout, exit.stderr, first!.output().stderr, second!.output().stderr, allText(workspace)]) expect(text).not.toContain(password);
    expect(exit.stderr).toContain('redis://:***@127.0.0.1');
    first!.child.kill('SIGTERM'); // Ctrl-C on a worker: it finishes the runs in hand and exits cleanly
    expect((await first!.exited).code).toBe(0);
  });

  it('completes with the same hash when a worker is killed with SIGKILL in the middle of a run', async () => {
    const spec = secondLongSpec('queue-kill', [42, 43]);
    const server = await redis();
    const doomed = await startWorker(server.url, tmpdir(), 'doomed');
    const coordinator = lab(['run', 'experiments/queue-kill.md', '--queue', server.url, '--json'], workspaceWith(spec));
    const victim = await waitFor('a run started on the doomed worker', () => doomed.output().stderr.match(/(run-[0-9a-f]+) seed \d+ started/)?.[1] ?? null);
    doomed.child.kill('SIGKILL');
    const rescuer = await startWorker(server.url, tmpdir(), 'rescuer');
    const exit = await coordinator.exited;
    expect(exit.code, exit.stderr).toBe(0);
    expect(finishedBy(doomed)).not.toContain(victim);
    expect(finishedBy(rescuer)).toContain(victim); // taken again after the stall interval
    expect((JSON.parse(exit.stdout) as ExperimentResults).results_hash).toBe(await localHash(spec));
  });

  it('refuses jobs from a coordinator with a different core hash, saying which side to update', async () => {
    const spec = smallSpec('queue-core', { seeds: [42], seeds_reason: 'one seed is enough to be refused' });
    const server = await redis();
    const workspace = workspaceWith(spec);
    // A second checkout of the lab with one core file changed: the coordinator's core hash differs from the worker's.
    const other = copyOfLabWithChangedCore();
    const coordinator = startLabFrom(other, ['run', 'experiments/queue-core.md', '--workspace', workspace, '--queue', server.url], workspace);
    const worker = await startWorker(server.url, tmpdir(), 'strict');
    await waitFor('the refusal', () => worker.output().stderr.includes('refusing runs of core'));
    await waitFor('the coordinator to hear of it', () => coordinator.output().stderr.includes('worker strict refuses'));
    // The copy is no git checkout, so the worker cannot tell which side is older: it asks for the same commit on both.
    expect(worker.output().stderr).toMatch(
      /the coordinator's core hash [0-9a-f]{12} differs from this worker's [0-9a-f]{12}.*same lab commit \(git pull && npm ci\)/,
    );
    expect(finishedBy(worker)).toEqual([]);
    coordinator.child.kill('SIGINT');
    const exit = await coordinator.exited;
    expect(exit.code).not.toBe(0);
    expect(exit.stderr).toMatch(/queue: cancelled \d waiting runs/);
  });

  it('runs a job once when two coordinators ask for the same runs, and ignores it when it is delivered again', async () => {
    const spec = smallSpec('queue-twice', { seeds: '42-44', seeds_reason: 'kept small so the test stays fast' });
    const server = await redis();
    const worker = await startWorker(server.url, tmpdir(), 'only');
    const [one, two] = await Promise.all([queuedRun(spec, server.url), queuedRun(spec, server.url)]);
    expect(one.results.results_hash).toBe(two.results.results_hash);
    expect(finishedBy(worker)).toHaveLength(6);
    expect(new Set(finishedBy(worker)).size).toBe(6);
    const queue = new Queue(RUN_QUEUE_NAME, { connection: connectionOptions(server.url) });
    try {
      const id = finishedBy(worker)[0]!;
      const existing = (await queue.getJob(id))!;
      await queue.add('run', existing.data, { jobId: id }); // the same job delivered again
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await queue.getJobCounts('completed', 'waiting', 'active')).toMatchObject({ completed: 6, waiting: 0, active: 0 });
      expect(finishedBy(worker)).toHaveLength(6);
    } finally {
      await queue.close();
    }
    expect((await queuedRun(spec, server.url)).exit.stderr).toContain('6 of 6 runs already finished, reused');
  });

  it('resumes an experiment after the coordinator is killed, without re-running its finished runs', async () => {
    const spec = secondLongSpec('queue-resume', [42, 43, 44, 45]);
    spec.base = { ...spec.base, max_epochs: 8 };
    const server = await redis();
    const worker = await startWorker(server.url, tmpdir(), 'steady');
    const workspace = workspaceWith(spec);
    const killed = lab(['run', 'experiments/queue-resume.md', '--queue', server.url], workspace);
    await waitFor('two runs finished', () => finishedBy(worker).length >= 2);
    killed.child.kill('SIGKILL');
    await killed.exited;
    const { exit, results } = await queuedRun(spec, server.url, workspace);
    expect(exit.stderr).toMatch(/queue: [2-4] of 4 runs already finished, reused/);
    expect(finishedBy(worker)).toHaveLength(4);
    expect(new Set(finishedBy(worker)).size).toBe(4);
    expect(results.results_hash).toBe(await localHash(spec));
  });

  it("runs a cycle's experiment on the queue with lab cycle --queue, and the commit never holds the URL", async () => {
    const password = 'cycle-secret-0815';
    const server = await redis(password);
    const worker = await startWorker(server.url, tmpdir(), 'night');
    const workspace = await createTestWorkspace();
    const base = workspace.head();
    const cycle = lab(['cycle', '--workspace', workspace.dir, '--planner', 'builtin', '--queue', server.url], workspace.dir);
    const exit = await cycle.exited;
    expect(exit.code, exit.stderr).toBe(0);
    expect(finishedBy(worker)).toHaveLength(10); // tiny-lr: 2 arms x 5 seeds, all trained by the worker
    expect(workspace.git('rev-list', '--count', `${base}..HEAD`).trim()).toBe('1');
    expect(workspace.git('log', '-p', '--all')).not.toContain(password);
    expect(exit.stdout + exit.stderr).not.toContain(password);
  });
});

/** A copy of this lab (dist, bin, package.json, core sources; node_modules linked) whose core/ differs by one comment. */
function copyOfLabWithChangedCore(): string {
  const root = join(import.meta.dirname, '..', '..');
  const copy = mkdtempSync(join(tmpdir(), 'parity-lab-othercore-'));
  directories.push(copy);
  for (const part of ['dist', 'bin', 'core', 'package.json']) cpSync(join(root, part), join(copy, part), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  writeFileSync(join(copy, 'core', 'config.ts'), readFileSync(join(copy, 'core', 'config.ts'), 'utf8') + '\n// a change the worker has not got\n');
  return copy;
}

/** `lab` from another checkout, as a process (startLab runs this checkout's bin). */
function startLabFrom(root: string, args: string[], cwd: string): LabProcess {
  const child = spawn(process.execPath, [join(root, 'bin', 'lab.js'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<LabExit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const process_: LabProcess = { child, pid: child.pid!, output: () => ({ stdout, stderr }), exited };
  started.push(process_);
  return process_;
}
