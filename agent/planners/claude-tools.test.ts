import { describe, expect, it } from 'vitest';
import { sampleSearchSpace, samplePlanningContext } from '../llm/test-helpers/planning-context.js';
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
