// The figures of one arm the reproduction table compares: means over the runs that got there (as the seeds report
// averages), with "never" censored at max_epochs when every run of the arm ran that long, and memory medians.
import { mean } from 'simple-statistics';
import type { ArmRuns, ExperimentResults } from '../../core/index.js';
import { computeArmStats, describeFailures, isTrainingRun, medianOf, runMetric } from '../findings/arm-stats.js';
import { ReproductionFileError } from './reproduction-file.js';
import { exact, type Measured } from './reproduction-judge.js';

export type ArmFigures = {
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

export function armFigures(arm: ArmRuns): ArmFigures {
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
export function findArm(results: ExperimentResults, name: string, where: string): ArmFigures {
  const arm = results.arms.find((candidate) => candidate.name === name);
  if (!arm)
    throw new ReproductionFileError(
      `${where}: "${name}" is not an arm of results/${results.id}/results.json (its arms: ${results.arms.map((each) => each.name).join(', ')})`,
    );
  return armFigures(arm);
}
