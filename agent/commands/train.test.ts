// `lab train`: flags to a validated config with errors that name the flag, and the JSON it prints.
import { describe, expect, it } from 'vitest';
import { runTrainCommand, type TrainOutput } from './train.js';
import { TrainConfigSchema, trainConfigFields } from '../../core/index.js';
import { configFlags, configFromFlags, seedsFromFlag } from './train-flags.js';

describe('lab train flags', () => {
  it('defaults to the canonical configuration of the seeds', () => {
    const config = configFromFlags({});
    expect(config).toMatchObject({
      task: 'parity',
      n_bits: 20,
      k: 3,
      hidden: 200,
      lr: 0.1,
      wd: 0.01,
      batch_size: 32,
      n_train: 1000,
      n_test: 200,
      max_epochs: 200,
      loss: 'hinge',
      optimizer: 'sgd',
      order: 'standard',
      algorithm: 'backprop',
    });
    expect(seedsFromFlag(undefined)).toEqual([42, 43, 44, 45, 46]);
  });

  it('maps kebab-case flags to config keys, including lists', () => {
    const config = configFromFlags({ 'n-bits': '30', 'batch-size': '1', optimizer: 'egd', curriculum: '10,20,30', 'grokfast-alpha': '0.9' });
    expect(config).toMatchObject({ n_bits: 30, batch_size: 1, optimizer: 'egd', curriculum: [10, 20, 30], grokfast_alpha: 0.9 });
    expect(seedsFromFlag('42,50-52')).toEqual([42, 50, 51, 52]);
  });

  it.each([
    [{ k: '30' }, /--k 30: k = 30 secret bits cannot exceed n_bits = 20/],
    [{ hidden: '0' }, /--hidden 0: .*>0/],
    [{ optimizer: 'adam' }, /--optimizer "adam": .*"sgd"\|"sign-sgd"\|"grokfast"\|"egd"/],
    [{ lr: 'fast' }, /--lr "fast": expected a number/],
    [{ curriculum: '10,x' }, /--curriculum "10,x": give comma-separated whole numbers, e.g. --curriculum 10,20/],
    [{ task: 'sum', loss: 'hinge' }, /--loss "hinge": sum is a regression task; use loss mse/],
  ])('refuses %j naming the flag, the value and what is allowed', (flags, message) => {
    expect(() => configFromFlags(flags)).toThrow(message);
  });

  it('refuses a backwards seed range with the fix', () => {
    expect(() => seedsFromFlag('46-42')).toThrow(/--seeds "46-42": .*runs backwards; write it as 42-46/);
  });
});

describe('lab train flags from the config schema', () => {
  it('has one flag per config key, kebab-case, in the schema order', () => {
    expect(Object.keys(configFlags())).toEqual(Object.keys(trainConfigFields).map((key) => key.replace(/_/g, '-')));
  });

  it('shows the schema defaults and offers the schema enums as choices', () => {
    const flags = configFlags();
    const defaults = TrainConfigSchema.parse({}) as Record<string, unknown>;
    for (const [key, schema] of Object.entries(trainConfigFields)) {
      const flag = flags[key.replace(/_/g, '-')]!;
      const hasDefault = schema.safeParse(undefined).data !== undefined;
      expect(flag.shownDefault).toBe(hasDefault ? String(defaults[key]) : undefined);
    }
    expect(flags['optimizer']!.choices).toEqual(['sgd', 'sign-sgd', 'grokfast', 'egd']);
    expect(flags['loss']!.choices).toEqual(['hinge', 'logistic', 'mse', 'cross-entropy']);
    expect(flags['n-bits']!.value).toBe('number');
    expect(flags['curriculum']!.value).toBe('list');
  });
});

describe('lab train --json', () => {
  it('prints one JSON object with the config and every seed run, memory figures when tracked', () => {
    const printed: string[] = [];
    let clock = 0;
    const code = runTrainCommand(
      { 'n-bits': '8', k: '2', hidden: '32', 'n-train': '256', 'n-test': '128', 'max-epochs': '40', seeds: '1-2', track: true, json: true },
      { now: () => (clock += 1), print: (text) => printed.push(text) },
    );
    expect(code).toBe(0);
    expect(printed).toHaveLength(1);
    const output = JSON.parse(printed[0]!) as TrainOutput;
    expect(output.config.n_bits).toBe(8);
    expect(output.runs.map((run) => run.seed)).toEqual([1, 2]);
    for (const run of output.runs) {
      expect(Object.keys(run)).toEqual(
        expect.arrayContaining(['seed', 'solved', 'best_test_acc', 'epoch_90', 'solve_epoch', 'epochs', 'elapsed_ms', 'history', 'memory']),
      );
      expect(run.history).toHaveLength(run.epochs);
      expect(run.memory!.ard).toBeGreaterThan(0);
      expect(run.memory!.dmc).toBeGreaterThan(0);
    }
  });

  it('tracks the LRU stack beside ARD, every step or one step in k with --track-every, and prints the per-buffer table', () => {
    const run = (flags: Record<string, string | boolean>, trackEvery?: number) => {
      const printed: string[] = [];
      runTrainCommand(
        { 'n-bits': '8', k: '2', hidden: '32', 'n-train': '256', 'n-test': '128', 'max-epochs': '3', seeds: '1', track: true, ...flags },
        { now: () => 0, print: (text) => printed.push(text), ...(trackEvery ? { trackEvery } : {}) },
      );
      return printed.join('\n');
    };
    const json = (trackEvery?: number) => (JSON.parse(run({ json: true }, trackEvery)) as TrainOutput).runs[0]!.memory as unknown as Record<string, unknown>;
    expect(json()).toMatchObject({ granularity: { mode: 'every-step' } });
    expect(json(4)).toMatchObject({ granularity: { mode: 'sampled', every: 4 } });
    expect(json()['dmd']).toBeGreaterThan(0);
    expect(run({})).toMatch(/memory per buffer, seed 1 \(LRU stack: every-step\)[\s\S]*\| W1 /);
  });
});
