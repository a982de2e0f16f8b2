// Constructed runs for the verdict tests: a run is sketched by what happened (solved at epoch e, memorised,
// underfit, ...), and its history and figures follow from that.
import type { ExperimentRun } from '../experiment.js';
import type { EpochRecord, RunResult } from '../result.js';

export type RunSketch = {
  /** Epoch test accuracy reached 1.0 (training stops there), or null. */
  solveEpoch?: number | null;
  /** Epoch test accuracy reached 0.9; defaults to 3 before solveEpoch. */
  epoch90?: number | null;
  status?: RunResult['status'] | 'crashed';
  /** Epochs trained (default: solveEpoch, else maxEpochs). */
  epochs?: number;
  bestTestAcc?: number;
  finalTestAcc?: number;
  /** Training accuracy at the end; 'frozen' ends with `frozenEpochs` identical epochs at train 1.0 and no update. */
  finalTrainAcc?: number;
  frozen?: boolean;
  ard?: number;
  msPerEpoch?: number;
  maxEpochs?: number;
};

/** One epoch record; weight movement grows with the epoch unless frozen. */
function record(epoch: number, fields: Partial<EpochRecord>): EpochRecord {
  return {
    epoch,
    stage_n: 20,
    train_acc: 0.5,
    test_acc: 0.5,
    train_loss: 0.5,
    test_loss: 0.5,
    weight_movement_l1: epoch,
    fourier_secret: 0,
    w1_sparsity: 0,
    grad_norm_layer1: 1,
    grad_norm_layer2: 1,
    ...fields,
  };
}

export function makeRun(seed: number, sketch: RunSketch): ExperimentRun {
  const { solveEpoch = null, status = 'ok', maxEpochs = 200, msPerEpoch = 10, frozen = false } = sketch;
  if (status === 'crashed') return { seed, status: 'crashed', message: 'worker exited with code 1', elapsed_ms: 5 };
  const epochs = sketch.epochs ?? solveEpoch ?? maxEpochs;
  const epoch90 = sketch.epoch90 !== undefined ? sketch.epoch90 : solveEpoch !== null ? Math.max(1, solveEpoch - 3) : null;
  const bestTestAcc = sketch.bestTestAcc ?? (solveEpoch !== null ? 1 : epoch90 !== null ? 0.97 : 0.6);
  const finalTestAcc = sketch.finalTestAcc ?? bestTestAcc;
  const finalTrainAcc = frozen ? 1 : (sketch.finalTrainAcc ?? (solveEpoch !== null ? 1 : 0.95));
  const history = Array.from({ length: epochs }, (_, i) => {
    const epoch = i + 1;
    const frozenPart = frozen && epoch > epochs - 20;
    const testAcc = epoch === epochs ? finalTestAcc : epoch90 !== null && epoch >= epoch90 ? Math.min(bestTestAcc, 0.9) : 0.5;
    return record(epoch, {
      train_acc: epoch === epochs || frozenPart ? finalTrainAcc : Math.min(finalTrainAcc, 0.5 + epoch / (2 * epochs)),
      test_acc: frozenPart ? finalTestAcc : testAcc,
      weight_movement_l1: frozenPart ? epochs - 20 : epoch,
    });
  });
  return {
    seed,
    status,
    solved: solveEpoch !== null,
    reached_95: bestTestAcc >= 0.95,
    best_test_acc: bestTestAcc,
    final_test_acc: finalTestAcc,
    epoch_90: epoch90,
    solve_epoch: solveEpoch,
    epochs,
    elapsed_ms: epochs * msPerEpoch,
    time_to_solve_ms: solveEpoch !== null ? solveEpoch * msPerEpoch : null,
    secret: [0, 1, 2],
    history,
    ...(sketch.ard !== undefined
      ? {
          memory: {
            ard: sketch.ard,
            weighted_ard: 1,
            dmc: 1,
            energy_pj: 1,
            clock: 1,
            reads: 1,
            writes: 1,
            floats_read: 1,
            floats_written: 1,
            cold_reads: 0,
            buffers: {},
          },
        }
      : {}),
  };
}

/** Runs for seeds 42, 43, ... from sketches. */
export function makeRuns(sketches: RunSketch[]): ExperimentRun[] {
  return sketches.map((sketch, i) => makeRun(42 + i, sketch));
}

export const solvedAt = (...epochs: (number | null)[]): RunSketch[] => epochs.map((solveEpoch) => ({ solveEpoch }));
