// The reproduction table of findings/README.md: one row per declared published figure, "Ours" computed from results.json
// every time (means over the runs that got there, as the seeds report; "never" censored at max_epochs when every run ran
// that long; memory medians) and judged against the published figure by reproduction-judge.ts.
import { mean } from 'simple-statistics';
import type { ArmRuns, ExperimentResults } from '../../core/index.js';
import { formatChange, formatEpochs, formatMilliseconds, formatPercent, formatRatio } from '../findings/format.js';
import { computeArmStats, describeFailures, isTrainingRun, medianOf, runMetric } from '../findings/arm-stats.js';
import { ReproductionFileError, type ReproductionRow } from './reproduction-file.js';
import { exact, judgeCount, judgeFigure, measuredText, ratioOf, type Judged, type Measured } from './reproduction-judge.js';

type Published = ReproductionRow['published'];
type Shown = { ours: string; judged: Judged[] };
export type RowVerdict = 'agrees' | 'differs' | 'unpublished' | 'not-run';
export type RenderedRow = { cells: string[]; verdict: RowVerdict };

export const TABLE_HEADER = [
  'Source',
  'Setting',
  'Published',
  'Ours (means over the runs that got there, as the seeds report)',
  'Ours against published',
  'Finding',
];

const MEMORY_FIGURES = { ard: 'ARD', weighted_ard: 'weighted ARD', dmd: 'DMD', energy_pj: 'energy' } as const;

type ArmFigures = {
  name: string;
  runs: number;
  solved: number;
  reached90: number;
  reachedSolve: number;
  bestAcc: number | null;
  finalAcc: number | null;
  epoch90: Measured;
  solveEpoch: Measured;
  /** Mean time to solve over the solved runs. */
  timeToSolve: number | null;
  elapsed: number | null;
  /** Batches per epoch (ceil(n_train / batch_size)), for steps. */
  batches: number;
  failures: string;
  tracked: boolean;
  /** Median of a memory figure (ard, dmd, energy_pj, ...) over the tracked runs. */
  memory: (metric: string) => number | null;
  /** Time to solve of every solved run. */
  solveTimes: number[];
};

function armFigures(arm: ArmRuns): ArmFigures {
  const stats = computeArmStats(arm);
  const trained = arm.runs.filter(isTrainingRun);
  const values = (metric: string) => trained.map((run) => runMetric(run, metric)).filter((value): value is number => value !== null);
  const meanOf = (metric: string) => (values(metric).length ? mean(values(metric)) : null);
  // An arm that never got there but trained to max_epochs in every run is censored there (its epochs are "> max").
  const ranOut = trained.length > 0 && trained.every((run) => run.epochs >= arm.config.max_epochs);
  const epochs = (metric: string): Measured => exact(meanOf(metric)) ?? (ranOut ? { value: arm.config.max_epochs, bound: '>' } : null);
  return {
    name: arm.name,
    runs: arm.runs.length,
    solved: stats.solved,
    reached90: values('epoch_90').length,
    reachedSolve: values('solve_epoch').length,
    bestAcc: stats.meanBestTestAcc,
    finalAcc: meanOf('final_test_acc'),
    epoch90: epochs('epoch_90'),
    solveEpoch: epochs('solve_epoch'),
    timeToSolve: meanOf('time_to_solve_ms'),
    elapsed: meanOf('elapsed_ms'),
    batches: Math.ceil(arm.config.n_train / arm.config.batch_size),
    failures: describeFailures(stats),
    tracked: stats.memory !== null,
    memory: (metric) => medianOf(trained.map((run) => runMetric(run, metric))),
    solveTimes: values('time_to_solve_ms'),
  };
}

/** The arm of that name, or an error naming the row's field and the arms there are. */
function findArm(results: ExperimentResults, name: string, where: string): ArmFigures {
  const arm = results.arms.find((candidate) => candidate.name === name);
  if (!arm)
    throw new ReproductionFileError(
      `${where}: "${name}" is not an arm of results/${results.id}/results.json (its arms: ${results.arms.map((each) => each.name).join(', ')})`,
    );
  return armFigures(arm);
}

/** One row; `results` null when the experiment has not run yet. `where` names the row in errors. */
export function renderRow(row: ReproductionRow, results: ExperimentResults | null, where: string): RenderedRow {
  const id = row.ours.experiment;
  const start = [row.source, row.setting, row.published.text];
  if (results === null) return { cells: [...start, 'not run yet', row.note ?? '', `[spec](../experiments/${id}.md)`].map(escapeCell), verdict: 'not-run' };
  const shown = showOurs(row, results, where);
  const computed = shown.judged.length > 0 ? shown.judged.map((judged) => judged.text).join(', ') : row.ours.figure ? '' : 'no published figure';
  const verdict = shown.judged.length === 0 ? 'unpublished' : shown.judged.some((judged) => judged.status === 'differs') ? 'differs' : 'agrees';
  const against = [computed, row.note].filter(Boolean).join('; ');
  return { cells: [...start, shown.ours, against, `[${id}](${id}.md)`].map(escapeCell), verdict };
}

function showOurs(row: ReproductionRow, results: ExperimentResults, where: string): Shown {
  const { ours, published } = row;
  if (ours.figure) return { ours: `see the figure: [${ours.label ?? ours.figure}](${results.id}/${ours.figure})`, judged: [] };
  if (ours.fastest)
    return showFastest(
      ours.fastest.map((name) => findArm(results, name, `${where}: field ours.fastest`)),
      published,
    );
  const arm = findArm(results, ours.arm!, `${where}: field ours.arm`);
  if (ours.against === undefined) return showArm(arm, published);
  const against = findArm(results, ours.against, `${where}: field ours.against`);
  if (arm.tracked && against.tracked) return showMemory(arm, against, published);
  return showRatio(arm, against, ours.label ?? `${arm.name}/${against.name}`, published);
}

/** Epochs of one arm: "at 35.2", "at 26.2 (3 of 5)", "never", or "never by epoch 300" (censored). */
function reachText(measured: Measured, reached: number, runs: number, prefix = ''): string {
  if (measured === null) return 'never';
  if (measured.bound) return `never by epoch ${formatEpochs(measured.value)}`;
  return `${prefix}${formatEpochs(measured.value)}${reached < runs ? ` (${reached} of ${runs})` : ''}`;
}

function countsJudged(arm: ArmFigures, published: Published): Judged[] {
  return [
    ...(published.solved ? [judgeCount('solved', arm.solved, arm.runs, published.solved)] : []),
    ...(published.reached_90 ? [judgeCount('reached 90%', arm.reached90, arm.runs, published.reached_90)] : []),
  ];
}

function showArm(arm: ArmFigures, published: Published): Shown {
  const parts = [
    `${arm.solved}/${arm.runs} solved`,
    `mean best acc ${formatPercent(arm.bestAcc)}`,
    `90% ${reachText(arm.epoch90, arm.reached90, arm.runs, 'at ')}`,
    `solve ${reachText(arm.solveEpoch, arm.reachedSolve, arm.runs)}`,
    ...(arm.solved > 0
      ? [`time to solve ${formatMilliseconds(arm.timeToSolve)}`]
      : [`training time ${formatMilliseconds(arm.elapsed)}`, `final test acc ${formatPercent(arm.finalAcc)}`]),
  ];
  const solveEpoch = arm.solveEpoch?.bound === null ? arm.solveEpoch.value : null;
  const steps = solveEpoch === null ? null : solveEpoch * arm.batches;
  const wholeSteps = (value: number) => formatEpochs(Math.round(value));
  if (published.solve_steps !== undefined && steps !== null)
    parts.push(`solve at ${formatEpochs(solveEpoch)} epochs x ${arm.batches} batches = ${wholeSteps(steps)} steps`);
  if (arm.failures) parts.push(arm.failures);
  const figures: [string, Measured, Published['epoch_90'], (value: number) => string][] = [
    ['best acc', exact(arm.bestAcc), published.best_test_acc, formatPercent],
    ['90%', arm.epoch90, published.epoch_90, formatEpochs],
    ['solve', arm.solveEpoch, published.solve_epoch, formatEpochs],
    ['time to solve', exact(arm.timeToSolve), published.time_to_solve_ms, formatMilliseconds],
    ['steps to solve', exact(steps), published.solve_steps, wholeSteps],
  ];
  const judged = figures.flatMap(([label, ours, figure, show]) => (figure === undefined ? [] : [judgeFigure(label, ours, figure, show)]));
  return { ours: parts.join('; '), judged: [...countsJudged(arm, published), ...judged] };
}

function showRatio(arm: ArmFigures, against: ArmFigures, label: string, published: Published): Shown {
  const side = (measured: Measured, reached: number, runs: number) =>
    measured?.bound ? `> ${formatEpochs(measured.value)}` : reachText(measured, reached, runs);
  const epochs = (name: string, a: Measured, b: Measured, reachedA: number, reachedB: number) => {
    if (a === null && b === null) return [];
    const ratio = ratioOf(a, b);
    return [`${name} ${side(a, reachedA, arm.runs)} vs ${side(b, reachedB, against.runs)}${ratio ? `, ${measuredText(ratio, formatRatio)}` : ''}`];
  };
  const time = ratioOf(exact(arm.timeToSolve), exact(against.timeToSolve));
  const parts = [
    ...epochs('90%', arm.epoch90, against.epoch90, arm.reached90, against.reached90),
    ...epochs('solve', arm.solveEpoch, against.solveEpoch, arm.reachedSolve, against.reachedSolve),
    `solved ${arm.solved}/${arm.runs} vs ${against.solved}/${against.runs}`,
    ...(time ? [`time to solve ${measuredText(time, formatRatio)}`] : []),
  ];
  const ratios: [string, Measured, Published['epoch_90']][] = [
    ['90%', ratioOf(arm.epoch90, against.epoch90), published.ratio?.epoch_90],
    ['solve', ratioOf(arm.solveEpoch, against.solveEpoch), published.ratio?.solve_epoch],
    ['time to solve', time, published.ratio?.time_to_solve_ms],
  ];
  const judged = ratios.flatMap(([name, ours, figure]) => (figure === undefined ? [] : [judgeFigure(name, ours, figure, formatRatio)]));
  return { ours: `${label}: ${parts.join('; ')}`, judged: [...countsJudged(arm, published), ...judged] };
}

function showMemory(arm: ArmFigures, against: ArmFigures, published: Published): Shown {
  const change = (metric: string) => {
    const [ours, theirs] = [arm.memory(metric), against.memory(metric)];
    return ours === null || theirs === null || theirs === 0 ? null : ours / theirs - 1;
  };
  const metrics = Object.keys(MEMORY_FIGURES) as (keyof typeof MEMORY_FIGURES)[];
  const medians = metrics.flatMap((metric) => (change(metric) === null ? [] : [`${metric} ${formatChange(change(metric))}`]));
  const judged = metrics.flatMap((metric) => {
    const figure = published.change?.[metric];
    return figure === undefined ? [] : [judgeFigure(MEMORY_FIGURES[metric], exact(change(metric)), figure, formatChange, 'change')];
  });
  return { ours: `${arm.name} vs ${against.name}, medians: ${medians.join(', ')}`, judged: [...countsJudged(arm, published), ...judged] };
}

function showFastest(arms: ArmFigures[], published: Published): Shown {
  const medians = arms.map((arm) => ({ name: arm.name, median: medianOf(arm.solveTimes) })).sort((a, b) => (a.median ?? Infinity) - (b.median ?? Infinity));
  const times = arms.flatMap((arm) => arm.solveTimes);
  const fastest = times.length ? Math.min(...times) : null;
  const parts = medians.map(({ name, median }) => (median === null ? `${name} never solved` : `${name} median ${formatMilliseconds(median)}`));
  const judged = published.time_to_solve_ms === undefined ? [] : [judgeFigure('fastest', exact(fastest), published.time_to_solve_ms, formatMilliseconds)];
  return { ours: [...parts, `fastest single run ${formatMilliseconds(fastest)}`].join('; '), judged };
}

export const tableLine = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** The rows as a markdown table, after one line that counts them by verdict. */
export function renderTable(rows: readonly RenderedRow[]): string {
  const count = (verdict: RowVerdict) => rows.filter((row) => row.verdict === verdict).length;
  const tally =
    `${rows.length} rows: ${count('agrees')} the same as (or consistent with) every published figure they compare, ${count('differs')} differing on at least one, ` +
    `${count('unpublished')} with no published figure to compare, ${count('not-run')} not run yet.`;
  return [tally, '', tableLine(TABLE_HEADER), tableLine(TABLE_HEADER.map(() => '---')), ...rows.map((row) => tableLine(row.cells))].join('\n');
}
