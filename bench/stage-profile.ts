// Where one epoch's time goes: forward, backward + update, evaluation, and what EGD's transform would add,
// timed with manual timers around the core's own kernels (the same ones train() runs) on a real run.
// The loop below is train()'s standard-order epoch (shuffle, gather, trainStep, evaluate), written out only to put
// timers between the stages; its total reads against the SGD batch 32 row of the bench (one seed, not a median).
import { makeTaskData, mlpLayout, parseTrainConfig, Rng, type TrainConfigInput } from '../core/index.js';
import { createBatchBuffers, createModel, forwardBatch, trainStep, type StepContext } from '../core/backprop.js';
import { createOrthogonalizeWorkspace, orthogonalize } from '../core/linalg.js';
import { evaluate, w1Sparsity, weightMovementL1 } from '../core/metrics.js';
import { initMlp } from '../core/mlp.js';
import { initOptimizerState } from '../core/optimizers.js';
import { gatherRows } from '../core/train.js';
import { nullTracker } from '../core/tracker.js';

export type StageProfile = {
  config: TrainConfigInput;
  seed: number;
  epochs: number;
  /** Mean ms per epoch of each stage of the SGD loop. */
  ms_per_epoch: {
    /** forwardBatch on each training batch. */
    forward: number;
    /** trainStep minus its forward: loss, backward, gradient norms, update. */
    backward_and_update: number;
    /** Train and test accuracy/loss, Fourier coefficient, ||w - w0||_1, W1 sparsity. */
    evaluation: number;
    shuffle_and_gather: number;
    total: number;
  };
  /** EGD's orthogonalization of each step's W1 gradient (200 x 20), timed on a copy and not applied. */
  egd_transform_ms_per_epoch: number;
};

/**
 * Runs one SGD training run (to solve or maxEpochs) with stage timers. A step's forward is timed on its own,
 * then trainStep (which repeats the forward) is timed whole; backward + update is the difference.
 */
export function profileStages(configInput: TrainConfigInput = {}, seed = 42, maxEpochs = 200): StageProfile {
  const config = parseTrainConfig({ ...configInput, optimizer: 'sgd' });
  const data = makeTaskData(config, seed);
  const layout = mlpLayout(data.train.inputs, config.hidden, data.outputs);
  const params = initMlp(layout, new Rng(seed, 'init'));
  const initial = params.slice();
  const model = createModel(layout, params, initOptimizerState(config, layout));
  const batch = createBatchBuffers(layout, config.batch_size, true);
  const ctx: StepContext = { config, kind: data.kind, model, batch, tracker: nullTracker };
  const shuffleRng = new Rng(seed, 'shuffle');
  const order = Int32Array.from({ length: data.train.count }, (_, i) => i);
  const egdWorkspace = createOrthogonalizeWorkspace(layout.W1.rows, layout.W1.cols);
  const gradientCopy = new Float32Array(layout.W1.size);
  const totals = { forward: 0, step: 0, evaluation: 0, gather: 0, egd: 0 };
  const evalOptions = { loss: config.loss, kind: data.kind, secret: data.secret };
  let epochs = 0;
  while (epochs < Math.min(maxEpochs, config.max_epochs)) {
    epochs++;
    let mark = performance.now();
    shuffleRng.shuffle(order);
    for (let start = 0; start < data.train.count; start += config.batch_size) {
      const size = Math.min(config.batch_size, data.train.count - start);
      gatherRows(batch, data.train, order, start, size);
      const gathered = performance.now();
      forwardBatch(ctx, size);
      const forwarded = performance.now();
      const step = trainStep(ctx, size);
      const stepped = performance.now();
      totals.gather += gathered - mark;
      totals.forward += forwarded - gathered;
      totals.step += stepped - forwarded;
      if (step.updated) {
        gradientCopy.set(model.g.W1);
        orthogonalize(gradientCopy, layout.W1.rows, layout.W1.cols, egdWorkspace);
        totals.egd += performance.now() - stepped;
      }
      mark = performance.now();
    }
    const evaluationStart = performance.now();
    evaluate(params, layout, data.train, evalOptions);
    const test = evaluate(params, layout, data.test, evalOptions);
    weightMovementL1(params, initial);
    w1Sparsity(params, layout);
    totals.evaluation += performance.now() - evaluationStart;
    if (test.accuracy >= 1) break;
  }
  const perEpoch = (total: number) => total / epochs;
  const backwardAndUpdate = Math.max(0, totals.step - totals.forward);
  return {
    config: configInput,
    seed,
    epochs,
    ms_per_epoch: {
      forward: perEpoch(totals.forward),
      backward_and_update: perEpoch(backwardAndUpdate),
      evaluation: perEpoch(totals.evaluation),
      shuffle_and_gather: perEpoch(totals.gather),
      total: perEpoch(totals.forward + backwardAndUpdate + totals.evaluation + totals.gather),
    },
    egd_transform_ms_per_epoch: perEpoch(totals.egd),
  };
}
