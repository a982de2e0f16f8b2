// What the narrative and the open questions share: each arm's summary, descriptive stats and config
// changes side by side, and the sentence fragments that state an effect with its numbers.
import type { ArmRuns, ArmSummary, ExperimentResults, MetricName } from '../../core/index.js';
import { baselineArm, computeArmStats, summaryOf, type ArmStats } from './arm-stats.js';
import { configChanges, type ConfigChange } from './config-diff.js';
import { formatComparison, formatMedian, metricLabel } from './format.js';

export type ArmContext = { name: string; summary: ArmSummary; stats: ArmStats; runs: ArmRuns; changes: ConfigChange[] };

export type NarrativeContext = {
  results: ExperimentResults;
  metric: MetricName;
  baseline: ArmContext | undefined;
  others: ArmContext[];
};

export function narrativeContext(results: ExperimentResults): NarrativeContext {
  const baselineRuns = baselineArm(results);
  const contexts = results.arms.flatMap((runs): ArmContext[] => {
    const summary = summaryOf(results, runs.name);
    if (!summary) return [];
    const changes = baselineRuns && runs !== baselineRuns ? configChanges(baselineRuns.config, runs.config) : [];
    return [{ name: runs.name, summary, stats: computeArmStats(runs), runs, changes }];
  });
  const baseline = contexts.find((context) => context.runs === baselineRuns);
  return { results, metric: results.summary.primary.metric, baseline, others: contexts.filter((context) => context !== baseline) };
}

/** "epochs to solve", "time to solve": the metric label without its unit, for sentences. */
export function metricPhrase(metric: MetricName): string {
  return metricLabel(metric).replace(/ \((ms|pJ|floats)\)$/, '');
}

function medianText(context: ArmContext, metric: MetricName): string {
  const summary = context.summary.metrics[metric];
  return formatMedian(metric, summary?.median ?? null, summary?.median_censored);
}

/** "median epochs to solve 21 vs 40 for sgd (0.53x [0.45, 0.60], p=0.008)". */
export function effectText(context: NarrativeContext, arm: ArmContext): string {
  const { metric, baseline } = context;
  const comparison = arm.summary.comparison;
  const versus = baseline ? ` vs ${medianText(baseline, metric)} for ${baseline.name}` : '';
  const stats = comparison ? ` (${formatComparison(comparison)})` : '';
  return `median ${metricPhrase(metric)} ${medianText(arm, metric)}${versus}${stats}`;
}

export function solvedText(arm: ArmContext): string {
  return `solved ${arm.summary.solved}/${arm.summary.runs}`;
}

export function wallTimeRatio(arm: ArmContext, baseline: ArmContext | undefined): number | null {
  const armTime = arm.stats.medianElapsedMs;
  const baseTime = baseline?.stats.medianElapsedMs;
  return armTime === null || !baseTime ? null : armTime / baseTime;
}
