import { describe, expect, it } from 'vitest';
import type { QueueItem } from '../domain.js';
import { draftFromText, isBaselineItem, numericValuesIn } from './text-draft.js';

const item = (text: string): QueueItem => ({ id: 'item', text, section: 'Queue', spec_path: null, motivated_by: null });
const armNames = (text: string) => draftFromText(item(text))?.arms.map((arm) => arm.name);

describe('a free-text TODO item read as an experiment', () => {
  it('keeps every value of a set the human wrote (wd ∈ {0.001, 0.01, 0.1, 1.0, 2.0}), the canonical one as the baseline', () => {
    expect(armNames('Weight-decay sweep wd ∈ {0.001, 0.01, 0.1, 1.0, 2.0} at lr 0.1: does more decay shorten the plateau?')).toEqual([
      'baseline',
      'wd=0.001',
      'wd=0.1',
      'wd=1',
      'wd=2',
    ]);
  });

  it('reads single values, sizes and methods: "sign SGD at lr 0.05 on 30-bit parity, k=4"', () => {
    const draft = draftFromText(item('sign SGD at lr 0.05 on 30-bit parity, k=4'))!;
    expect(draft.base).toMatchObject({ n_bits: 30, k: 4, max_epochs: 500 });
    expect(draft.arms.map((arm) => arm.overrides)).toEqual([{}, { lr: 0.05 }, { optimizer: 'sign-sgd' }]);
  });

  it('reads key=value, key: value and lists in brackets', () => {
    expect(numericValuesIn('hidden=500, batch size: 8, lr in [0.01, 0.2]')).toEqual({ hidden: [500], batch_size: [8], lr: [0.01, 0.2] });
  });

  it('reads curriculum stages and update orders', () => {
    expect(draftFromText(item('Curriculum 10 -> 30 vs direct at n=30'))!.arms.map((arm) => arm.overrides)).toEqual([{}, { curriculum: [10, 30] }]);
    expect(armNames('Does per-layer beat fused at batch 1?')).toEqual(['baseline', 'batch_size=1', 'fused', 'per-layer']);
  });

  it('knows nothing of a line that names no config value and no method', () => {
    expect(draftFromText(item('Think about what grokking means'))).toBeNull();
  });

  it('recognises the canonical baseline item, not a baseline at another size', () => {
    expect(isBaselineItem(item('Canonical SGD baseline: 20-bit parity, k=3'))).toBe(true);
    expect(isBaselineItem(item('EGD vs the SGD baseline'))).toBe(false);
    expect(isBaselineItem(item('SGD baseline at n=30'))).toBe(false);
  });
});
