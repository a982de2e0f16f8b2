// Open questions derived from the statistics: INCONCLUSIVE -> rerun with more seeds; WIN -> one step further
// and more seeds; LOSS -> the other direction; unsolved, timed-out or crashed runs -> their own fix.
import { isModularTask } from '../../core/index.js';
import { isTrainingRun } from './arm-stats.js';
import { formatConfigValue, type ConfigChange } from './config-diff.js';
import { formatInterval, formatMetricValue, formatPercent, formatPValue, formatRatio, formatSeeds, metricInterval } from './format.js';
import { metricPhrase, wallTimeRatio, type ArmContext, type NarrativeContext } from './narrative-context.js';

const MAX_QUESTIONS = 6;
const CONFIRMATION_SEEDS = 30;

/** Seeds for a rerun: continue the spec's first seed upward ("42-51" for 10 seeds from 42). */
function rerunSeeds(seeds: readonly number[], count: number): string {
  const first = Math.min(...seeds);
  return formatSeeds(Array.from({ length: count }, (_, i) => first + i));
}

/** Numbers nice to write in a spec: 0.025, 0.2, 400 (three significant digits). */
function niceNumber(value: number): number {
  return Number(value.toPrecision(3));
}

/** Whole-number settings (n_bits, hidden, batch_size, ...) stay whole when stepped. */
function step(change: ConfigChange, factor: number): number {
  const base = change.from as number;
  const stepped = niceNumber(base * factor);
  return Number.isInteger(base) && base >= 2 ? Math.max(1, Math.round(stepped)) : stepped;
}

function numericChanges(arm: ArmContext): ConfigChange[] {
  return arm.changes.filter((change) => typeof change.from === 'number' && typeof change.to === 'number' && change.from !== 0);
}

function winQuestions(context: NarrativeContext, arm: ArmContext): string[] {
  const { metric, results } = context;
  const comparison = arm.summary.comparison;
  const effect = `${formatRatio(comparison?.ratio)} on ${metricPhrase(metric)}`;
  const further = numericChanges(arm).map((change) => {
    const beyond = { ...change, from: change.to } as ConfigChange;
    return `${change.key}=${step(beyond, (change.to as number) / (change.from as number))} (from ${formatConfigValue(change.to)})`;
  });
  const config = arm.runs.config;
  const harder = isModularTask(config.task) ? [] : [`n_bits=${config.n_bits + 10}`, `k=${config.k + 1}`];
  const steps = [...further, ...harder];
  const questions = [`Does ${arm.name}'s ${effect} hold one step further: ${steps.join(' or ')}?`];
  const seeds = arm.summary.runs;
  if (seeds < CONFIRMATION_SEEDS) {
    questions.push(
      `Does it hold at ${CONFIRMATION_SEEDS} seeds (${rerunSeeds(results.spec.seeds, CONFIRMATION_SEEDS)})? With ${seeds} per arm the ratio CI is ${formatInterval(comparison?.ratio_ci_low, comparison?.ratio_ci_high)}.`,
    );
  }
  const timeRatio = wallTimeRatio(arm, context.baseline);
  if (metric !== 'time_to_solve_ms' && metric !== 'elapsed_ms' && timeRatio !== null && timeRatio > 1) {
    questions.push(`Does ${arm.name} also win on wall time (time_to_solve_ms)? Its median training time was ${formatRatio(timeRatio)} the baseline's.`);
  }
  return questions;
}

function lossQuestions(context: NarrativeContext, arm: ArmContext): string[] {
  const effect = `${formatRatio(arm.summary.comparison?.ratio)} ${metricPhrase(context.metric)}, solved ${arm.summary.solved}/${arm.summary.runs}`;
  const numeric = numericChanges(arm);
  if (numeric.length > 0) {
    return numeric.map((change) => {
      const otherWay = step(change, (change.to as number) < (change.from as number) ? 2 : 0.5);
      const side = otherWay > (change.from as number) ? 'above' : 'below';
      return `Try the other direction: ${change.key}=${formatConfigValue(change.to)} lost (${effect}); does ${change.key}=${otherWay} (${side} the baseline's ${formatConfigValue(change.from)}) help?`;
    });
  }
  const lr = arm.runs.config.lr;
  const changed = arm.changes.map((change) => `${change.key}=${formatConfigValue(change.to)}`).join(', ') || arm.name;
  return [
    `Is the loss from ${changed} itself or from an untuned learning rate? Try it at lr=${niceNumber(lr / 2)} and lr=${niceNumber(lr * 2)} (${effect} at lr=${lr}).`,
  ];
}

function inconclusiveQuestion(context: NarrativeContext, arm: ArmContext): string {
  const comparison = arm.summary.comparison;
  const seeds = arm.summary.runs;
  const next = seeds < 10 ? 10 : Math.min(2 * seeds, 50);
  const p = comparison?.p_value ?? null;
  const detail =
    p === null
      ? `no ${metricPhrase(context.metric)} values to compare with ${seeds} seeds`
      : `p=${formatPValue(p)} with ${seeds} seeds, ratio ${formatRatio(comparison?.ratio)} ${formatInterval(comparison?.ratio_ci_low, comparison?.ratio_ci_high)}`;
  const baseline = context.baseline?.name ?? 'the baseline';
  const worthIt = comparison?.better ? '' : '; or drop it, its median is not better';
  return `Rerun ${arm.name} vs ${baseline} with ${next} seeds (${rerunSeeds(context.results.spec.seeds, next)}): ${detail}${worthIt}.`;
}

function failureQuestions(context: NarrativeContext, arm: ArmContext): string[] {
  const questions: string[] = [];
  const trained = arm.runs.runs.filter(isTrainingRun);
  const unsolvedAtLimit = trained.filter((run) => run.status === 'ok' && !run.solved);
  if (unsolvedAtLimit.length > 0) {
    const bestMean = unsolvedAtLimit.reduce((sum, run) => sum + run.best_test_acc, 0) / unsolvedAtLimit.length;
    questions.push(
      `Would ${arm.name} solve with more epochs? ${unsolvedAtLimit.length} of ${arm.summary.runs} runs ended unsolved at max_epochs=${arm.runs.config.max_epochs} (mean best accuracy ${formatPercent(bestMean)}).`,
    );
  }
  if (arm.summary.timed_out > 0) {
    questions.push(
      `${arm.summary.timed_out} of ${arm.summary.runs} runs of ${arm.name} timed out: raise time_limit above ${context.results.spec.time_limit} s or lower max_epochs (${arm.runs.config.max_epochs})?`,
    );
  }
  if (arm.summary.crashed > 0) {
    const crash = arm.runs.runs.find((run) => run.status === 'crashed');
    questions.push(
      `Why did ${arm.summary.crashed} run(s) of ${arm.name} crash${crash && 'message' in crash ? ` ("${crash.message}")` : ''}? Fix it and rerun.`,
    );
  }
  return questions;
}

/** Specific questions from the numbers; the best-supported arm first, at most six. */
export function suggestOpenQuestions(context: NarrativeContext): string[] {
  const { baseline, metric, results } = context;
  const bestName = results.summary.best_arm;
  const ordered = [...context.others].sort((a, b) => Number(b.name === bestName) - Number(a.name === bestName));
  const questions: string[] = [];
  for (const arm of ordered) {
    if (arm.summary.class === 'WIN') questions.push(...winQuestions(context, arm));
    if (arm.summary.class === 'LOSS') questions.push(...lossQuestions(context, arm));
    if (arm.summary.class === 'INCONCLUSIVE') questions.push(inconclusiveQuestion(context, arm));
  }
  for (const arm of [...(baseline ? [baseline] : []), ...ordered]) questions.push(...failureQuestions(context, arm));
  if (context.others.length === 0 && baseline) {
    const summary = baseline.summary.metrics[metric];
    const median = formatMetricValue(metric, summary?.median);
    questions.push(
      `Which single change beats ${baseline.name} first? Its median ${metricPhrase(metric)} of ${median} ${metricInterval(metric, summary?.ci_low, summary?.ci_high)} (solved ${baseline.summary.solved}/${baseline.summary.runs}) is the number to beat.`,
    );
  }
  return [...new Set(questions)].slice(0, MAX_QUESTIONS);
}
