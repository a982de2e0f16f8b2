// The wasm backend (core/wasm) side by side with the TS kernels and numpy, in one run: canonical SGD at batch 32 and
// batch 1, EGD's cost over SGD, mod-add p=97 (hidden 512, batch 512) and the fastest-solve config of 20-bit parity.
// Backends are interleaved seed by seed so a busy moment of the shared machine hits all of them.
// `node dist/bench/wasm-backend.js` runs this part alone; `npm run bench` runs it after the main tables.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { markdownTable } from 'markdown-table';
import { parseTrainConfig, train, type RunResult, type TrainConfigInput } from '../core/index.js';
import { Rng } from '../core/random.js';
import { WasmArena } from '../core/wasm/arena.js';
import { benchSeeds, median, summarizeRuns, type SideSummary } from './measure.js';
import { numpyAvailable, runNumpyReference } from './numpy-reference.js';

const backends = {
  ts: {},
  'wasm exact': { backend: 'wasm', backend_mode: 'exact' },
  'wasm fast': { backend: 'wasm', backend_mode: 'fast' },
} satisfies Record<string, TrainConfigInput>;
type BackendLabel = keyof typeof backends;
const labels = Object.keys(backends) as BackendLabel[];

const clock = { now: () => performance.now() };
/** This process's CPU milliseconds: on a shared machine a ratio of two costs in one process is steadier in CPU time. */
const cpuClock = {
  now: () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  },
};
const fmt = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? '-' : value.toFixed(digits));

/** Each backend on every seed, interleaved (after a short warm-up of each). */
function timeBackends(config: TrainConfigInput, seeds = benchSeeds, timer = clock): Record<BackendLabel, RunResult[]> {
  const runs = { ts: [], 'wasm exact': [], 'wasm fast': [] } as Record<BackendLabel, RunResult[]>;
  for (const label of labels) {
    const parsed = parseTrainConfig({ ...config, ...backends[label] });
    train({ ...parsed, max_epochs: Math.min(3, parsed.max_epochs) }, 1, clock);
  }
  for (const seed of seeds) for (const label of labels) runs[label].push(train(parseTrainConfig({ ...config, ...backends[label] }), seed, timer));
  return runs;
}

type Row = { case: string; backend: BackendLabel; ours: SideSummary; numpy: SideSummary | null };

function parityCase(name: string, config: TrainConfigInput, withNumpy: boolean): Row[] {
  const runs = timeBackends(config);
  const numpy = withNumpy ? summarizeRuns(runNumpyReference(config).runs) : null;
  return labels.map((backend) => ({ case: name, backend, ours: summarizeRuns(runs[backend]), numpy }));
}

type EgdCost = { ratio: number; sgd_ms_per_epoch: number; egd_ms_per_epoch: number };

/** CPU ms/epoch of EGD over SGD per backend, same seeds, first `epochs` epochs (before either solves). */
function egdOverSgd(epochs = 12): Record<BackendLabel, EgdCost> {
  const sgd = timeBackends({ max_epochs: epochs }, benchSeeds, cpuClock);
  const egd = timeBackends({ optimizer: 'egd', max_epochs: epochs }, benchSeeds, cpuClock);
  const perEpoch = (runs: RunResult[]) => median(runs.map((run) => run.elapsed_ms / run.epochs));
  const cost = (label: BackendLabel): EgdCost => {
    const [sgdMs, egdMs] = [perEpoch(sgd[label]), perEpoch(egd[label])];
    return { ratio: egdMs / sgdMs, sgd_ms_per_epoch: sgdMs, egd_ms_per_epoch: egdMs };
  };
  return Object.fromEntries(labels.map((label) => [label, cost(label)])) as Record<BackendLabel, EgdCost>;
}

/**
 * CPU microseconds of one exact orthogonalization of a canonical W1 gradient (hidden 200 x n 20, Gaussian, in wasm),
 * the kernel both wasm modes run: beside the budget below it shows how far the Gram route is from EGD <= 1.25x SGD.
 */
function orthogonalizeMicroseconds(rows = 200, cols = 20, calls = 4000): number {
  const arena = new WasmArena(1 << 22);
  const k = arena.exports;
  const grad = arena.allocate(rows * cols);
  const workspace = arena.allocate(k.orthogonalizeWorkspaceBytes(rows, cols) / 4);
  const rng = new Rng(42);
  const gradient = Float32Array.from({ length: rows * cols }, () => 0.01 * rng.normal());
  const timeCalls = () => {
    const start = cpuClock.now();
    for (let call = 0; call < calls; call++) {
      grad.set(gradient);
      k.orthogonalizeExact(grad.byteOffset, rows, cols, workspace.byteOffset);
    }
    return ((cpuClock.now() - start) * 1000) / calls;
  };
  timeCalls();
  return Math.min(timeCalls(), timeCalls(), timeCalls());
}

/** Microseconds per step EGD may add at 1.25x SGD: a quarter of SGD's epoch over its steps (n_train 1000, batch 32). */
const egdBudgetMicroseconds = (cost: EgdCost) => (0.25 * cost.sgd_ms_per_epoch * 1000) / Math.ceil(1000 / 32);

const modAdd = { task: 'mod-add', modulus: 97, hidden: 512, batch_size: 512, max_epochs: 2 } satisfies TrainConfigInput;

function numpyModAdd(epochs: number): number | null {
  if (!numpyAvailable()) return null;
  const script = fileURLToPath(
    new URL(import.meta.url.includes('/dist/bench/') ? '../../bench/wasm-modadd-reference.py' : './wasm-modadd-reference.py', import.meta.url),
  );
  const config = parseTrainConfig(modAdd);
  const request = JSON.stringify({ modulus: 97, hidden: 512, batch_size: 512, epochs, lr: config.lr, wd: config.wd, train_fraction: config.train_fraction });
  // One BLAS thread, like our single-threaded core; the OpenBLAS overrides of this machine unset (see numpy-reference.ts).
  const env = ['-u', 'OPENBLAS_CORETYPE', '-u', 'OPENBLAS_L2_SIZE', 'OPENBLAS_NUM_THREADS=1', 'OMP_NUM_THREADS=1'];
  const output = execFileSync('env', [...env, 'python3', script, request], { encoding: 'utf8' });
  return median((JSON.parse(output) as { ms_per_epoch: number[] }).ms_per_epoch);
}

/** The moonshot config (the best arm of templates/experiments/fastest-solve.md): n=20/k=3, hidden 16, batch 4, lr 0.3, n_train 500, no train-set evaluation; solved = 100% on 200 test samples. */
const fastSolve = { hidden: 16, batch_size: 4, lr: 0.3, n_train: 500, n_test: 200, max_epochs: 200, eval_train_every: 0 } satisfies TrainConfigInput;

export type WasmBench = {
  rows: Row[];
  egd_over_sgd: Record<BackendLabel, EgdCost>;
  /** One exact orthogonalization of a 200 x 20 gradient in wasm, CPU microseconds (see orthogonalizeMicroseconds). */
  egd_transform_us: number;
  mod_add: { ours_ms_per_epoch: Record<BackendLabel, number>; numpy_ms_per_epoch: number | null };
  fast_solve: Record<BackendLabel, SideSummary>;
};

export function benchWasmBackend(): WasmBench {
  const withNumpy = numpyAvailable();
  const rows = [...parityCase('SGD batch 32', {}, withNumpy), ...parityCase('SGD batch 1', { batch_size: 1 }, withNumpy)];
  const egd = egdOverSgd();
  const modRuns = timeBackends(modAdd, [42]);
  const modOurs = Object.fromEntries(labels.map((label) => [label, modRuns[label][0]!.elapsed_ms / modRuns[label][0]!.epochs])) as Record<BackendLabel, number>;
  const solveRuns = timeBackends(fastSolve);
  const fastSolveSummary = Object.fromEntries(labels.map((label) => [label, summarizeRuns(solveRuns[label])])) as Record<BackendLabel, SideSummary>;
  return {
    rows,
    egd_over_sgd: egd,
    egd_transform_us: orthogonalizeMicroseconds(),
    mod_add: { ours_ms_per_epoch: modOurs, numpy_ms_per_epoch: numpyModAdd(3) },
    fast_solve: fastSolveSummary,
  };
}

const ratio = (ours: number | null, theirs: number | null | undefined) => (ours === null || !theirs ? '-' : `${fmt(ours / theirs)}x`);

export function wasmBenchTables(bench: WasmBench): string {
  const cases = markdownTable([
    [
      'case',
      'backend',
      'ours ms/epoch',
      'numpy ms/epoch',
      'ours/numpy ms/epoch',
      'ours time to solve (ms)',
      'ours/numpy time to solve',
      'epochs ours / numpy',
      'solved',
    ],
    ...bench.rows.map((row) => [
      row.case,
      row.backend,
      fmt(row.ours.median_ms_per_epoch, 3),
      fmt(row.numpy?.median_ms_per_epoch, 3),
      ratio(row.ours.median_ms_per_epoch, row.numpy?.median_ms_per_epoch),
      fmt(row.ours.median_time_to_solve_ms, 1),
      ratio(row.ours.median_time_to_solve_ms, row.numpy?.median_time_to_solve_ms),
      `${row.ours.median_epochs} / ${row.numpy?.median_epochs ?? '-'}`,
      `${row.ours.solved}/${row.ours.runs}`,
    ]),
  ]);
  const others = markdownTable([
    ['measure', ...labels],
    ['EGD / SGD CPU ms/epoch (batch 32, first 12 epochs, same seeds)', ...labels.map((label) => `${fmt(bench.egd_over_sgd[label].ratio)}x`)],
    [
      `  EGD may add at 1.25x: us per step (one W1 orthogonalization, 200 x 20, exact: ${fmt(bench.egd_transform_us, 1)} us)`,
      ...labels.map((label) => fmt(egdBudgetMicroseconds(bench.egd_over_sgd[label]), 1)),
    ],
    ['mod-add p=97, hidden 512, batch 512: ms/epoch', ...labels.map((label) => fmt(bench.mod_add.ours_ms_per_epoch[label], 1))],
    [
      `mod-add: ours/numpy per epoch (numpy ${fmt(bench.mod_add.numpy_ms_per_epoch, 1)} ms, 1 BLAS thread)`,
      ...labels.map((label) => ratio(bench.mod_add.ours_ms_per_epoch[label], bench.mod_add.numpy_ms_per_epoch)),
    ],
    [
      'n=20/k=3 hidden 16 batch 4 lr 0.3 n_train 500: median time to solve (ms)',
      ...labels.map((label) => fmt(bench.fast_solve[label].median_time_to_solve_ms, 1)),
    ],
    [
      '  solved (100% test accuracy) / runs; median epochs',
      ...labels.map((label) => `${bench.fast_solve[label].solved}/${bench.fast_solve[label].runs}; ${bench.fast_solve[label].median_epochs}`),
    ],
  ]);
  return `${cases}\n\n${others}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(wasmBenchTables(benchWasmBackend()));
}
