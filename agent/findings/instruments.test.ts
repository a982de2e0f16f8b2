// The memory instruments side by side: an arm where every figure moves the same way is "agree", one where a
// per-access average (ARD) falls while a total (DMD, energy) rises is "disagree", with the ratios; a change under
// the minimum effect is "same", and an experiment with fewer than two memory figures gets no line.
import { describe, expect, it } from 'vitest';
import type { ExperimentResults } from '../../core/index.js';
import { instrumentLines } from './instruments.js';

function resultsWith(arms: { name: string; baseline?: boolean; ratios: Record<string, number | null> }[], minEffect?: number): ExperimentResults {
  return {
    spec: { ...(minEffect === undefined ? {} : { min_effect: minEffect }) },
    summary: {
      arms: arms.map((arm) => ({
        name: arm.name,
        baseline: arm.baseline ?? false,
        verdicts: Object.entries(arm.ratios).map(([metric, value]) => ({ metric, effect: { value } })),
      })),
    },
  } as unknown as ExperimentResults;
}

describe('instrumentLines', () => {
  it('says where the instruments agree and where they disagree, with each ratio', () => {
    const results = resultsWith([
      { name: 'standard-b32', baseline: true, ratios: {} },
      { name: 'b1', ratios: { dmd: 7.23, ard: 0.61, energy_pj: 9.87, solve_epoch: 0.1 } },
      { name: 'h1000', ratios: { dmd: 10.8, ard: 4.83 } },
      { name: 'fused', ratios: { dmd: 1.0, ard: 1.02 } },
    ]);
    expect(instrumentLines(results)).toEqual([
      'b1: the instruments disagree: ARD (floats) lower; DMD (LRU stack), energy (pJ) higher (DMD (LRU stack) 7.23x, ARD (floats) 0.61x, energy (pJ) 9.87x)',
      'h1000: the instruments agree: all higher (DMD (LRU stack) 10.8x, ARD (floats) 4.83x)',
      'fused: the instruments agree: all same (DMD (LRU stack) 1.00x, ARD (floats) 1.02x)',
    ]);
  });

  it('takes the minimum effect from the spec, and says nothing with fewer than two memory figures', () => {
    expect(instrumentLines(resultsWith([{ name: 'a', ratios: { dmd: 1.08, ard: 0.95 } }], 0.1))[0]).toMatch(/^a: the instruments agree: all same/);
    expect(instrumentLines(resultsWith([{ name: 'a', ratios: { dmd: 2, solve_epoch: 0.5 } }]))).toEqual([]);
    expect(instrumentLines(resultsWith([{ name: 'a', ratios: { dmd: 2, ard: null } }]))).toEqual([]);
  });
});
