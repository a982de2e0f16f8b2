// Spec validation (each malformed spec names the file, the field, the value and the fix), sweep expansion
// and seed lists.
import { describe, expect, it } from 'vitest';
import { expandArms, parseSeeds, parseSpec, SpecError } from './spec.js';

const valid = {
  id: 'egd-vs-sgd',
  title: 'EGD against SGD',
  question: 'Does EGD reach 90% sooner?',
  hypothesis: 'EGD needs fewer epochs.',
  task: 'parity',
  base: { n_bits: 20 },
  arms: [
    { name: 'sgd', baseline: true },
    { name: 'egd', overrides: { optimizer: 'egd' } },
  ],
  seeds: '42-46',
  metric: { name: 'epoch_90' },
};

function problemsOf(input: unknown): string {
  try {
    parseSpec(input, 'experiments/bad.md');
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return (error as Error).message;
  }
  throw new Error('expected the spec to be refused');
}

describe('parseSpec', () => {
  it('accepts a valid spec and fills the defaults', () => {
    const spec = parseSpec(valid, 'experiments/egd-vs-sgd.md');
    expect(spec.seeds).toEqual([42, 43, 44, 45, 46]);
    expect(spec.time_limit).toBe(120);
    expect(spec.secondary).toEqual([]);
  });

  it.each([
    ['a missing id', { ...valid, id: undefined }, /id: .*expected string/],
    ['an id with capitals and underscores', { ...valid, id: 'EGD_lr' }, /id \(got "EGD_lr"\): use lowercase letters, digits and dashes/],
    ['an unknown top-level key', { ...valid, arm: [] }, /Unrecognized key: "arm"/],
    ['an unknown config key in base', { ...valid, base: { n_bit: 20 } }, /base.*Unrecognized key: "n_bit"/],
    [
      'an unknown optimizer in an arm',
      { ...valid, arms: [valid.arms[0], { name: 'adam', overrides: { optimizer: 'adam' } }] },
      /arms\.1\.overrides\.optimizer \(got "adam"\): Invalid option: expected one of "sgd"\|"sign-sgd"\|"grokfast"\|"egd"/,
    ],
    ['k larger than n_bits', { ...valid, base: { n_bits: 4, k: 6 } }, /k = 6 secret bits cannot exceed n_bits = 4; use k <= n_bits/],
    [
      'two baselines',
      {
        ...valid,
        arms: [
          { name: 'a', baseline: true },
          { name: 'b', baseline: true },
        ],
      },
      /arms \(got .*\): 2 arms say baseline: true; mark exactly one/,
    ],
    [
      'duplicate arm names',
      { ...valid, arms: [{ name: 'sgd', baseline: true }, { name: 'sgd' }] },
      /arms\.1\.name \(got "sgd"\): arm name "sgd" is used twice/,
    ],
    ['no arms and no sweep', { ...valid, arms: [] }, /arms \(got \[\]\): no arms and no sweep: add at least one arm/],
    [
      'three seeds without a reason',
      { ...valid, seeds: '42-44' },
      /seeds \(got "42-44"\): 3 seeds is fewer than 5; add seeds \(e\.g\. 42-46\) or say why in seeds_reason/,
    ],
    ['a reversed seed range', { ...valid, seeds: '46-42' }, /seeds \(got "46-42"\): seed range "46-42" runs backwards; write it as 42-46/],
    ['an unknown metric', { ...valid, metric: { name: 'accuracy' } }, /metric\.name \(got "accuracy"\): Invalid option/],
    [
      'a sweep over an unknown key',
      { ...valid, sweep: { learning_rate: [0.1, 0.2] } },
      /sweep\.learning_rate \(got \[0\.1,0\.2\]\): unknown config key "learning_rate"; sweepable keys: .*lr/,
    ],
    ['a zero time limit', { ...valid, time_limit: 0 }, /time_limit \(got 0\): Too small/],
  ])('refuses %s, naming the file, field, value and fix', (_name, input, message) => {
    const text = problemsOf(input);
    expect(text).toMatch(/^experiments\/bad\.md: invalid experiment spec/);
    expect(text).toMatch(message);
  });

  it('takes min_effect as an optional key without a default, so specs without it keep their hash', () => {
    expect(parseSpec({ ...valid, min_effect: 0.1 }).min_effect).toBe(0.1);
    expect('min_effect' in parseSpec(valid)).toBe(false);
    expect(problemsOf({ ...valid, min_effect: 1.5 })).toMatch(/min_effect/);
  });

  it('accepts fewer than 5 seeds when the spec says why', () => {
    expect(parseSpec({ ...valid, seeds: [1, 2], seeds_reason: 'a smoke test' }).seeds).toEqual([1, 2]);
  });
});

describe('expandArms', () => {
  it('expands a sweep into one arm per combination, on top of the base, with an implicit baseline arm', () => {
    const spec = parseSpec({ ...valid, arms: [], base: { n_bits: 30, max_epochs: 300 }, sweep: { lr: [0.05, 0.2], wd: [0.01, 0.1] } });
    const arms = expandArms(spec);
    expect(arms.map((arm) => arm.name)).toEqual(['baseline', 'lr=0.05,wd=0.01', 'lr=0.05,wd=0.1', 'lr=0.2,wd=0.01', 'lr=0.2,wd=0.1']);
    expect(arms[0]!.baseline).toBe(true);
    expect(arms.map((arm) => [arm.config.lr, arm.config.wd])).toEqual([
      [0.1, 0.01],
      [0.05, 0.01],
      [0.05, 0.1],
      [0.2, 0.01],
      [0.2, 0.1],
    ]);
    for (const arm of arms) expect([arm.config.n_bits, arm.config.max_epochs]).toEqual([30, 300]);
  });

  it('keeps base values in an arm that overrides something else', () => {
    const spec = parseSpec({ ...valid, base: { n_bits: 30 }, arms: [{ name: 'fast', overrides: { lr: 0.3 } }] });
    const [baseline, fast] = expandArms(spec);
    expect(baseline!.name).toBe('baseline');
    expect(fast!.config).toMatchObject({ n_bits: 30, lr: 0.3 });
  });

  it('makes the arm without overrides the baseline when none is marked', () => {
    const spec = parseSpec({ ...valid, arms: [{ name: 'egd', overrides: { optimizer: 'egd' } }, { name: 'plain' }] });
    expect(expandArms(spec).find((arm) => arm.baseline)!.name).toBe('plain');
  });
});

describe('parseSeeds', () => {
  it('reads ranges, lists, single numbers and arrays, without duplicates', () => {
    expect(parseSeeds('42-46')).toEqual([42, 43, 44, 45, 46]);
    expect(parseSeeds('42, 44,50-52,44')).toEqual([42, 44, 50, 51, 52]);
    expect(parseSeeds(7)).toEqual([7]);
    expect(parseSeeds([3, 1, 3])).toEqual([3, 1]);
  });

  it('refuses words and empty lists with the fix', () => {
    expect(() => parseSeeds('forty')).toThrow(/"forty" is not a seed; use whole numbers and ranges like 42-46/);
    expect(() => parseSeeds('')).toThrow(/no seeds given/);
  });
});
