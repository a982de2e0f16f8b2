// The Results section's table: one row per arm, descriptive numbers from the runs, the judged median,
// effect, CI, p and class from the summary; memory columns when tracked, a failures column when any run failed.
import { markdownTable } from 'markdown-table';
import type { ExperimentResults } from '../../core/index.js';
import { anyMemoryTracked, baselineArm, computeArmStats, describeFailures, summaryOf, type ArmStats } from './arm-stats.js';
import {
  formatComparison,
  formatCount,
  formatEnergy,
  formatEpochs,
  formatMedian,
  formatMilliseconds,
  formatPercent,
  metricInterval,
  metricLabel,
  MISSING,
} from './format.js';

export type ResultsTable = { header: string[]; rows: string[][]; markdown: string; notes: string[] };

/** "38" when every trained run reached it, "120 (3/5)" when only some did. */
function reachedMedian(median: number | null, reached: number, stats: ArmStats): string {
  const trained = stats.runs - stats.crashed;
  return reached === trained || median === null ? formatEpochs(median) : `${formatEpochs(median)} (${reached}/${stats.runs})`;
}

export function buildResultsTable(results: ExperimentResults): ResultsTable {
  const { metric } = results.summary.primary;
  const memory = anyMemoryTracked(results);
  const allStats = results.arms.map(computeArmStats);
  const failures = allStats.some((stats) => describeFailures(stats) !== '');
  const baselineName = baselineArm(results)?.name ?? 'baseline';
  const header = [
    'Arm',
    'Solved',
    'Mean best acc',
    'Epochs to 90%',
    'Epochs to solve',
    'Time',
    ...(memory ? ['ARD', 'DMC', 'Energy'] : []),
    ...(failures ? ['Failed runs'] : []),
    `Median ${metricLabel(metric)} [95% CI]`,
    `vs ${baselineName}: ratio [95% CI], p`,
    'Class',
  ];
  const rows = allStats.map((stats) => {
    const summary = summaryOf(results, stats.name);
    const judged = summary?.metrics[metric];
    const comparison = summary?.comparison;
    const effect = stats.baseline ? 'baseline' : comparison ? formatComparison(comparison) : MISSING;
    return [
      stats.name,
      `${stats.solved}/${stats.runs}`,
      formatPercent(stats.meanBestTestAcc),
      reachedMedian(stats.medianEpoch90, stats.reachedEpoch90, stats),
      reachedMedian(stats.medianSolveEpoch, stats.reachedSolveEpoch, stats),
      formatMilliseconds(stats.medianElapsedMs),
      ...(memory ? [formatCount(stats.memory?.ard, 'floats'), formatCount(stats.memory?.dmc), formatEnergy(stats.memory?.energyPj)] : []),
      ...(failures ? [describeFailures(stats) || '0'] : []),
      judged ? `${formatMedian(metric, judged.median, judged.median_censored)} ${metricInterval(metric, judged.ci_low, judged.ci_high)}` : MISSING,
      effect,
      summary?.class ?? MISSING,
    ];
  });
  const align = header.map((_, index) => (index === 0 ? 'l' : index === header.length - 1 ? 'c' : 'r'));
  return { header, rows, markdown: markdownTable([header, ...rows], { align }), notes: tableNotes(results, memory) };
}

function tableNotes(results: ExperimentResults, memory: boolean): string[] {
  const { metric, direction } = results.summary.primary;
  const comparison = results.summary.arms.find((arm) => arm.comparison)?.comparison;
  const test = comparison?.test;
  const ratio =
    comparison?.measure === 'ratio_of_restricted_means'
      ? 'restricted mean(arm) / restricted mean(baseline) up to max_epochs'
      : 'median(arm) / median(baseline)';
  const notes = [
    'Solved: reached 100% test accuracy (the stop rule). Epochs to 90% / to solve: median over the runs that reached 90% / 100% test accuracy (how many did, when not all). Time: median training-loop wall time per run.',
    `Median ${metricLabel(metric)} (${direction} is better): Kaplan-Meier for times to an event, "> x (censored)" when fewer than half the runs got there; 95% bootstrap CI.` +
      (test ? ` Ratio: ${ratio} with its bootstrap 95% CI; p from the exact ${test.replace(/_/g, ' ')} test.` : ''),
  ];
  if (memory)
    notes.push(
      'ARD / DMC / energy: medians over the runs with a memory report (MemTracker; energy from the cache-level model); — where an arm was not tracked.',
    );
  return notes;
}
