import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseSpec, trainConfigFields } from '../../core/index.js';
import { checkSpecInSearchSpace } from '../planners/claude-search-space.js';
import { knobsBoundElsewhere, searchKnobs, searchSpaceJsonSchema, searchSpaceKnobs, searchSpaceLines } from './search-knobs.js';
import { parseSearchSpace } from './search-space.js';

const templateText = readFileSync(new URL('../../templates/experiments/search-space.yaml', import.meta.url), 'utf8');
const rootText = readFileSync(new URL('../../experiments/search-space.yaml', import.meta.url), 'utf8');
const template = parseSearchSpace(templateText);

/** The search space as lab init wrote it before the knobs came from the core. */
const oldText = `tasks: [parity, sum, and, mod-add, mod-mul]
parameters:
  n_bits: [10, 20, 30, 40, 50]
  hidden: [50, 100, 200, 400]
  wd: [0, 0.001, 0.01, 0.1, 1.0]
  loss: [hinge, logistic, mse]
  optimizer: [sgd, sign-sgd, grokfast, egd]
limits: { max_seeds: 20, max_time_limit: 300, max_epochs: 1000, max_runs: 120 }
`;

describe('the search space is the core', () => {
  it('has a knob for every key of the core config schema, so a new key cannot be forgotten', () => {
    const keys = searchKnobs.filter((knob) => knob.scope === 'config').map((knob) => knob.key);
    expect([...keys, ...knobsBoundElsewhere].sort()).toEqual(Object.keys(trainConfigFields).sort());
    expect(searchKnobs.find((knob) => knob.key === 'track_every')).toMatchObject({ scope: 'spec', kind: 'integer' });
    expect(searchKnobs.find((knob) => knob.key === 'curriculum')).toMatchObject({ kind: 'stage-list', default: null });
    expect(searchKnobs.find((knob) => knob.key === 'optimizer')).toMatchObject({
      kind: 'enum',
      default: 'sgd',
      choices: ['sgd', 'sign-sgd', 'grokfast', 'egd'],
    });
  });

  it('lists an ordered value list for every knob in the template, and every value of every enum', () => {
    const templateKeys = Object.keys((parseYaml(templateText) as { parameters: Record<string, unknown> }).parameters);
    for (const knob of searchKnobs) expect(templateKeys, `templates/experiments/search-space.yaml lists ${knob.key}`).toContain(knob.key);
    for (const knob of searchKnobs.filter((candidate) => candidate.choices))
      expect(template.parameters[knob.key]).toEqual(expect.arrayContaining([...knob.choices!]));
  });

  it('offers what the issue asked for: curriculum stage lists, n_train, modulus, train_fraction, wd 0.02 and 0.05, hidden 2000, the skip rule', () => {
    expect(template.parameters['curriculum']).toContainEqual([10, 20]);
    expect(template.parameters['wd']).toEqual(expect.arrayContaining([0.02, 0.05]));
    expect(template.parameters['hidden']).toContain(2000);
    expect(template.parameters['loss']).toContain('cross-entropy');
    for (const key of [
      'n_train',
      'modulus',
      'train_fraction',
      'ff_threshold',
      'zero_gradient_batch',
      'backend',
      'backend_mode',
      'eval_train_every',
      'track_every',
    ])
      expect(template.parameters[key]?.length, key).toBeGreaterThan(1);
  });

  it('still parses an old search-space.yaml: listed keys keep their lists, enums it left out get all the core values, numbers only the default', () => {
    const old = parseSearchSpace(oldText);
    expect(old.parameters['loss']).toEqual(['hinge', 'logistic', 'mse']);
    expect(old.parameters['order']).toEqual(['standard', 'fused', 'per-layer']);
    expect(old.parameters['zero_gradient_batch']).toEqual(['skip', 'update']);
    expect(old.parameters['modulus']).toEqual([97]);
    expect(old.parameters['curriculum']).toBeUndefined();
    expect(() => parseSearchSpace(rootText)).not.toThrow();
  });

  it('fails with the file, the key and the value when a value is not one the core accepts, or a key is no knob', () => {
    const bad = oldText.replace(
      'optimizer: [sgd, sign-sgd, grokfast, egd]',
      'optimizer: [sgd, adam]\n  hiden: [100]\n  curriculum: [[20, 10]]\n  hidden: [0.5]',
    );
    expect(() => parseSearchSpace(bad.replace('  hidden: [50, 100, 200, 400]\n', ''), 'ws/experiments/search-space.yaml')).toThrow(
      /ws\/experiments\/search-space\.yaml: invalid search space\n {2}- parameters\.optimizer\.1 \(got "adam"\): not a valid optimizer: .*\n {2}- parameters\.hiden: not a knob of the core; knobs: .*hidden/,
    );
    expect(() => parseSearchSpace(bad.replace('  hidden: [50, 100, 200, 400]\n', ''))).toThrow(/parameters\.hidden\.0 \(got 0\.5\): not a valid hidden/);
    expect(() => parseSearchSpace('tasks: [parity, xor]\nparameters: {}\nlimits: { max_seeds: 1, max_time_limit: 1, max_epochs: 1, max_runs: 1 }')).toThrow(
      /tasks\.1 \(got "xor"\)/,
    );
  });
});

describe('one source for the planners: knobs, lines and a JSON schema', () => {
  it('gives each knob its allowed values in order, and a JSON schema of the overrides a planner may write', () => {
    const hidden = searchSpaceKnobs(template).find((knob) => knob.key === 'hidden');
    expect(hidden).toEqual({ key: 'hidden', scope: 'config', kind: 'integer', values: [50, 100, 200, 400, 500, 1000, 2000], default: 200 });
    const schema = searchSpaceJsonSchema(template);
    expect(schema.overrides).toMatchObject({
      additionalProperties: false,
      properties: { wd: { enum: [0, 0.001, 0.01, 0.02, 0.05, 0.1, 1.0] }, max_epochs: { maximum: 1000 } },
    });
    expect((schema.overrides as { properties: Record<string, unknown> }).properties).not.toHaveProperty('track_every');
    expect(schema.spec).toMatchObject({ properties: { track_every: { enum: [1, 2, 5, 10] }, task: { enum: ['parity', 'sum', 'and', 'mod-add', 'mod-mul'] } } });
    expect(searchSpaceLines(template)).toContain('curriculum: [10,20], [5,10,20], [10,20,30], [10,30,50], [20,30,40,50]');
  });

  it('accepts a proposed spec with a curriculum and track_every from the space, and names a value outside it', () => {
    const input = {
      id: 'curriculum-20',
      title: 't',
      question: 'q',
      hypothesis: 'h',
      task: 'parity',
      track_every: 5,
      arms: [
        { name: 'plain', baseline: true },
        { name: 'curriculum', overrides: { curriculum: [10, 20], wd: 0.05 } },
      ],
      metric: { name: 'dmd' },
    };
    expect(checkSpecInSearchSpace(input, parseSpec(input), template)).toEqual([]);
    const outside = { ...input, track_every: 3 };
    expect(checkSpecInSearchSpace(outside, parseSpec(outside), template)).toEqual([
      'spec.track_every (got 3): not in the search space; allowed values: 1, 2, 5, 10',
    ]);
  });
});
