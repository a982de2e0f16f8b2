// Fast mode's numbers are part of recorded experiments (experiments/fastest-solve.md, modular-addition-egd*.md): a
// speed-up may change how the sums are scheduled, never their order. Each run here is pinned to the hash of its result
// (wall times left out) as the fast mode of commit 631a022 computed it, before the sign-input kernels.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig, type TrainConfigInput } from '../config.js';
import { train } from '../train.js';

const recorded: Array<[string, TrainConfigInput, string]> = [
  [
    'the fastest-solve arm (hidden 16, batch 4, lr 0.3, n_train 500)',
    { hidden: 16, batch_size: 4, lr: 0.3, n_train: 500, eval_train_every: 0 },
    'fc7a1fac46235e4c',
  ],
  ['canonical SGD, batch 32', { max_epochs: 8 }, '04c3af9114d56711'],
  ['canonical SGD, batch 1', { batch_size: 1, max_epochs: 3 }, 'e83bae9cc173cae8'],
  ['EGD, batch 32', { optimizer: 'egd', max_epochs: 4 }, '04dec51c5549dc40'],
  ['awkward shapes (n 23, hidden 37, batch 7)', { n_bits: 23, hidden: 37, batch_size: 7, n_train: 301, n_test: 77, max_epochs: 6 }, 'bb1c78312a215332'],
  [
    'mod-add EGD (p 23, hidden 40, batch 64)',
    { task: 'mod-add', modulus: 23, hidden: 40, batch_size: 64, optimizer: 'egd', max_epochs: 3 },
    '21f08cd6963ec553',
  ],
];

describe('wasm fast mode', () => {
  it.each(recorded)('gives the recorded numbers on %s (seed 42)', (_name, config, hash) => {
    const { elapsed_ms: _elapsed, time_to_solve_ms: _time, ...numbers } = train(parseTrainConfig({ ...config, backend: 'wasm', backend_mode: 'fast' }), 42);
    expect(createHash('sha256').update(JSON.stringify(numbers)).digest('hex').slice(0, 16)).toBe(hash);
  });
});
