// The one epoch driver: each run's stop reason as a value, any TrainingAlgorithm driven the same way (a scripted
// one here, with a curriculum), and the stages a backprop step announces to the probe hook, per update order.
import { describe, expect, it } from 'vitest';
import type { StepResult, TrainingAlgorithm } from './algorithm.js';
import { parseTrainConfig, type TrainConfigInput } from './config.js';
import { runEpochs } from './epoch-driver.js';
import type { Evaluation } from './metrics.js';
import type { TaskData } from './tasks.js';
import { nullTracker, type Stage, type Tracker } from './tracker.js';
import { train } from './train.js';

const easy = (overrides: TrainConfigInput = {}) => parseTrainConfig({ n_bits: 10, k: 2, hidden: 32, n_train: 300, max_epochs: 60, ...overrides });

/** Solves each stage's test set after `solveAfter` epochs of that stage; records what the driver asked of it. */
class ScriptedAlgorithm implements TrainingAlgorithm {
  readonly lossLabel = 'scripted loss';
  readonly calls: string[] = [];
  private epochsInStage = 0;
  private stepsInEpoch = 0;

  constructor(
    private readonly solveAfter: number,
    private readonly lossPerSample = 0.5,
    private readonly updatesUntilEpoch = Infinity,
  ) {}

  init(data: TaskData): void {
    this.calls.push(`init ${data.train.inputs}`);
  }
  grow(data: TaskData): void {
    this.calls.push(`grow ${data.train.inputs}`);
    this.epochsInStage = 0;
  }
  step(_data: TaskData, _order: Int32Array, _start: number, size: number): StepResult {
    this.stepsInEpoch++;
    const updated = this.epochsInStage + 1 < this.updatesUntilEpoch;
    return { lossSum: this.lossPerSample * size, updated, gradient: updated, gradNormLayer1: 1, gradNormLayer2: 2 };
  }
  evaluate(data: TaskData, dataset: TaskData['train']): Evaluation {
    if (dataset === data.test) {
      this.epochsInStage++;
      this.calls.push(`epoch of ${this.stepsInEpoch} steps`);
      this.stepsInEpoch = 0;
    }
    return { accuracy: dataset === data.test && this.epochsInStage >= this.solveAfter ? 1 : 0.5, loss: 0.5, fourierSecret: null };
  }
  progress() {
    return { weightMovementL1: 0, w1Sparsity: 0 };
  }
}

describe('runEpochs', () => {
  it('hands back why each run ended: solved, out_of_epochs, diverged, timed_out', () => {
    expect(train(easy(), 42).stop_reason).toBe('solved');
    expect(train(easy({ max_epochs: 1 }), 42).stop_reason).toBe('out_of_epochs');
    const diverged = train(parseTrainConfig({ task: 'sum', loss: 'mse', lr: 0.1 }), 42);
    expect([diverged.stop_reason, diverged.status]).toEqual(['diverged', 'diverged']);
    let clock = 0;
    const timedOut = train(easy({ n_bits: 20, k: 3 }), 42, { now: () => (clock += 1000), timeLimitMs: 2500 });
    expect([timedOut.stop_reason, timedOut.status]).toEqual(['timed_out', 'timeout']);
  });

  it('drives any algorithm: ceil(n_train / batch) steps per epoch, stopping at the epoch that solves', () => {
    const algorithm = new ScriptedAlgorithm(3);
    const result = runEpochs(algorithm, easy({ n_train: 100, batch_size: 32 }), 42);
    expect(algorithm.calls).toEqual(['init 10', 'epoch of 4 steps', 'epoch of 4 steps', 'epoch of 4 steps']);
    expect([result.stop_reason, result.solve_epoch, result.epochs]).toEqual(['solved', 3, 3]);
    expect(result.history.map((record) => [record.grad_norm_layer1, record.grad_norm_layer2])).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
  });

  it('moves to the next curriculum stage when a stage is solved, and grows the model', () => {
    const algorithm = new ScriptedAlgorithm(2);
    const result = runEpochs(algorithm, easy({ n_bits: 12, curriculum: [6, 9, 12], n_train: 64 }), 42);
    expect(algorithm.calls.filter((call) => !call.startsWith('epoch'))).toEqual(['init 6', 'grow 9', 'grow 12']);
    expect(result.history.map((record) => record.stage_n)).toEqual([6, 6, 9, 9, 12, 12]);
    expect([result.stop_reason, result.solve_epoch]).toEqual(['solved', 6]);
  });

  it("stops a run as 'frozen' after an epoch in which no step changed a parameter", () => {
    const result = runEpochs(new ScriptedAlgorithm(10, 0.5, 3), easy(), 42);
    expect([result.stop_reason, result.epochs, result.solved]).toEqual(['frozen', 3, false]);
    expect(result.history[2]!.grad_norm_layer1).toBe(0);
  });

  it('names the algorithm in the divergence message and records no epoch for the diverged one', () => {
    const result = runEpochs(new ScriptedAlgorithm(5, Infinity), easy(), 42);
    expect([result.stop_reason, result.epochs]).toEqual(['diverged', 0]);
    expect(result.message).toBe('diverged: scripted loss Infinity in epoch 1');
  });
});

describe('the probe hook', () => {
  /** The stage sequence of one epoch with a single batch (n_train = batch_size), evaluation included. */
  function stagesOf(overrides: TrainConfigInput): Stage[] {
    const stages: Stage[] = [];
    const probe: Tracker = { ...nullTracker, begin: (stage) => void stages.push(stage), end: (stage) => expect(stages[stages.length - 1]).toBe(stage) };
    train(easy({ n_train: 16, batch_size: 16, max_epochs: 1, ...overrides }), 42, { tracker: probe });
    return stages;
  }
  const update = ['transform', 'update', 'transform', 'update'];

  it('sees gather, forward, loss, backward, the updates and evaluate, in each order of backprop', () => {
    expect(stagesOf({})).toEqual(['gather', 'forward', 'loss', 'backward', 'backward', ...update, ...update, 'evaluate']);
    expect(stagesOf({ order: 'fused' })).toEqual(['gather', 'forward', 'loss', 'backward', ...update, 'backward', ...update, 'evaluate']);
    expect(stagesOf({ order: 'per-layer' })).toEqual([
      'gather',
      'forward',
      'loss',
      'backward',
      'backward',
      ...update,
      'forward',
      'loss',
      'backward',
      ...update,
      'evaluate',
    ]);
  });

  it('sees forward-forward as two local layer steps', () => {
    const layer = ['forward', 'loss', 'backward', ...update];
    expect(stagesOf({ algorithm: 'forward-forward' })).toEqual(['gather', ...layer, ...layer, 'evaluate']);
  });
});
