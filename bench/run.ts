// `npm run bench`: our core side by side with numpy running the same loop (bench/reference.py), in the same run,
// as ratios ours/numpy; then the MemTracker's and the DmdTracker's cost, the runner's parallel speed-up and where an epoch's time goes.
// Speed is measured here, never asserted in tests. Prints markdown tables; writes bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { markdownTable } from 'markdown-table';
import { stageNames, type TrainConfigInput } from '../core/index.js';
import { benchSeeds, summarizeRuns, timeOurs, timeSamePhase, timeTrackerCost, type SideSummary, type TrackerCost } from './measure.js';
import { describeBlas, numpyAvailable, runNumpyReference, type BlasInfo } from './numpy-reference.js';
import { measureRunnerSpeedup, type RunnerSpeedup } from './runner-speedup.js';
import { measureStackDistance, type StackDistanceBench } from './stack-distance.js';
import { profileStages, type StageProfile } from './stage-profile.js';
import { benchWasmBackend, wasmBenchTables } from './wasm-backend.js';

const resultsDirectory = fileURLToPath(new URL(import.meta.url.includes('/dist/bench/') ? '../../bench/results/' : './results/', import.meta.url));

type BenchCase = { name: string; config: TrainConfigInput };

/** Epochs of the EGD-vs-SGD per-epoch comparison: before any canonical run of either solves. */
const SAME_PHASE_EPOCHS = 12;

/** Sign SGD steps every weight by lr whatever its gradient; at the canonical lr 0.1 it does not solve, so 0.01. */
const cases: BenchCase[] = [
  { name: 'SGD batch 32', config: {} },
  { name: 'SGD batch 1', config: { batch_size: 1 } },
  { name: 'EGD batch 32', config: { optimizer: 'egd' } },
  { name: 'sign SGD batch 32 (lr 0.01)', config: { optimizer: 'sign-sgd', lr: 0.01 } },
];

type CaseResult = {
  config: TrainConfigInput;
  ours: SideSummary;
  numpy: SideSummary | null;
  ratio_ms_per_epoch: number | null;
  ratio_time_to_solve: number | null;
};
type Target = { measure: string; target: string; measured: string; met: boolean };

const fmt = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? '-' : value.toFixed(digits));
const ratioOf = (ours: number | null, theirs: number | null | undefined) => (ours === null || !theirs ? null : ours / theirs);

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function benchCase(benchCaseSpec: BenchCase, withNumpy: boolean): { result: CaseResult; blas: BlasInfo | null } {
  const ours = summarizeRuns(timeOurs(benchCaseSpec.config));
  const reference = withNumpy ? runNumpyReference(benchCaseSpec.config) : null;
  const numpy = reference ? summarizeRuns(reference.runs) : null;
  log(`${benchCaseSpec.name}: ours ${fmt(ours.median_ms_per_epoch)} ms/epoch, numpy ${fmt(numpy?.median_ms_per_epoch)} ms/epoch`);
  return {
    result: {
      config: benchCaseSpec.config,
      ours,
      numpy,
      ratio_ms_per_epoch: ratioOf(ours.median_ms_per_epoch, numpy?.median_ms_per_epoch),
      ratio_time_to_solve: ratioOf(ours.median_time_to_solve_ms, numpy?.median_time_to_solve_ms),
    },
    blas: reference?.blas ?? null,
  };
}

function casesTable(results: Record<string, CaseResult>): string {
  const header = [
    'case',
    'ours ms/epoch',
    'numpy ms/epoch',
    'ours/numpy ms/epoch',
    'ours time to solve (ms)',
    'numpy time to solve (ms)',
    'ours/numpy time to solve',
    'epochs ours / numpy',
    'solved ours / numpy',
  ];
  const rows = Object.entries(results).map(([name, result]) => [
    name,
    fmt(result.ours.median_ms_per_epoch),
    fmt(result.numpy?.median_ms_per_epoch),
    result.ratio_ms_per_epoch === null ? '-' : `${fmt(result.ratio_ms_per_epoch)}x`,
    fmt(result.ours.median_time_to_solve_ms, 0),
    fmt(result.numpy?.median_time_to_solve_ms, 0),
    result.ratio_time_to_solve === null ? '-' : `${fmt(result.ratio_time_to_solve)}x`,
    `${result.ours.median_epochs} / ${result.numpy?.median_epochs ?? '-'}`,
    `${result.ours.solved}/${result.ours.runs} / ${result.numpy ? `${result.numpy.solved}/${result.numpy.runs}` : '-'}`,
  ]);
  return markdownTable([header, ...rows]);
}

type Extras = {
  egdSamePhase: ReturnType<typeof timeSamePhase>;
  egdOverSgdAsRun: number;
  tracker: TrackerCost;
  runner: RunnerSpeedup;
  stackDistance: StackDistanceBench;
};

const ratioText = (ratio: number | null) => (ratio === null ? 'no numpy' : `${fmt(ratio)}x`);

function targetsOf(results: Record<string, CaseResult>, { egdSamePhase, egdOverSgdAsRun, tracker, runner, stackDistance }: Extras): Target[] {
  const sgd32 = results['SGD batch 32']!.ratio_ms_per_epoch;
  const sgd1 = results['SGD batch 1']!.ratio_ms_per_epoch;
  return [
    { measure: 'SGD batch 32: ours/numpy ms/epoch', target: '<= 1', measured: ratioText(sgd32), met: sgd32 !== null && sgd32 <= 1 },
    { measure: 'SGD batch 1: ours/numpy ms/epoch', target: '<= 0.33', measured: ratioText(sgd1), met: sgd1 !== null && sgd1 <= 1 / 3 },
    {
      measure: `EGD / SGD ms/epoch (ours, batch 32, same seeds, first ${SAME_PHASE_EPOCHS} epochs)`,
      target: '<= 1.25',
      measured: `${fmt(egdSamePhase.ratio)}x (${fmt(egdSamePhase.second_ms_per_epoch)} vs ${fmt(egdSamePhase.first_ms_per_epoch)} ms; whole runs as in the table: ${fmt(egdOverSgdAsRun)}x)`,
      met: egdSamePhase.ratio <= 1.25,
    },
    {
      measure: 'tracked / untracked ms/epoch (MemTracker, SGD batch 32)',
      target: '<= 3',
      measured: `${fmt(tracker.ratio)}x (${fmt(tracker.tracked_ms_per_epoch)} vs ${fmt(tracker.untracked_ms_per_epoch)} ms)`,
      met: tracker.ratio <= 3,
    },
    {
      measure: `runner: 10 runs, 1 worker vs ${runner.workers} (median of ${runner.repeats})`,
      target: '>= 1.8 on 2 cores',
      measured: `${fmt(runner.speedup)}x (${fmt(runner.one_worker_ms, 0)} vs ${fmt(runner.all_workers_ms, 0)} ms; the runs' own times add up to ${fmt(runner.summed_run_ms_one_worker, 0)} vs ${fmt(runner.summed_run_ms_all_workers, 0)} ms)`,
      met: runner.speedup >= 1.8,
    },
    {
      measure: 'DmdTracker element accesses per second (a canonical epoch replayed)',
      target: '>= 5 million',
      measured: `${fmt(stackDistance.accesses_per_second / 1e6)} million wall, ${fmt(stackDistance.accesses_per_cpu_second / 1e6)} million per CPU second (${stackDistance.element_accesses} accesses)`,
      met: stackDistance.accesses_per_second >= 5e6,
    },
    {
      measure: `DmdTracker tracked / untracked ms/epoch (canonical, ${stackDistance.epochs} epochs; sampled 1 step in ${stackDistance.sampled_every})`,
      target: 'reported',
      measured: `${fmt(stackDistance.ratio)}x every step, ${fmt(stackDistance.sampled_ratio)}x sampled (${fmt(stackDistance.tracked_ms_per_epoch)} / ${fmt(stackDistance.sampled_ms_per_epoch)} vs ${fmt(stackDistance.untracked_ms_per_epoch)} ms)`,
      met: true,
    },
  ];
}

/** Stage times of the real loop (the probe hook), SGD and EGD side by side. */
function stagesTable(profiles: Record<string, StageProfile>): string {
  const entries = Object.entries(profiles);
  const keys = [...stageNames, 'outside_stages', 'total'] as const;
  const cell = (profile: StageProfile, key: (typeof keys)[number]) =>
    `${fmt(profile.ms_per_epoch[key])} (${fmt((100 * profile.ms_per_epoch[key]) / profile.ms_per_epoch.total, 0)}%)`;
  return markdownTable([
    ['stage, ms/epoch (share)', ...entries.map(([name, profile]) => `${name} (seed ${profile.seed}, ${profile.epochs} epochs)`)],
    ...keys.map((key) => [key.replaceAll('_', ' '), ...entries.map(([, profile]) => cell(profile, key))]),
  ]);
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const withNumpy = numpyAvailable();
  if (!withNumpy) log('python3 with numpy is not available: timing our side only');
  const results: Record<string, CaseResult> = {};
  let blas: BlasInfo | null = null;
  for (const spec of cases) {
    const measured = benchCase(spec, withNumpy);
    results[spec.name] = measured.result;
    blas = measured.blas ?? blas;
  }
  // EGD solves in about half SGD's epochs, and early epochs cost more (more samples still inside the hinge margin
  // get a gradient), so the cases' ms/epoch mix EGD's cost with the phase of training; this compares like with like.
  const egdSamePhase = timeSamePhase({}, { optimizer: 'egd' }, SAME_PHASE_EPOCHS);
  log(`EGD / SGD over the first ${SAME_PHASE_EPOCHS} epochs: ${fmt(egdSamePhase.ratio)}x`);
  const tracker = timeTrackerCost({});
  log(`tracked / untracked: ${fmt(tracker.ratio)}x`);
  const stages = { 'SGD batch 32': profileStages({}, 42), 'EGD batch 32': profileStages({ optimizer: 'egd' }, 42) };
  log(`stage profile: SGD ${fmt(stages['SGD batch 32'].ms_per_epoch.total)}, EGD ${fmt(stages['EGD batch 32'].ms_per_epoch.total)} ms/epoch`);
  const runner = await measureRunnerSpeedup();
  log(`runner: ${fmt(runner.speedup)}x on ${runner.workers} workers`);
  const stackDistance = measureStackDistance();
  log(`DmdTracker: ${fmt(stackDistance.accesses_per_second / 1e6)} million element accesses/s, tracked / untracked ${fmt(stackDistance.ratio)}x`);
  const wasm = benchWasmBackend();
  log('wasm backend: measured side by side with the TS kernels and numpy');
  const loadAfter = loadavg()[0]!;

  const egdOverSgdAsRun = results['EGD batch 32']!.ours.median_ms_per_epoch / results['SGD batch 32']!.ours.median_ms_per_epoch;
  const targets = targetsOf(results, { egdSamePhase, egdOverSgdAsRun, tracker, runner, stackDistance });

  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}`;
  console.log(
    `\nOurs vs ${blas ? describeBlas(blas) : 'numpy (not available)'}; medians over seeds ${benchSeeds.join(', ')}, same machine, same run (${machine}; load average ${fmt(loadBefore)} -> ${fmt(loadAfter)}):\n`,
  );
  console.log(casesTable(results));
  console.log('');
  console.log(
    markdownTable([
      ['measure', 'target', 'measured', 'met'],
      ...targets.map((target) => [target.measure, target.target, target.measured, target.met ? 'yes' : 'no']),
    ]),
  );
  console.log('');
  console.log(stagesTable(stages));
  console.log(`\nThe wasm backend (core/wasm), backends interleaved seed by seed, numpy in the same run:\n`);
  console.log(wasmBenchTables(wasm));
  const record = {
    schema_version: 1,
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? null,
      cores: availableParallelism(),
      node: process.version,
      load_average_before: loadBefore,
      load_average_after: loadAfter,
    },
    numpy_blas: blas,
    seeds: benchSeeds,
    cases: results,
    egd_over_sgd: {
      as_run_ms_per_epoch: egdOverSgdAsRun,
      same_phase: {
        epochs: SAME_PHASE_EPOCHS,
        sgd_ms_per_epoch: egdSamePhase.first_ms_per_epoch,
        egd_ms_per_epoch: egdSamePhase.second_ms_per_epoch,
        ratio: egdSamePhase.ratio,
      },
    },
    tracker,
    runner,
    stack_distance: stackDistance,
    stages,
    targets,
    wasm,
  };
  mkdirSync(resultsDirectory, { recursive: true });
  writeFileSync(`${resultsDirectory}latest.json`, JSON.stringify(record, null, 2) + '\n');
  log(`wrote ${resultsDirectory}latest.json`);
}

await main();
