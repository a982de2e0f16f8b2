// The seed tables, statistically (our generator differs from numpy's, so compare across seeds, not per seed):
// canonical SGD (seeds 000 / 003), single-sample SGD (seed 003), EGD vs SGD (seed 000), sparse sum (seed 000).
// The seeds' numbers are the spec: a miss here means the implementation deviates, not that the target is loose.
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrainConfig, type TrainConfigInput } from './config.js';
import type { RunResult } from './result.js';
import { train } from './train.js';

const SEEDS = [42, 43, 44, 45, 46];

const arms = {
  'SGD batch 32': {},
  'SGD single-sample': { batch_size: 1 },
  'EGD batch 32': { optimizer: 'egd' },
  'sum SGD (mse, lr 0.1)': { task: 'sum' },
  'sum EGD (mse, lr 0.1)': { task: 'sum', optimizer: 'egd' },
} satisfies Record<string, TrainConfigInput>;

type ArmName = keyof typeof arms;

const cache = new Map<ArmName, RunResult[]>();

/** The five seeds of one arm on the canonical config (parseTrainConfig defaults), run once and shared. */
function runArm(name: ArmName): RunResult[] {
  let results = cache.get(name);
  if (!results) {
    const config = parseTrainConfig(arms[name]);
    results = SEEDS.map((seed) => train(config, seed));
    cache.set(name, results);
  }
  return results;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const solvedCount = (results: RunResult[]) => results.filter((result) => result.solved).length;

/** Runs that never got there count as the epoch budget (200), so a median is always defined. */
const epochsOr = (results: RunResult[], pick: (result: RunResult) => number | null) => results.map((result) => pick(result) ?? 200);

afterAll(() => {
  const show = (value: number | null) => (value === null ? '-' : String(value));
  const lines = ['| arm | solved | epoch_90 per seed | solve_epoch per seed | status |', '|---|---|---|---|---|'];
  for (const [name, results] of cache) {
    lines.push(
      `| ${name} | ${solvedCount(results)}/5 | ${results.map((r) => show(r.epoch_90)).join(' ')} | ` +
        `${results.map((r) => show(r.solve_epoch)).join(' ')} | ${results.map((r) => r.status).join(' ')} |`,
    );
  }
  console.log(`Seed tables, measured (seeds ${SEEDS.join(', ')}):\n${lines.join('\n')}`);
});

describe('the seed tables, statistically', () => {
  it('canonical SGD (batch 32) solves 5/5 seeds with median epochs to solve inside the seeds range 28-49', () => {
    const results = runArm('SGD batch 32');
    expect(solvedCount(results)).toBe(5);
    const solveMedian = median(epochsOr(results, (r) => r.solve_epoch));
    expect(solveMedian).toBeGreaterThanOrEqual(28);
    expect(solveMedian).toBeLessThanOrEqual(49);
  });

  it('single-sample SGD solves 5/5 seeds in a handful of epochs (seed 003: 5.2 on average; median <= 10)', () => {
    const results = runArm('SGD single-sample');
    expect(solvedCount(results)).toBe(5);
    expect(median(epochsOr(results, (r) => r.solve_epoch))).toBeLessThanOrEqual(10);
  });

  it('EGD reaches 90% in clearly fewer epochs than SGD (seed 000: 14 vs 33; median <= 0.7x SGD) and solves 5/5', () => {
    const egd = runArm('EGD batch 32');
    const sgd = runArm('SGD batch 32');
    expect(solvedCount(egd)).toBe(5);
    expect(median(epochsOr(egd, (r) => r.epoch_90))).toBeLessThanOrEqual(0.7 * median(epochsOr(sgd, (r) => r.epoch_90)));
  });

  it('on sparse sum with MSE at lr = 0.1, SGD fails (0/5) and EGD solves (>= 4/5)', () => {
    expect(solvedCount(runArm('sum SGD (mse, lr 0.1)'))).toBe(0);
    expect(solvedCount(runArm('sum EGD (mse, lr 0.1)'))).toBeGreaterThanOrEqual(4);
  });
});
