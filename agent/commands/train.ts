// `lab train`: one configuration over one or more seeds, in this process; a table, or JSON with --json.
import { markdownTable } from 'markdown-table';
import { runTracker, train, type RunResult, type TrainConfig } from '../../core/index.js';
import { configFromFlags, seedsFromFlag, type FlagValues } from './train-flags.js';

export type TrainCommandOptions = {
  now: () => number;
  print: (text: string) => void;
  /** With --track: the LRU stack measures one step in this many (default 1, every step). */
  trackEvery?: number;
};

export type TrainOutput = {
  config: TrainConfig;
  runs: (Omit<RunResult, 'memory'> & { memory?: RunResult['memory'] })[];
};

export function runTrainCommand(values: FlagValues, options: TrainCommandOptions): number {
  const config = configFromFlags(values);
  const seeds = seedsFromFlag(values['seeds']);
  const track = values['track'] === true;
  const runs: RunResult[] = [];
  for (const seed of seeds) {
    const tracker = track ? runTracker(options.trackEvery) : undefined;
    runs.push(train(config, seed, { now: options.now, ...(tracker ? { tracker } : {}) }));
    if (!values['json']) options.print(progressLine(runs[runs.length - 1]!));
  }
  if (values['json']) {
    const output: TrainOutput = { config, runs };
    options.print(JSON.stringify(output));
  } else {
    const notice = runs.find((run) => run.kernels_notice)?.kernels_notice;
    if (notice) options.print(`note: ${notice}`);
    options.print('');
    options.print(renderRunsTable(config, runs, track));
  }
  return 0;
}

function progressLine(run: RunResult): string {
  const outcome = run.solved ? `solved at epoch ${run.solve_epoch ?? run.epochs}` : run.status === 'ok' ? 'not solved' : run.status;
  return `seed ${run.seed}: ${outcome}, best test acc ${(run.best_test_acc * 100).toFixed(1)}%, ${run.elapsed_ms.toFixed(0)} ms`;
}

export function renderRunsTable(config: TrainConfig, runs: RunResult[], track: boolean): string {
  const header = ['seed', 'status', 'solved', 'best acc', 'epoch 90%', 'solve epoch', 'epochs', 'ms', 'ms/epoch'];
  if (track) header.push('ARD', 'weighted ARD', 'DMC', 'DMD', 'energy (uJ)');
  const rows = runs.map((run) => {
    const row = [
      String(run.seed),
      run.status,
      run.solved ? 'yes' : 'no',
      `${(run.best_test_acc * 100).toFixed(1)}%`,
      run.epoch_90 === null ? '-' : String(run.epoch_90),
      run.solve_epoch === null ? '-' : String(run.solve_epoch),
      String(run.epochs),
      run.elapsed_ms.toFixed(1),
      (run.elapsed_ms / Math.max(1, run.epochs)).toFixed(2),
    ];
    if (track && run.memory) {
      const dmd = (run.memory as { dmd?: number }).dmd;
      row.push(
        run.memory.ard.toFixed(0),
        run.memory.weighted_ard.toFixed(0),
        run.memory.dmc.toExponential(3),
        dmd === undefined ? '-' : dmd.toExponential(3),
        (run.memory.energy_pj / 1e6).toFixed(1),
      );
    }
    return row;
  });
  const solved = runs.filter((run) => run.solved).length;
  const describe = `${config.task} n=${config.n_bits} k=${config.k} hidden=${config.hidden} ${config.optimizer} lr=${config.lr} wd=${config.wd} batch=${config.batch_size} ${config.loss} ${config.order} ${config.algorithm}${config.curriculum ? ` curriculum=${config.curriculum.join(',')}` : ''}`;
  const buffers = track && runs[0]?.memory ? `\n\n${bufferTable(runs[0])}` : '';
  return `${describe}\n\n${markdownTable([header, ...rows])}\n\nsolved ${solved}/${runs.length}${buffers}`;
}

type LruBuffer = { mean_depth: number; traffic_share: number; hit_rate: Record<string, number>; energy_share: number; dmd_share: number };

/** Per buffer of the first seed's run: size, traffic, reuse distance (clock model), LRU depth, hit rate per level, energy and DMD shares. */
function bufferTable(run: RunResult): string {
  const memory = run.memory!;
  const levels = Object.keys((memory as { cache?: Record<string, unknown> }).cache ?? {});
  const percent = (value: number | undefined) => (value === undefined ? '-' : `${(value * 100).toFixed(1)}%`);
  const rows = Object.entries(memory.buffers).map(([name, stats]) => {
    const lru = (stats as { lru?: LruBuffer | null }).lru ?? null;
    return [
      name,
      String(stats.floats_read),
      String(stats.floats_written),
      stats.avg_distance.toFixed(0),
      `${stats.min_distance}-${stats.max_distance}`,
      lru ? lru.mean_depth.toFixed(0) : '-',
      percent(lru?.traffic_share),
      ...levels.map((level) => percent(lru?.hit_rate[level])),
      percent(lru?.energy_share),
      percent(lru?.dmd_share),
    ];
  });
  const granularity = (memory as { granularity?: { mode: string } }).granularity;
  const header = [
    'buffer',
    'floats read',
    'floats written',
    'mean reuse distance',
    'min-max',
    'mean LRU depth',
    'share of reads',
    ...levels.map((level) => `hit ${level}`),
    'energy share',
    'DMD share',
  ];
  return `memory per buffer, seed ${run.seed} (${granularity ? `LRU stack: ${granularity.mode}` : 'clock model only'}):\n\n${markdownTable([header, ...rows])}`;
}
