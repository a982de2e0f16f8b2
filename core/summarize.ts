// Turns every arm's runs into the judged summary: counts, run outcomes, per-metric medians and CIs, a verdict
// against the baseline on every metric that matters, each arm's class, the experiment's class. Numbers and codes
// only: agent/ renders every sentence.
import { classifyArm, classifyExperiment } from './classify.js';
import { parseTrainConfig, type TrainConfig } from './config.js';
import type { ArmClaim, ArmRuns, ArmSummary, Comparison, ConfigCondition, ExperimentRun, ExperimentSummary, MetricSummary } from './experiment.js';
import { isTimeToEvent, plainValue, solvedFlags, timeToEvent, type RunLimits } from './metric-samples.js';
import { countOutcomes, runOutcome } from './outcome.js';
import { defaultMetricDirection, memoryMetrics, primaryDirection, type MetricName, type Spec } from './spec.js';
import { bootstrapMedianCi, mean, median, statsRng } from './stats.js';
import { kaplanMeierMedian, type TimeToEvent } from './survival.js';
import { DEFAULT_ALPHA, DEFAULT_MIN_EFFECT, judgeRate, judgeTimeToEvent, judgeValue, type MetricVerdict } from './verdict.js';

export type MetricValue = {
  /** The metric's value; for a censored run the time it was censored at; null when the run has none (crashed, untracked). */
  value: number | null;
  /** The run never reached a time-to-event metric: `value` is a lower bound. */
  censored: boolean;
};

/** One run's value of a metric (see metric-samples.ts for what is censored where). */
export function metricValue(run: ExperimentRun, metric: MetricName, limits: RunLimits): MetricValue {
  if (isTimeToEvent(metric)) {
    const time = timeToEvent(run, metric, limits);
    return time ? { value: time.time, censored: !time.event } : { value: null, censored: false };
  }
  return { value: plainValue(run, metric)?.value ?? null, censored: false };
}

/**
 * Metrics every verdict judges, besides those the spec names. Wall time is judged only when named: it differs from
 * run to run, and a summary that does not name it stays identical when the spec is run again (replays rely on it).
 */
const alwaysJudged: readonly MetricName[] = ['epoch_90', 'solve_epoch', 'best_test_acc', 'final_test_acc'];
const decisiveByDefault: readonly MetricName[] = ['epoch_90', 'solve_epoch', 'best_test_acc', 'final_test_acc', ...memoryMetrics];

function limitsOf(spec: Spec, arm: ArmRuns): RunLimits {
  return { config: arm.config, timeLimitMs: spec.time_limit * 1000 };
}

function summarizeMetric(spec: Spec, arm: ArmRuns, metric: MetricName): MetricSummary {
  const limits = limitsOf(spec, arm);
  const entries = arm.runs.map((run) => metricValue(run, metric, limits)).filter((entry) => entry.value !== null);
  const values = entries.map((entry) => entry.value!);
  const [ciLow, ciHigh] = values.length > 0 ? bootstrapMedianCi(values, statsRng(arm.name, metric, 'median')) : [null, null];
  const survivalMedian = isTimeToEvent(metric) ? kaplanMeierMedian(entries.map((entry) => ({ time: entry.value!, event: !entry.censored }))) : null;
  return {
    metric,
    n: values.length,
    censored: entries.filter((entry) => entry.censored).length,
    median: survivalMedian?.value ?? (values.length > 0 ? median(values) : null),
    median_censored: survivalMedian?.censored ?? false,
    mean: values.length > 0 ? mean(values) : null,
    ci_low: ciLow,
    ci_high: ciHigh,
  };
}

type VerdictContext = { spec: Spec; arm: ArmRuns; baseline: ArmRuns; decisive: Set<MetricName>; primary: MetricName; minEffect: number };

function judgeMetric(context: VerdictContext, metric: MetricName): MetricVerdict {
  const { spec, arm, baseline, decisive, primary, minEffect } = context;
  const direction = metric === primary ? primaryDirection(spec) : defaultMetricDirection[metric];
  const options = { armName: arm.name, direction, decisive: decisive.has(metric), minEffect, alpha: DEFAULT_ALPHA };
  if (isTimeToEvent(metric)) {
    const times = (runs: ArmRuns) => runs.runs.flatMap((run) => timeToEvent(run, metric, limitsOf(spec, runs)) ?? []);
    const armTimes = times(arm);
    const baselineTimes = times(baseline);
    const limit = metric === 'time_to_solve_ms' ? Infinity : Math.min(arm.config.max_epochs, baseline.config.max_epochs);
    const known = Math.min(limit, knownUntil(armTimes), knownUntil(baselineTimes));
    // Every run of both arms got there: the curves are known throughout; bound by the longest time seen.
    const horizon = Number.isFinite(known) ? known : Math.max(0, ...armTimes.map((s) => s.time), ...baselineTimes.map((s) => s.time));
    return judgeTimeToEvent(metric, armTimes, baselineTimes, { ...options, horizon });
  }
  const values = (runs: ArmRuns) => runs.runs.flatMap((run) => plainValue(run, metric) ?? []);
  return judgeValue(metric, values(arm), values(baseline), options);
}

/**
 * How far an arm's survival curve is known: to its longest follow-up when that run was censored, for ever when the
 * curve fell to 0. Restricted means stop where either curve stops being known (early time-outs do not extrapolate).
 */
function knownUntil(sample: readonly TimeToEvent[]): number {
  if (sample.length === 0) return 0;
  const last = Math.max(...sample.map((s) => s.time));
  return sample.some((s) => s.time === last && !s.event) ? last : Infinity;
}

function verdictsFor(context: VerdictContext, metrics: readonly MetricName[]): MetricVerdict[] {
  const { arm, baseline, minEffect } = context;
  const rate = judgeRate(solvedFlags(arm.runs), solvedFlags(baseline.runs), {
    armName: arm.name,
    direction: 'higher',
    decisive: true,
    minEffect,
    alpha: DEFAULT_ALPHA,
  });
  return [rate, ...metrics.map((metric) => judgeMetric(context, metric))];
}

/** The primary verdict as the table's comparison (ratio, CI, p) and its "better" flag. */
function comparisonOf(verdict: MetricVerdict): Comparison {
  const { effect } = verdict;
  const better =
    verdict.outcome === 'better' ||
    (verdict.outcome !== 'worse' && effect.relative !== null && effect.relative !== 0 && effect.relative < 0 === (verdict.direction === 'lower'));
  // Accuracies are judged by their difference; the table's ratio is then the plain ratio of medians, without a CI.
  const difference = effect.measure === 'difference_of_medians';
  return {
    metric: verdict.metric as MetricName,
    ratio: difference ? verdict.center_ratio.value : effect.value,
    ratio_ci_low: difference ? null : effect.ci_low,
    ratio_ci_high: difference ? null : effect.ci_high,
    measure: effect.measure,
    p_value: verdict.p_value,
    test: verdict.test,
    better,
  };
}

function countRuns(arm: ArmRuns) {
  const status = (wanted: ExperimentRun['status']) => arm.runs.filter((run) => run.status === wanted).length;
  const trained = arm.runs.flatMap((run) => (run.status === 'crashed' ? [] : [run]));
  // Solved: reached 100% test accuracy (solve_epoch set).
  const solved = trained.filter((run) => run.solve_epoch !== null).length;
  const accuracies = trained.map((run) => run.best_test_acc).filter(Number.isFinite);
  return {
    runs: arm.runs.length,
    solved,
    solve_rate: arm.runs.length > 0 ? solved / arm.runs.length : 0,
    diverged: status('diverged'),
    timed_out: status('timeout'),
    crashed: status('crashed'),
    mean_best_test_acc: accuracies.length > 0 ? mean(accuracies) : null,
  };
}

/** Config keys whose value differs from `reference` (the canonical config, or the baseline arm's). */
export function configConditions(config: TrainConfig, reference: TrainConfig): ConfigCondition[] {
  return Object.keys(config)
    .filter((key) => JSON.stringify(config[key as keyof TrainConfig]) !== JSON.stringify(reference[key as keyof TrainConfig]))
    .map((key) => ({ key, value: config[key as keyof TrainConfig] ?? null, reference: reference[key as keyof TrainConfig] ?? null }));
}

function claimOf(spec: Spec, arm: ArmRuns, verdicts: MetricVerdict[], baseline: ArmRuns | null): ArmClaim {
  const primary = verdicts.find((verdict) => verdict.metric === spec.metric.name) ?? null;
  return {
    metric: spec.metric.name,
    verdict: primary,
    seeds: arm.runs.length,
    conditions: configConditions(arm.config, parseTrainConfig({ task: arm.config.task })),
    changes: baseline ? configConditions(arm.config, baseline.config) : [],
    outcomes: countOutcomes(arm.runs.map((run) => runOutcome(run))),
  };
}

/** The judged summary of an experiment; deterministic (every resampling Rng is seeded from arm and metric). */
export function summarizeExperiment(spec: Spec, arms: ArmRuns[]): ExperimentSummary {
  const baselineArm = arms.find((arm) => arm.baseline);
  if (!baselineArm) {
    throw new Error(`summarizeExperiment (${spec.id}): no arm has baseline: true among [${arms.map((a) => a.name).join(', ')}]; mark one (expandArms does)`);
  }
  const primary = { metric: spec.metric.name, direction: primaryDirection(spec) };
  const minEffect = spec.min_effect ?? DEFAULT_MIN_EFFECT;
  // A memory metric counts when some run reports it (the LRU figures exist only for InstrumentedTracker runs).
  const reported = (metric: MetricName) =>
    arms.some((arm) => arm.runs.some((run) => run.status !== 'crashed' && typeof (run.memory as Record<string, unknown> | undefined)?.[metric] === 'number'));
  const present = memoryMetrics.filter(reported);
  const named = [...new Set([primary.metric, ...spec.secondary])];
  const metrics = named.filter((m) => m === primary.metric || !memoryMetrics.includes(m) || present.includes(m));
  const judged = [...new Set([...named, ...alwaysJudged, ...present])].filter((m) => !memoryMetrics.includes(m) || present.includes(m));
  const decisive = new Set<MetricName>([...named, ...decisiveByDefault]);

  const partial = arms.map((arm) => {
    const summaries: ArmSummary['metrics'] = {};
    for (const metric of metrics) summaries[metric] = summarizeMetric(spec, arm, metric);
    const verdicts = arm.baseline ? [] : verdictsFor({ spec, arm, baseline: baselineArm, decisive, primary: primary.metric, minEffect }, judged);
    const primaryVerdict = verdicts.find((verdict) => verdict.metric === primary.metric);
    return {
      name: arm.name,
      baseline: arm.baseline,
      ...countRuns(arm),
      metrics: summaries,
      comparison: primaryVerdict ? comparisonOf(primaryVerdict) : null,
      verdicts,
      claim: claimOf(spec, arm, verdicts, arm.baseline ? null : baselineArm),
    };
  });
  const baselineEvidence = partial.find((arm) => arm.baseline)!;
  const armSummaries: ArmSummary[] = partial.map((arm) => ({ ...arm, ...classifyArm(arm, baselineEvidence) }));
  const overall = classifyExperiment(armSummaries.map((arm) => ({ ...arm, primary_effect: primaryEffectSize(arm) })));
  return {
    primary,
    min_effect: minEffect,
    alpha: DEFAULT_ALPHA,
    arms: armSummaries,
    class: overall.class,
    best_arm: overall.best_arm,
    reasons: overall.reasons,
  };
}

/** |log ratio| (or |difference| for a rate) of the primary metric: how large the arm's effect is. */
/** |log ratio| on the primary metric, negative when the arm is worse there than the baseline. */
function primaryEffectSize(arm: Pick<ArmSummary, 'comparison'>): number | null {
  const ratio = arm.comparison?.ratio;
  if (ratio === null || ratio === undefined || !(ratio > 0) || !Number.isFinite(ratio)) return null;
  return Math.abs(Math.log(ratio)) * (arm.comparison!.better ? 1 : -1);
}
