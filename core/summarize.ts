// Turns every arm's runs into the judged summary: counts, per-metric medians and CIs, the comparison with the
// baseline on the primary metric, each arm's class, the experiment's class and a one-line headline.
import { classifyArm, classifyExperiment, formatNumber, formatP } from './classify.js';
import type { TrainConfig } from './config.js';
import type { ArmRuns, ArmSummary, Comparison, ExperimentRun, ExperimentSummary, MetricSummary } from './experiment.js';
import { defaultMetricDirection, memoryMetrics, primaryDirection, solveMetrics, type MetricName, type Spec } from './spec.js';
import { bootstrapMedianCi, bootstrapRatioOfMediansCi, mean, median, permutationTestRanks, statsRng } from './stats.js';

export type MetricValue = {
  /** The metric's value; for a censored run its censor value; null when the run has none (crashed, timed out, untracked). */
  value: number | null;
  /** The run never reached a solve metric: it counts at the worst rank, and at `value` in medians and CIs. */
  censored: boolean;
};

/**
 * One run's value of a metric. Crashed and timed-out runs have none. A run that never reached a solve metric
 * (solve_epoch, epoch_90, time_to_solve_ms), diverged runs included, is censored at the arm's max_epochs, or at
 * its own elapsed_ms for time_to_solve_ms. Memory metrics come from run.memory.
 */
export function metricValue(run: ExperimentRun, metric: MetricName, config: TrainConfig): MetricValue {
  if (run.status === 'crashed' || run.status === 'timeout') return { value: null, censored: false };
  const raw = memoryMetrics.includes(metric) ? run.memory?.[metric as 'ard' | 'weighted_ard' | 'dmc' | 'energy_pj'] : run[metric as Exclude<MetricName, 'ard' | 'weighted_ard' | 'dmc' | 'energy_pj'>];
  if (typeof raw === 'number' && Number.isFinite(raw)) return { value: raw, censored: false };
  if (solveMetrics.includes(metric)) return { value: metric === 'time_to_solve_ms' ? run.elapsed_ms : config.max_epochs, censored: true };
  return { value: null, censored: false };
}

type MetricSample = {
  /** Values for medians, means and CIs (censored runs at their censor value). */
  values: number[];
  /** Values for the rank test (censored runs at -+Infinity, the worst rank for the direction). */
  rankValues: number[];
  censored: number;
};

function sampleMetric(arm: ArmRuns, metric: MetricName, direction: 'lower' | 'higher'): MetricSample {
  const sample: MetricSample = { values: [], rankValues: [], censored: 0 };
  for (const run of arm.runs) {
    const { value, censored } = metricValue(run, metric, arm.config);
    if (value === null) continue;
    sample.values.push(value);
    sample.rankValues.push(censored ? (direction === 'lower' ? Infinity : -Infinity) : value);
    if (censored) sample.censored++;
  }
  return sample;
}

function summarizeMetric(armName: string, metric: MetricName, sample: MetricSample): MetricSummary {
  const { values } = sample;
  const [ciLow, ciHigh] = values.length > 0 ? bootstrapMedianCi(values, statsRng(armName, metric, 'median')) : [null, null];
  return {
    metric,
    n: values.length,
    censored: sample.censored,
    median: values.length > 0 ? median(values) : null,
    mean: values.length > 0 ? mean(values) : null,
    ci_low: ciLow,
    ci_high: ciHigh,
  };
}

type CompareOptions = { armName: string; metric: MetricName; direction: 'lower' | 'higher'; arm: MetricSample; baseline: MetricSample };

function compareWithBaseline({ armName, metric, direction, arm, baseline }: CompareOptions): Comparison {
  const armMedian = arm.values.length > 0 ? median(arm.values) : null;
  const baselineMedian = baseline.values.length > 0 ? median(baseline.values) : null;
  const ratio = armMedian !== null && baselineMedian !== null && baselineMedian !== 0 ? armMedian / baselineMedian : null;
  const ci = bootstrapRatioOfMediansCi(arm.values, baseline.values, statsRng(armName, metric, 'ratio'));
  const test = permutationTestRanks(arm.rankValues, baseline.rankValues, statsRng(armName, metric, 'permutation'));
  const better = armMedian !== null && baselineMedian !== null && (direction === 'lower' ? armMedian < baselineMedian : armMedian > baselineMedian);
  return { metric, ratio, ratio_ci_low: ci?.[0] ?? null, ratio_ci_high: ci?.[1] ?? null, p_value: test.p_value, test: test.test, better };
}

function countRuns(arm: ArmRuns) {
  const status = (wanted: ExperimentRun['status']) => arm.runs.filter((run) => run.status === wanted).length;
  const trained = arm.runs.flatMap((run) => (run.status === 'ok' || run.status === 'diverged' ? [run] : []));
  const solved = trained.filter((run) => run.solved).length;
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

/** The judged summary of an experiment; deterministic (every resampling Rng is seeded from arm and metric). */
export function summarizeExperiment(spec: Spec, arms: ArmRuns[]): ExperimentSummary {
  const baselineArm = arms.find((arm) => arm.baseline);
  if (!baselineArm) {
    throw new Error(`summarizeExperiment (${spec.id}): no arm has baseline: true among [${arms.map((a) => a.name).join(', ')}]; mark one (expandArms does)`);
  }
  const primary = { metric: spec.metric.name, direction: primaryDirection(spec) };
  const anyMemory = arms.some((arm) => arm.runs.some((run) => run.status !== 'crashed' && run.memory !== undefined));
  const metrics = [...new Set([primary.metric, ...spec.secondary])].filter((m) => m === primary.metric || anyMemory || !memoryMetrics.includes(m));
  const baselineSample = sampleMetric(baselineArm, primary.metric, primary.direction);

  const partial = arms.map((arm) => {
    const summaries: ArmSummary['metrics'] = {};
    for (const metric of metrics) {
      const direction = metric === primary.metric ? primary.direction : defaultMetricDirection[metric];
      summaries[metric] = summarizeMetric(arm.name, metric, sampleMetric(arm, metric, direction));
    }
    const comparison = arm.baseline
      ? null
      : compareWithBaseline({ armName: arm.name, metric: primary.metric, direction: primary.direction, arm: sampleMetric(arm, primary.metric, primary.direction), baseline: baselineSample });
    return { name: arm.name, baseline: arm.baseline, ...countRuns(arm), metrics: summaries, comparison };
  });
  const baselineEvidence = partial.find((arm) => arm.baseline)!;
  const armSummaries: ArmSummary[] = partial.map((arm) => ({ ...arm, ...classifyArm({ arm, baseline: baselineEvidence, direction: primary.direction }) }));
  const overall = classifyExperiment(armSummaries);
  const headline = writeHeadline({ summaries: armSummaries, overall, metric: primary.metric });
  return { primary, arms: armSummaries, class: overall.class, best_arm: overall.best_arm, headline };
}

/** How a headline says "<arm> <verb> 0.42x the <noun> of <baseline>" for each metric. */
const metricPhrases: Record<MetricName, [verb: string, noun: string]> = {
  solve_epoch: ['solves in', 'epochs'],
  epoch_90: ['reaches 90% in', 'epochs'],
  time_to_solve_ms: ['solves in', 'wall time'],
  elapsed_ms: ['trains in', 'wall time'],
  best_test_acc: ['reaches', 'best test accuracy'],
  final_test_acc: ['ends at', 'final test accuracy'],
  epochs: ['runs', 'epochs'],
  ard: ['has', 'ARD'],
  weighted_ard: ['has', 'weighted ARD'],
  dmc: ['has', 'DMC'],
  energy_pj: ['uses', 'energy'],
};

type HeadlineInput = { summaries: ArmSummary[]; overall: ReturnType<typeof classifyExperiment>; metric: MetricName };

/** One scannable line with numbers, e.g. "egd reaches 90% in 0.42x the epochs of sgd (95% CI 0.35-0.50, p=0.0079, 5/5 solved)". */
function writeHeadline({ summaries, overall, metric }: HeadlineInput): string {
  const baseline = summaries.find((arm) => arm.baseline)!;
  const best = summaries.find((arm) => arm.name === overall.best_arm);
  if (overall.class === 'BASELINE' || !best) {
    const m = baseline.metrics[metric];
    const ci = m?.ci_low != null ? ` (95% CI ${formatValue(m.ci_low)}-${formatValue(m.ci_high)})` : '';
    return `baseline only: ${baseline.name} solved ${baseline.solved}/${baseline.runs}, median ${metric} ${formatValue(m?.median ?? null)}${ci}`;
  }
  if (overall.class === 'INVALID') return `invalid: ${overall.reason}`;
  const c = best.comparison!;
  const [verb, noun] = metricPhrases[metric];
  const ratio = `${formatNumber(c.ratio)}x`;
  const stats = `95% CI ${formatNumber(c.ratio_ci_low)}-${formatNumber(c.ratio_ci_high)}, p=${formatP(c.p_value)}`;
  if (overall.class === 'WIN') return `${best.name} ${verb} ${ratio} the ${noun} of ${baseline.name} (${stats}, ${best.solved}/${best.runs} solved)`;
  if (overall.class === 'LOSS' && best.solve_rate < baseline.solve_rate) {
    return `${best.name} solves fewer seeds than ${baseline.name}: ${best.solved}/${best.runs} vs ${baseline.solved}/${baseline.runs} (${metric} ${ratio}, p=${formatP(c.p_value)})`;
  }
  if (overall.class === 'LOSS') return `${best.name} is worse: ${verb} ${ratio} the ${noun} of ${baseline.name} (${stats})`;
  return `no arm beats ${baseline.name} on ${metric} (best: ${best.name}, ${ratio}, p=${formatP(c.p_value)})`;
}

/** Metric values: whole numbers as they are, others with three significant digits. */
function formatValue(value: number | null): string {
  if (value === null) return 'n/a';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
}
