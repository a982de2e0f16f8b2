// What became of a run, as one label read from its status and history: solved, plateaued, memorised,
// underfit, diverged, timed out (censored at the epoch it reached), out of epochs, or crashed (harness).
// Labels are checked in the order of `outcomeLabels`; the first that fits wins.
import type { ExperimentRun } from './experiment.js';
import type { EpochRecord } from './result.js';

export const outcomeLabels = ['crashed', 'solved', 'diverged', 'memorised', 'timed_out', 'plateaued', 'underfit', 'out_of_epochs'] as const;
export type OutcomeLabel = (typeof outcomeLabels)[number];

export type OutcomeOptions = {
  /** Memorised: the last this many epochs show no update at all (||w - w0||_1 identical) and the same test accuracy. */
  frozenEpochs?: number;
  /** Underfit: the best training accuracy of the whole run stays below this. */
  underfitTrainAccuracy?: number;
  /** Plateaued: test accuracy reached this (but never 1.0). */
  plateauTestAccuracy?: number;
};

export const MEMORISED_FROZEN_EPOCHS = 10;
/** Below 90% training accuracy the network has not even fitted its training set: capacity or regularisation, not generalisation. */
export const UNDERFIT_TRAIN_ACCURACY = 0.9;
export const PLATEAU_TEST_ACCURACY = 0.9;

export type RunOutcome = {
  seed: number;
  label: OutcomeLabel;
  /** Epochs the run trained (0 for a crashed run). */
  epochs: number;
  best_test_acc: number | null;
  final_test_acc: number | null;
  best_train_acc: number | null;
};

/**
 * - solved: test accuracy reached 1.0 (solve_epoch set).
 * - diverged: the loss blew up (status diverged).
 * - memorised: train accuracy 1.0 and, over the last `frozenEpochs` epochs, no update (weights identical) and
 *   test accuracy constant below 1.0: with nothing left to learn from, it cannot recover.
 * - timed_out: the time limit stopped it; censored at the epoch it reached, it might still have solved.
 * - plateaued: reached 90% test accuracy but never 100%, and still updating.
 * - underfit: best training accuracy below 90% (UNDERFIT_TRAIN_ACCURACY).
 * - out_of_epochs: none of these: still learning when max_epochs ended it (e.g. inside a grokking plateau).
 */
export function runOutcome(run: ExperimentRun, options: OutcomeOptions = {}): RunOutcome {
  if (run.status === 'crashed') return { seed: run.seed, label: 'crashed', epochs: 0, best_test_acc: null, final_test_acc: null, best_train_acc: null };
  const history = run.history;
  const trainAccuracies = history.flatMap((record) => (record.train_acc === null ? [] : [record.train_acc]));
  const bestTrain = trainAccuracies.length > 0 ? Math.max(...trainAccuracies) : null;
  const figures = { seed: run.seed, epochs: run.epochs, best_test_acc: run.best_test_acc, final_test_acc: run.final_test_acc, best_train_acc: bestTrain };
  return { ...figures, label: outcomeLabel(run, bestTrain, options) };
}

function outcomeLabel(run: Exclude<ExperimentRun, { status: 'crashed' }>, bestTrain: number | null, options: OutcomeOptions): OutcomeLabel {
  const { frozenEpochs = MEMORISED_FROZEN_EPOCHS, underfitTrainAccuracy = UNDERFIT_TRAIN_ACCURACY, plateauTestAccuracy = PLATEAU_TEST_ACCURACY } = options;
  if (run.solve_epoch !== null) return 'solved';
  if (run.status === 'diverged') return 'diverged';
  // A frozen run (no batch updated, so every sample meets the margin) stopped the moment it froze.
  if ((run.stop_reason === 'frozen' && run.final_test_acc < 1) || isMemorised(run.history, frozenEpochs)) return 'memorised';
  if (run.status === 'timeout') return 'timed_out';
  if (run.epoch_90 !== null || run.best_test_acc >= plateauTestAccuracy) return 'plateaued';
  if (bestTrain !== null && bestTrain < underfitTrainAccuracy) return 'underfit';
  return 'out_of_epochs';
}

/** Train accuracy 1.0 at the end and the last `frozenEpochs` records identical in weights and test accuracy. */
export function isMemorised(history: readonly EpochRecord[], frozenEpochs = MEMORISED_FROZEN_EPOCHS): boolean {
  if (history.length < frozenEpochs) return false;
  const window = history.slice(-frozenEpochs);
  const last = window[window.length - 1]!;
  if (last.train_acc === null || last.train_acc < 1 || last.test_acc >= 1) return false;
  return window.every((record) => record.weight_movement_l1 === last.weight_movement_l1 && record.test_acc === last.test_acc && record.train_acc === 1);
}

/** Per label: how many runs, and the range of their best test and train accuracy ("3/5 plateaued at 97-99.5%"). */
export type OutcomeCount = {
  label: OutcomeLabel;
  count: number;
  seeds: number[];
  best_test_acc: [number, number] | null;
  best_train_acc: [number, number] | null;
  epochs: [number, number];
};

export function countOutcomes(outcomes: readonly RunOutcome[]): OutcomeCount[] {
  return outcomeLabels.flatMap((label) => {
    const matching = outcomes.filter((outcome) => outcome.label === label);
    if (matching.length === 0) return [];
    return [
      {
        label,
        count: matching.length,
        seeds: matching.map((o) => o.seed),
        best_test_acc: range(matching.map((o) => o.best_test_acc)),
        best_train_acc: range(matching.map((o) => o.best_train_acc)),
        epochs: range(matching.map((o) => o.epochs))!,
      },
    ];
  });
}

function range(values: (number | null)[]): [number, number] | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length > 0 ? [Math.min(...known), Math.max(...known)] : null;
}
