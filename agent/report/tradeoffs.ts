// Trade-offs: per arm (a method), epochs and time to solve against energy and data movement, when tracked.
import { medianOf, runMetric } from '../findings/arm-stats.js';
import type { ReportExperiment } from './report-experiment.js';

export type TradeoffPoint = {
  experiment_id: string;
  arm: string;
  class: string;
  solved: number;
  runs: number;
  /** Medians over the arm's runs (solve_epoch over solved runs only). */
  solve_epoch: number | null;
  time_to_solve_ms: number | null;
  energy_pj: number | null;
  dmc: number | null;
  ard: number | null;
};

export function buildTradeoffs(experiments: readonly ReportExperiment[]): TradeoffPoint[] {
  const points: TradeoffPoint[] = [];
  for (const experiment of experiments) {
    const results = experiment.results;
    if (!results) continue;
    for (const arm of results.arms) {
      const medianOfRuns = (metric: string) => medianOf(arm.runs.map((run) => runMetric(run, metric)));
      const energy = medianOfRuns('energy_pj');
      if (energy === null) continue;
      const summary = results.summary.arms.find((candidate) => candidate.name === arm.name);
      points.push({
        experiment_id: results.id,
        arm: arm.name,
        class: summary?.class ?? experiment.class,
        solved: summary?.solved ?? arm.runs.filter((run) => run.status !== 'crashed' && run.solved).length,
        runs: arm.runs.length,
        solve_epoch: medianOfRuns('solve_epoch'),
        time_to_solve_ms: medianOfRuns('time_to_solve_ms'),
        energy_pj: energy,
        dmc: medianOfRuns('dmc'),
        ard: medianOfRuns('ard'),
      });
    }
  }
  return points;
}
