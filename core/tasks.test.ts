// The tasks: reproducible bit for bit, independent train and test draws, labels computed from the secret bits
// only, and modular tasks that split all p*p pairs between train and test exactly once.
import { describe, expect, it } from 'vitest';
import { parseTrainConfig, type TrainConfigInput } from './config.js';
import { chooseSecret, makeTaskData, type Dataset } from './tasks.js';

const small = (overrides: TrainConfigInput = {}) => parseTrainConfig({ n_bits: 12, k: 3, n_train: 300, n_test: 100, ...overrides });

function rowKey(data: Dataset, row: number): string {
  return Array.from(data.x.subarray(row * data.inputs, (row + 1) * data.inputs)).join(',');
}

describe('bit tasks', () => {
  it('gives the same data bit for bit for the same seed, and different data and secrets across seeds', () => {
    const config = small();
    const first = makeTaskData(config, 42);
    const again = makeTaskData(config, 42);
    expect(again.secret).toEqual(first.secret);
    expect(Buffer.from(again.train.x.buffer).equals(Buffer.from(first.train.x.buffer))).toBe(true);
    expect(Buffer.from(again.test.y.buffer).equals(Buffer.from(first.test.y.buffer))).toBe(true);
    const other = makeTaskData(config, 43);
    expect(Buffer.from(other.train.x.buffer).equals(Buffer.from(first.train.x.buffer))).toBe(false);
    const secrets = new Set([42, 43, 44, 45, 46, 47].map((seed) => chooseSecret(config, seed).join(',')));
    expect(secrets.size).toBeGreaterThan(1);
  });

  it('draws train and test independently: with 20 bits they share almost no rows and test is no prefix of train', () => {
    const data = makeTaskData(small({ n_bits: 20, n_train: 1000, n_test: 200 }), 42);
    const trainRows = new Set(Array.from({ length: data.train.count }, (_, row) => rowKey(data.train, row)));
    let shared = 0;
    for (let row = 0; row < data.test.count; row++) if (trainRows.has(rowKey(data.test, row))) shared++;
    expect(shared).toBeLessThanOrEqual(2); // expected 200 * 1000 / 2^20 = 0.19
    expect(rowKey(data.test, 0)).not.toBe(rowKey(data.train, 0));
  });

  it('has inputs in {-1, +1}, k distinct sorted secret indices, and roughly balanced bits', () => {
    const data = makeTaskData(small(), 7);
    expect(data.train.x.every((v) => v === 1 || v === -1)).toBe(true);
    expect(data.secret).toHaveLength(3);
    expect([...data.secret].sort((a, b) => a - b)).toEqual(data.secret);
    expect(new Set(data.secret).size).toBe(3);
    expect(data.secret.every((i) => i >= 0 && i < 12)).toBe(true);
    const mean = data.train.x.reduce((sum, v) => sum + v, 0) / data.train.x.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
  });

  for (const [task, label] of [
    ['parity', (bits: number[]) => bits.reduce((p, b) => p * b, 1)],
    ['sum', (bits: number[]) => bits.reduce((s, b) => s + b, 0)],
    ['and', (bits: number[]) => (bits.every((b) => b === 1) ? 1 : -1)],
  ] as const) {
    it(`labels ${task} rows with a function of the secret bits only (train and test)`, () => {
      const data = makeTaskData(small({ task }), 11);
      for (const set of [data.train, data.test]) {
        for (let row = 0; row < set.count; row++) {
          const bits = data.secret.map((i) => set.x[row * set.inputs + i]!);
          expect(set.y[row]).toBe(label(bits));
        }
      }
      expect(data.kind).toBe(task === 'sum' ? 'regression' : 'binary');
      expect(data.outputs).toBe(1);
    });
  }

  it('keeps the secret across curriculum stages: it lies inside the first stage and stage data has the stage width', () => {
    const config = small({ n_bits: 20, curriculum: [8, 20] });
    for (const seed of [1, 2, 3, 4, 5]) {
      const stage1 = makeTaskData(config, seed, 8);
      const stage2 = makeTaskData(config, seed, 20);
      expect(stage2.secret).toEqual(stage1.secret);
      expect(stage1.secret.every((i) => i < 8)).toBe(true);
      expect(stage1.train.inputs).toBe(8);
      expect(stage2.train.inputs).toBe(20);
    }
  });
});

describe('modular tasks', () => {
  for (const [task, combine] of [
    ['mod-add', (a: number, b: number, p: number) => (a + b) % p],
    ['mod-mul', (a: number, b: number, p: number) => (a * b) % p],
  ] as const) {
    it(`${task} covers every pair (a, b) exactly once across train + test, one-hot inputs, correct labels`, () => {
      const p = 11;
      const config = parseTrainConfig({ task, modulus: p, train_fraction: 0.3 });
      const data = makeTaskData(config, 5);
      expect(data.kind).toBe('classes');
      expect(data.outputs).toBe(p);
      expect(data.train.count).toBe(Math.round(0.3 * p * p));
      expect(data.train.count + data.test.count).toBe(p * p);
      const seen = new Map<number, number>();
      for (const set of [data.train, data.test]) {
        expect(set.inputs).toBe(2 * p);
        for (let row = 0; row < set.count; row++) {
          const x = set.x.subarray(row * 2 * p, (row + 1) * 2 * p);
          expect(x.reduce((s, v) => s + v, 0)).toBe(2);
          const a = x.subarray(0, p).indexOf(1);
          const b = x.subarray(p).indexOf(1);
          expect(a).toBeGreaterThanOrEqual(0);
          expect(b).toBeGreaterThanOrEqual(0);
          expect(set.y[row]).toBe(combine(a, b, p));
          seen.set(a * p + b, (seen.get(a * p + b) ?? 0) + 1);
        }
      }
      expect(seen.size).toBe(p * p);
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
    });
  }

  it('splits the pairs by the seed: same seed same split, another seed another split', () => {
    const config = parseTrainConfig({ task: 'mod-add', modulus: 7 });
    const first = makeTaskData(config, 1);
    expect(Array.from(makeTaskData(config, 1).train.y)).toEqual(Array.from(first.train.y));
    expect(Array.from(makeTaskData(config, 2).train.x)).not.toEqual(Array.from(first.train.x));
    expect(first.secret).toEqual([]);
  });
});
