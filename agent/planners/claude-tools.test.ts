import { describe, expect, it } from 'vitest';
import { sampleSearchSpace, samplePlanningContext, validSpecInput } from '../llm/test-helpers/planning-context.js';
import { parseSearchSpace } from '../workspace/search-space.js';
import { validatePlanAnswer } from './claude-output.js';
import { systemBlocks } from './claude-prompts.js';
import { interpretToolsFor, planToolsFor } from './claude-tools.js';

describe('the Claude tools and prompt, from one search space', () => {
  it('narrows the spec in the tool schema to the search space: its tasks, its keys, its values, max_epochs to the limit', () => {
    const spec = (planToolsFor(sampleSearchSpace)[0]!.input_schema as Record<string, any>).properties.spec;
    expect(spec.properties.task.enum).toEqual(['parity', 'sum']);
    expect(Object.keys(spec.properties.base.properties).sort()).toEqual([...Object.keys(sampleSearchSpace.parameters), 'max_epochs'].sort());
    expect(spec.properties.base.properties.lr).toMatchObject({ type: 'number', enum: [0.03, 0.1, 0.3] });
    expect(spec.properties.base.properties.max_epochs.maximum).toBe(500);
    expect(spec.properties.base.additionalProperties).toBe(false);
    expect(spec.properties.arms.items.properties.overrides.properties.optimizer.enum).toEqual(['sgd', 'sign-sgd', 'egd']);
    expect(spec.properties.sweep.propertyNames.enum).toContain('hidden');
    const followUpSpec = (interpretToolsFor(sampleSearchSpace)[0]!.input_schema as Record<string, any>).properties.follow_ups.items.properties.spec;
    expect(followUpSpec.properties.base.properties.lr.enum).toEqual([0.03, 0.1, 0.3]);
  });

  it('lists in the system prompt exactly the keys and values the tool schema and the validator accept', () => {
    const system = systemBlocks(samplePlanningContext())[0]!.text;
    for (const [key, values] of Object.entries(sampleSearchSpace.parameters)) {
      expect(system).toContain(`\n${key}: ${values.map((value) => JSON.stringify(value)).join(', ')}`);
    }
    expect(system).toContain('tasks: parity, sum');
    expect(system).not.toMatch(/curriculum|forward-forward|cross-entropy/); // not in this space, so not advertised
  });
});

describe('what the prompt advertises, the validator accepts', () => {
  const spaceText = `tasks: [parity, mod-add]
parameters:
  n_bits: [10, 20]
  k: [3]
  curriculum: [[10, 20]]
  modulus: [97]
  train_fraction: [0.3, 0.5]
  ff_threshold: [1, 2]
  algorithm: [backprop, forward-forward]
  loss: [hinge, cross-entropy]
  track_every: [1, 4]
limits: { max_seeds: 10, max_time_limit: 60, max_epochs: 200, max_runs: 20 }
`;

  it('lists curriculum, modulus, train_fraction, ff_threshold, cross-entropy and track_every, and accepts a spec using each', async () => {
    const space = parseSearchSpace(spaceText);
    const context = samplePlanningContext({ searchSpace: space, searchSpaceText: spaceText });
    const system = systemBlocks(context)[0]!.text;
    for (const advertised of [
      'curriculum: [10,20]',
      'modulus: 97',
      'train_fraction: 0.3, 0.5',
      'ff_threshold: 1, 2',
      '"cross-entropy"',
      'spec track_every: 1, 4',
    ]) {
      expect(system).toContain(advertised);
    }
    const schema = (planToolsFor(space)[0]!.input_schema as Record<string, any>).properties.spec;
    expect(schema.properties.base.properties.curriculum.enum).toEqual([[10, 20]]);
    expect(schema.properties.track_every.enum).toEqual([1, 4]);
    const base = { ...validSpecInput(), base: { n_bits: 20, k: 3 }, track_every: 4 };
    const specs = [
      {
        ...base,
        id: 'uses-curriculum',
        arms: [
          { name: 'flat', baseline: true, overrides: {} },
          { name: 'curriculum', overrides: { curriculum: [10, 20] } },
        ],
      },
      {
        ...base,
        id: 'uses-ff',
        arms: [
          { name: 'bp', baseline: true, overrides: {} },
          { name: 'ff', overrides: { algorithm: 'forward-forward', ff_threshold: 1 } },
        ],
      },
      {
        ...base,
        id: 'uses-mod',
        task: 'mod-add',
        base: { modulus: 97, loss: 'cross-entropy' },
        arms: [
          { name: 'half', baseline: true, overrides: { train_fraction: 0.5 } },
          { name: 'less', overrides: { train_fraction: 0.3 } },
        ],
      },
    ];
    for (const spec of specs) {
      const answer = validatePlanAnswer('propose_experiment', { spec, body: '## Q', item_id: null, rationale: 'r' }, context);
      expect(answer.ok ? [] : answer.problems).toEqual([]);
    }
  });
});
