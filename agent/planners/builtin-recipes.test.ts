// The built-in planner's recipes on the plain-English TODO lines of a real workspace: each line finds the
// question it asks (not a neighbour's keyword), and each recipe is a valid spec inside the search space.
import { describe, expect, it } from 'vitest';
import { expandArms, parseSpec } from '../../core/index.js';
import { defaultSearchSpaceText, parseSearchSpace } from '../workspace/search-space.js';
import { isBaselineItem, recipeFor } from './builtin-recipes.js';
import { finishDraft } from './builtin-select.js';
import { checkSpecInSearchSpace } from './claude-search-space.js';
import type { QueueItem } from '../domain.js';

const searchSpace = parseSearchSpace(defaultSearchSpaceText);

function item(text: string): QueueItem {
  return { id: 'item', text, section: 'Queue', spec_path: null, motivated_by: null };
}

/** The seeded TODO.md lines, with the recipe each must find. */
const todoLines: [text: string, recipe: string][] = [
  ['Canonical SGD baseline: 20-bit parity, k=3, hidden 200, lr 0.1, wd 0.01, batch 32, hinge loss, seeds 42-46', 'baseline'],
  ['Weight-decay sweep wd ∈ {0.001, 0.01, 0.1, 1.0, 2.0} at lr 0.1: does more decay shorten the plateau?', 'weight-decay'],
  ['Sign SGD (W -= lr·sign(g)) needs fewer epochs to solve than SGD (Kou et al. 2024)', 'sign-sgd'],
  ['GrokFast (gradient EMA, alpha 0.98, lambda 2) makes the phase transition 2-10x sooner (Lee et al. 2024)', 'grokfast'],
  ['Logistic loss instead of hinge keeps a gradient on correct samples: smoother and faster?', 'logistic-loss'],
  ['EGD vs SGD on 20-bit parity: fewer epochs to 90%, but is the wall time worth it?', 'egd'],
  ['EGD vs SGD on sparse sum, where SGD at lr 0.1 diverges under MSE', 'egd-sparse-sum'],
  ['Single-sample vs mini-batch (32) SGD: epochs and wall time to solve', 'batch-size'],
  ['Update order standard / fused / per-layer: which lowers ARD, and at what wall-time cost?', 'update-order'],
  ['Forward-forward vs backprop: ARD and solve rate on small networks', 'forward-forward'],
  ['Curriculum over n (10 → 20) vs direct training at n=20', 'curriculum'],
  ['Modular addition (mod 97): does EGD remove the grokking plateau, as the EGD paper reports?', 'egd-modular'],
  ['Scale up: SGD at n=30', 'size'],
];

describe('the built-in recipes', () => {
  it.each(todoLines)('reads "%s" as the %s recipe', (text, recipe) => {
    expect(recipeFor(item(text), searchSpace)?.recipe).toBe(recipe);
  });

  it.each(todoLines)('writes a valid spec inside the search space for "%s"', (text, recipe) => {
    const draft = recipeFor(item(text), searchSpace)!.draft;
    const built = finishDraft({ ...draft, id: 'recipe' }, searchSpace, { insideSearchSpace: false });
    expect(built).not.toBeNull();
    const problems = checkSpecInSearchSpace(built!.spec as Record<string, unknown>, built!.parsed, searchSpace);
    // The search space lists scalar values only, so curriculum stages cannot be in it; a human asked for them.
    if (recipe === 'curriculum') expect(problems).toEqual([expect.stringContaining('"curriculum" is not a parameter of the search space')]);
    else expect(problems).toEqual([]);
  });

  it('knows nothing of a line with no known question', () => {
    expect(recipeFor(item('Think about what grokking means'), searchSpace)).toBeNull();
  });

  it('moves a recipe to the problem size the line names, with a longer budget, and ignores sizes outside the search space', () => {
    const draft = recipeFor(item('Does the per-layer advantage grow at n=30?'), searchSpace)!.draft;
    const spec = parseSpec(finishDraft({ ...draft, id: 'x' }, searchSpace, { insideSearchSpace: true })!.spec);
    expect(expandArms(spec).map((arm) => [arm.config.order, arm.config.n_bits, arm.config.max_epochs])).toEqual([
      ['standard', 30, 500],
      ['fused', 30, 500],
      ['per-layer', 30, 500],
    ]);
    expect(spec.title).toContain('n=30, k=3');
    expect(recipeFor(item('GrokFast at n=33'), searchSpace)!.draft.base).toEqual({});
  });

  it('grows the curriculum to the size the line names', () => {
    const draft = recipeFor(item('Curriculum 10 -> 50 vs direct at n=50'), searchSpace)!.draft;
    expect(draft.arms[1]!.overrides).toEqual({ curriculum: [10, 50] });
    expect(draft.base).toMatchObject({ n_bits: 50, max_epochs: 500 });
  });

  it('takes only a line about the canonical baseline as the baseline item', () => {
    expect(isBaselineItem(item('Canonical SGD baseline: 20-bit parity, k=3'), searchSpace)).toBe(true);
    expect(isBaselineItem(item('EGD vs the SGD baseline'), searchSpace)).toBe(false);
    expect(isBaselineItem(item('SGD baseline at n=30'), searchSpace)).toBe(false);
  });
});
