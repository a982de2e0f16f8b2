// `npm run bench`: our core side by side with a numpy implementation of the same loop (bench/reference.py),
// in the same run, reported as ratios; then the tracker's cost and the runner's parallel speed-up.
// Speed is measured here, never asserted in tests. Writes bench/results/latest.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { markdownTable } from 'markdown-table';
import { MemTracker, parseTrainConfig, train, type RunResult, type TrainConfigInput } from '../core/index.js';
import { runJobs } from '../agent/io/worker-pool.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const seeds = [42, 43, 44, 45, 46];

type Side = { median_ms_per_epoch: number; median_time_to_solve_ms: number | null; median_epochs: number; solved: number };
type Case = { name: string; config: TrainConfigInput; target: string };

const cases: Case[] = [
  { name: 'SGD batch 32', config: {}, target: 'ours/numpy ms/epoch <= 1' },
  { name: 'SGD batch 1', config: { batch_size: 1 }, target: 'ours/numpy ms/epoch <= 0.33' },
  { name: 'EGD batch 32', config: { optimizer: 'egd' }, target: 'EGD/SGD ms/epoch (ours) <= 1.25' },
  { name: 'sign SGD batch 32 (lr 0.01)', config: { optimizer: 'sign-sgd', lr: 0.01 }, target: '-' },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summarize(runs: { epochs: number; elapsed_ms: number; solve_epoch: number | null; time_to_solve_ms?: number | null }[]): Side {
  const solvedRuns = runs.filter((run) => run.solve_epoch !== null);
  return {
    median_ms_per_epoch: median(runs.map((run) => run.elapsed_ms / run.epochs)),
    median_time_to_solve_ms: solvedRuns.length ? median(solvedRuns.map((run) => run.time_to_solve_ms ?? run.elapsed_ms)) : null,
    median_epochs: median(runs.map((run) => run.epochs)),
    solved: solvedRuns.length,
  };
}

function ours(config: TrainConfigInput, tracked = false): RunResult[] {
  const parsed = parseTrainConfig(config);
  train({ ...parsed, max_epochs: 3 }, 1, { now: () => performance.now() }); // warm-up: let V8 optimize the kernels
  return seeds.map((seed) => train(parsed, seed, { now: () => performance.now(), ...(tracked ? { tracker: new MemTracker() } : {}) }));
}

function numpy(config: TrainConfigInput): { side: Side; blas: string[] } {
  const parsed = parseTrainConfig(config);
  const env = { ...process.env };
  delete env['OPENBLAS_CORETYPE']; // slows a current numpy (see the environment notes); unset both together
  delete env['OPENBLAS_L2_SIZE'];
  const output = execFileSync('python3', [`${root}bench/reference.py`, JSON.stringify({ ...pick(parsed), seeds })], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  const parsedOutput = JSON.parse(output) as { runs: { epochs: number; elapsed_ms: number; solve_epoch: number | null }[]; blas: string[] };
  return { side: summarize(parsedOutput.runs), blas: parsedOutput.blas };
}

function pick(config: ReturnType<typeof parseTrainConfig>) {
  const { n_bits, k, hidden, lr, wd, batch_size, n_train, n_test, max_epochs, optimizer } = config;
  return { n_bits, k, hidden, lr, wd, batch_size, n_train, n_test, max_epochs, optimizer };
}

const fmt = (value: number | null, digits = 2) => (value === null ? '-' : value.toFixed(digits));

/** Wall time of a 10-run experiment on 1 worker and on 2, alternating, median of 3 each (this VM is noisy). */
async function parallelSpeedup(): Promise<{ one: number; all: number; workers: number }> {
  const jobs = [parseTrainConfig({}), parseTrainConfig({ optimizer: 'egd' })].flatMap((config) => seeds.map((seed) => ({ config, seed, track: false, timeLimitMs: 60_000 })));
  const time = async (workers: number) => {
    const start = performance.now();
    await runJobs(jobs, { workers });
    return performance.now() - start;
  };
  await time(2); // warm-up: thread start and module load
  const [ones, alls]: [number[], number[]] = [[], []];
  for (let repeat = 0; repeat < 3; repeat++) {
    ones.push(await time(1));
    alls.push(await time(2));
  }
  return { one: median(ones), all: median(alls), workers: 2 };
}

async function main(): Promise<void> {
  const rows: string[][] = [['case', 'ours ms/epoch', 'numpy ms/epoch', 'ours/numpy', 'ours time to solve (ms)', 'numpy time to solve (ms)', 'epochs ours / numpy', 'solved ours / numpy', 'target']];
  const record: Record<string, unknown> = {};
  let blas: string[] = [];
  let sgdOurs = 0;
  for (const benchCase of cases) {
    const mine = summarize(ours(benchCase.config));
    const reference = numpy(benchCase.config);
    blas = reference.blas;
    if (benchCase.name === 'SGD batch 32') sgdOurs = mine.median_ms_per_epoch;
    const ratio = mine.median_ms_per_epoch / reference.side.median_ms_per_epoch;
    const target = benchCase.name.startsWith('EGD') ? `${benchCase.target} (now ${fmt(mine.median_ms_per_epoch / sgdOurs)})` : benchCase.target;
    rows.push([benchCase.name, fmt(mine.median_ms_per_epoch), fmt(reference.side.median_ms_per_epoch), `${fmt(ratio)}x`, fmt(mine.median_time_to_solve_ms, 0), fmt(reference.side.median_time_to_solve_ms, 0), `${mine.median_epochs} / ${reference.side.median_epochs}`, `${mine.solved}/5 / ${reference.side.solved}/5`, target]);
    record[benchCase.name] = { ours: mine, numpy: reference.side, ratio };
    process.stderr.write(`done: ${benchCase.name}\n`);
  }
  const untracked = summarize(ours({ max_epochs: 20 })).median_ms_per_epoch;
  const tracked = summarize(ours({ max_epochs: 20 }, true)).median_ms_per_epoch;
  const speedup = await parallelSpeedup();
  const extra = [
    ['measure', 'value', 'target'],
    ['tracked / untracked ms/epoch (SGD batch 32, 20 epochs)', `${fmt(tracked / untracked)}x (${fmt(tracked)} vs ${fmt(untracked)} ms)`, '<= 3x'],
    [`runner: 10 runs, 1 worker vs ${speedup.workers} (median of 3)`, `${fmt(speedup.one / speedup.all)}x (${fmt(speedup.one, 0)} vs ${fmt(speedup.all, 0)} ms)`, '>= 1.8x on 2 cores'],
  ];
  record['tracked_over_untracked'] = tracked / untracked;
  record['parallel_speedup'] = speedup;
  record['numpy_blas'] = blas;
  record['node'] = process.version;
  record['date'] = new Date().toISOString();
  console.log(`\nOurs vs numpy (${blas.join('; ')}), medians over seeds 42-46, same machine, same run:\n`);
  console.log(markdownTable(rows));
  console.log('');
  console.log(markdownTable(extra));
  mkdirSync(`${root}bench/results`, { recursive: true });
  writeFileSync(`${root}bench/results/latest.json`, JSON.stringify(record, null, 2) + '\n');
}

await main();
