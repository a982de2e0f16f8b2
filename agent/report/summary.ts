// The page's Summary numbers: cycles by class, the best result per objective against the canonical
// baseline, throughput, wall and CPU time, Claude usage, and the noise floor (the baseline's spread over seeds).
import { max, median, min, sampleStandardDeviation } from 'simple-statistics';
import type { ArmSummary, ExperimentRun, ExperimentResults } from '../../core/index.js';
import { medianOf, runMetric } from '../findings/arm-stats.js';
import type { ReportExperiment } from './report-experiment.js';

export type BestResult = {
  metric: string;
  direction: 'lower' | 'higher';
  value: number;
  arm: string;
  experiment_id: string;
  /** The canonical baseline's median of the same metric, when it measured it. */
  canonical_value: number | null;
  /** value / canonical_value. */
  ratio: number | null;
  /** The arm itself: its solve count, class, and its ratio to its own experiment's baseline. */
  summary: ArmSummary;
};

export type NoiseFloor = {
  experiment_id: string;
  arm: string;
  metric: string;
  seeds: number;
  /** Runs that never reached the metric (counted at their cap, e.g. max_epochs). */
  censored: number;
  median: number;
  min: number;
  max: number;
  /** Sample standard deviation over seeds; null with one seed. */
  sd: number | null;
  /** sd / median. */
  relative_sd: number | null;
  ci_low: number | null;
  ci_high: number | null;
};

export type ReportSummary = {
  cycles: number;
  cycles_by_class: Record<string, number>;
  best: BestResult[];
  /** From the first experiment's start (its commit minus its wall time) to the last commit. */
  span_hours: number | null;
  experiments_per_hour: number | null;
  /** Sum of the experiments' wall times (all workers at once). */
  wall_ms: number;
  /** Sum of every run's training-loop time: CPU time spent training, over all workers. */
  cpu_ms: number;
  runs: number;
  cost_usd: number;
  tokens_in: number;
  tokens_out: number;
  noise_floor: NoiseFloor | null;
};

export function buildSummary(experiments: readonly ReportExperiment[], canonical: ReportExperiment | null): ReportSummary {
  const cyclesByClass: Record<string, number> = {};
  for (const experiment of experiments) cyclesByClass[experiment.class] = (cyclesByClass[experiment.class] ?? 0) + 1;
  const withResults = experiments.flatMap((experiment) => (experiment.results ? [experiment.results] : []));
  const span = spanHours(experiments);
  return {
    cycles: experiments.length,
    cycles_by_class: cyclesByClass,
    best: bestPerObjective(withResults, canonical?.results ?? null),
    span_hours: span,
    experiments_per_hour: span !== null && span > 0 ? experiments.length / span : null,
    wall_ms: sum(withResults.map((results) => results.provenance.wall_ms)),
    cpu_ms: sum(withResults.flatMap((results) => results.arms.flatMap((arm) => arm.runs.map((run) => run.elapsed_ms)))),
    runs: sum(withResults.map((results) => results.arms.reduce((count, arm) => count + arm.runs.length, 0))),
    cost_usd: sum(experiments.map((experiment) => experiment.cost_usd)),
    tokens_in: sum(experiments.map((experiment) => experiment.tokens_in)),
    tokens_out: sum(experiments.map((experiment) => experiment.tokens_out)),
    noise_floor: canonical?.results ? noiseFloor(canonical.results) : null,
  };
}

/** Per primary metric: the best median of any arm that solved at least once (oldest wins a tie). */
export function bestPerObjective(all: readonly ExperimentResults[], canonical: ExperimentResults | null): BestResult[] {
  const best = new Map<string, BestResult>();
  for (const results of all) {
    const { metric, direction } = results.summary.primary;
    for (const arm of results.summary.arms) {
      const value = arm.metrics[metric]?.median;
      if (value === null || value === undefined || arm.solved === 0) continue;
      const current = best.get(metric);
      if (current && !(direction === 'lower' ? value < current.value : value > current.value)) continue;
      const canonicalValue = canonical ? canonicalMedian(canonical, metric) : null;
      const ratio = canonicalValue ? value / canonicalValue : null;
      best.set(metric, { metric, direction, value, arm: arm.name, experiment_id: results.id, canonical_value: canonicalValue, ratio, summary: arm });
    }
  }
  return [...best.values()];
}

function canonicalMedian(canonical: ExperimentResults, metric: string): number | null {
  const arm = canonical.summary.arms.find((candidate) => candidate.baseline) ?? canonical.summary.arms[0];
  const summarized = arm?.metrics[metric as keyof typeof arm.metrics]?.median;
  if (summarized !== undefined && summarized !== null) return summarized;
  return medianOf((canonical.arms.find((candidate) => candidate.name === arm?.name)?.runs ?? []).map((run) => runMetric(run, metric)));
}

/** The canonical baseline arm's primary metric over its seeds. */
export function noiseFloor(canonical: ExperimentResults): NoiseFloor | null {
  const metric = canonical.summary.primary.metric;
  const armRuns = canonical.arms.find((arm) => arm.baseline) ?? canonical.arms[0];
  if (!armRuns) return null;
  const capped = armRuns.runs.map((run) => runMetric(run, metric) ?? censoredValue(run, metric, armRuns.config.max_epochs));
  const values = capped.filter((value): value is number => value !== null);
  if (values.length === 0) return null;
  const summary = canonical.summary.arms.find((arm) => arm.name === armRuns.name)?.metrics[metric];
  const middle = median(values);
  const sd = values.length > 1 ? sampleStandardDeviation(values) : null;
  return {
    experiment_id: canonical.id,
    arm: armRuns.name,
    metric,
    seeds: values.length,
    censored: armRuns.runs.filter((run) => runMetric(run, metric) === null).length,
    median: middle,
    min: min(values),
    max: max(values),
    sd,
    relative_sd: sd !== null && middle !== 0 ? sd / middle : null,
    ci_low: summary?.ci_low ?? null,
    ci_high: summary?.ci_high ?? null,
  };
}

/** Censored epoch metrics count at the cap (as the statistics do); other missing values stay missing. */
function censoredValue(run: ExperimentRun, metric: string, maxEpochs: number): number | null {
  if (run.status === 'crashed') return null;
  if (metric === 'solve_epoch' || metric === 'epoch_90') return maxEpochs;
  if (metric === 'time_to_solve_ms') return run.elapsed_ms;
  return null;
}

function spanHours(experiments: readonly ReportExperiment[]): number | null {
  if (experiments.length === 0) return null;
  // The first experiment started its wall time before its commit (its provenance may be from another machine).
  const first = experiments[0]!;
  const start = Date.parse(first.date) - (first.results?.provenance.wall_ms ?? 0);
  const end = Date.parse(experiments.at(-1)!.date);
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) / 3_600_000 : null;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + (Number.isFinite(value) ? value : 0), 0);
}
