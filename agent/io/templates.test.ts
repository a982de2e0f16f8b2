import { describe, expect, it } from 'vitest';
import { expandArms, parseSpec } from '../../core/index.js';
import { parseSpecText } from '../experiments/spec-file.js';
import { parseSearchSpace } from '../workspace/search-space.js';
import { openItems, parseTodo } from '../workspace/todo.js';
import { readTemplateFiles } from './templates.js';

describe("lab init's template workspace", () => {
  it('queues the seed research plan, canonical baseline first, every item linking a spec file that exists and validates', async () => {
    const files = await readTemplateFiles();
    const queue = openItems(parseTodo(files['TODO.md']!, 'templates/TODO.md'));
    expect(queue[0]!.id).toBe('canonical-sgd-baseline');
    expect(queue.length).toBeGreaterThanOrEqual(12);
    for (const item of queue) {
      expect(item.spec_path, item.id).not.toBeNull();
      const text = files[item.spec_path!];
      expect(text, `${item.spec_path} exists`).toBeDefined();
      const { spec } = parseSpecText(text!, item.spec_path!);
      expect(spec.id).toBe(item.id);
      expect(expandArms(parseSpec(spec)).length).toBeGreaterThanOrEqual(1);
    }
    expect(() => parseSearchSpace(files['experiments/search-space.yaml']!)).not.toThrow();
  });

  it('keeps the values a human wrote in the item: the weight-decay sweep runs all of 0.001, 0.01, 0.1, 1.0 and 2.0', async () => {
    const files = await readTemplateFiles();
    const { spec } = parseSpecText(files['experiments/weight-decay-sweep.md']!, 'weight-decay-sweep.md');
    expect(
      expandArms(spec)
        .map((arm) => arm.config.wd)
        .sort((a, b) => a - b),
    ).toEqual([0.001, 0.01, 0.1, 1, 2]);
  });
});
