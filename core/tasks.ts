// The tasks of the research program, generated from seeded streams (same seed = same data, bit for bit):
// sparse parity / sum / AND over n bits in {-1,+1} with k secret indices, and modular addition /
// multiplication mod p with one-hot inputs (the EGD paper, arXiv:2510.04930).
import { isModularTask, type TaskName, type TrainConfig } from './config.js';
import { Rng } from './random.js';

/** How labels are read: +-1 classes, a real-valued target, or a class index. */
export type LabelKind = 'binary' | 'regression' | 'classes';

export type Dataset = {
  count: number;
  inputs: number;
  /** count x inputs, row-major. */
  x: Float32Array;
  /** One label per row: +-1 (binary), the target value (regression) or the class index (classes). */
  y: Float32Array;
  /** Every input is -1 or +1 (the bit tasks): layer 1 can use the sign-table kernel. */
  signs: boolean;
};

export type TaskData = {
  kind: LabelKind;
  /** Model outputs: 1, or p for modular tasks. */
  outputs: number;
  /** Secret bit indices (empty for modular tasks). */
  secret: number[];
  train: Dataset;
  test: Dataset;
};

export function labelKind(task: TaskName): LabelKind {
  if (task === 'sum') return 'regression';
  return isModularTask(task) ? 'classes' : 'binary';
}

/** The secret indices of a run: chosen inside the first curriculum stage so every stage shares them. */
export function chooseSecret(config: TrainConfig, seed: number): number[] {
  if (isModularTask(config.task)) return [];
  const firstStage = config.curriculum?.[0] ?? config.n_bits;
  return new Rng(seed, 'secret').choose(firstStage, config.k);
}

/** Train and test sets for one run (for a curriculum stage, pass nBits = the stage size). */
export function makeTaskData(config: TrainConfig, seed: number, nBits = config.n_bits): TaskData {
  if (isModularTask(config.task)) return makeModularData(config, seed);
  const secret = chooseSecret(config, seed);
  const stage = `n${nBits}`;
  return {
    kind: labelKind(config.task),
    outputs: 1,
    secret,
    train: makeBitDataset(config.task, nBits, secret, config.n_train, new Rng(seed, `train-data/${stage}`)),
    test: makeBitDataset(config.task, nBits, secret, config.n_test, new Rng(seed, `test-data/${stage}`)),
  };
}

/** count random rows of nBits signs; the label is a function of the secret bits only. */
export function makeBitDataset(task: TaskName, nBits: number, secret: number[], count: number, rng: Rng): Dataset {
  const x = new Float32Array(count * nBits);
  const y = new Float32Array(count);
  for (let row = 0; row < count; row++) {
    const base = row * nBits;
    for (let j = 0; j < nBits; j++) x[base + j] = rng.sign();
    y[row] = bitLabel(task, x, base, secret);
  }
  return { count, inputs: nBits, x, y, signs: true };
}

function bitLabel(task: TaskName, x: Float32Array, base: number, secret: number[]): number {
  if (task === 'parity') {
    let product = 1;
    for (const index of secret) product *= x[base + index]!;
    return product;
  }
  if (task === 'sum') {
    let sum = 0;
    for (const index of secret) sum += x[base + index]!;
    return sum;
  }
  if (task === 'and') {
    for (const index of secret) if (x[base + index]! < 0) return -1;
    return 1;
  }
  throw new Error(`bitLabel: ${task} is not a bit task`);
}

/** All p*p pairs (a, b), shuffled by the seed; the first train_fraction of them train, the rest test. */
function makeModularData(config: TrainConfig, seed: number): TaskData {
  const p = config.modulus;
  const order = new Rng(seed, 'split').shuffle(Int32Array.from({ length: p * p }, (_, i) => i));
  const trainCount = Math.max(1, Math.min(p * p - 1, Math.round(config.train_fraction * p * p)));
  const combine = config.task === 'mod-add' ? (a: number, b: number) => (a + b) % p : (a: number, b: number) => (a * b) % p;
  const build = (pairs: Int32Array): Dataset => {
    const x = new Float32Array(pairs.length * 2 * p);
    const y = new Float32Array(pairs.length);
    pairs.forEach((pair, row) => {
      const a = Math.floor(pair / p);
      const b = pair % p;
      x[row * 2 * p + a] = 1;
      x[row * 2 * p + p + b] = 1;
      y[row] = combine(a, b);
    });
    return { count: pairs.length, inputs: 2 * p, x, y, signs: false };
  };
  return {
    kind: 'classes',
    outputs: p,
    secret: [],
    train: build(order.subarray(0, trainCount)),
    test: build(order.subarray(trainCount)),
  };
}
