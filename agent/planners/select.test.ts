import { describe, expect, it } from 'vitest';
import { PlannerChoiceError, selectPlanner } from './select.js';

const apiKey = 'sk-ant-test-select-0123456789';

describe('selectPlanner', () => {
  it('refuses a budget it could not keep: a model the price table does not list, without --price', async () => {
    const choice = { planner: 'claude', apiKey, model: 'claude-haiku-9', budgetUsd: 1 };
    await expect(selectPlanner(choice)).rejects.toBeInstanceOf(PlannerChoiceError);
    await expect(selectPlanner(choice)).rejects.toThrow(/--budget-usd cannot be kept for model "claude-haiku-9".*--price IN,OUT/);
    const priced = await selectPlanner({ ...choice, price: { input_per_million: 1, output_per_million: 5 } });
    expect(priced.name).toBe('claude');
  });

  it('takes the built-in planner without a key, and Claude with one', async () => {
    expect((await selectPlanner({})).name).toBe('builtin');
    expect((await selectPlanner({ apiKey })).name).toBe('claude');
  });
});
