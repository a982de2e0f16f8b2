import { describe, expect, it } from 'vitest';
import { sampleResults } from '../llm/test-helpers/planning-context.js';
import { checkClaims } from './claims-check.js';

const emptyNarrative = { worked: [], didnt: [], surprise: [], open_questions: [] };
const results = () => {
  const base = sampleResults();
  // A p-value the comparison reports, as the statistics would.
  const arms = base.summary.arms.map((arm) => (arm.baseline ? arm : { ...arm, comparison: { p_value: 0.008 } as never }));
  return { ...base, summary: { ...base.summary, arms } };
};

describe('checkClaims', () => {
  it('accepts numbers of the results at the precision shown: ratios of the headline, config values, seeds, p bounds', () => {
    const narrative = {
      ...emptyNarrative,
      worked: ['lr=0.3 solved in 0.6x the epochs of lr=0.1 on 20-bit parity (p = 0.008, 5 of 5 seeds).', 'Both arms solved every seed (p < 0.01).'],
    };
    expect(checkClaims(narrative, [], results())).toEqual([]);
  });

  it('rejects a number the results do not hold, naming the bullet', () => {
    const narrative = { ...emptyNarrative, worked: ['Sign SGD is 12x faster than SGD on 20-bit parity (p<0.001).'] };
    const problems = checkClaims(narrative, [], results());
    expect(problems).toEqual([
      expect.stringMatching(/^narrative\.worked\.0: "12" is not a number of these results/),
      expect.stringMatching(/^narrative\.worked\.0: "<0\.001" is not a number of these results/),
    ]);
  });

  it('leaves open questions free to name values no run has used', () => {
    expect(checkClaims({ ...emptyNarrative, open_questions: ['Does it hold at n = 64?'] }, [], results())).toEqual([]);
  });

  it('needs a discovery to cite a non-baseline arm and a metric of its decisive verdict', () => {
    const fact = { topic: 'learning rate', text: 'lr 0.3 solves sooner than lr 0.1.' };
    expect(checkClaims(emptyNarrative, [{ ...fact, arm: 'lr=0.3', metric: 'solve_epoch' }], results())).toEqual([]);
    expect(checkClaims(emptyNarrative, [{ ...fact, arm: 'lr=0.1', metric: 'solve_epoch' }], results())).toEqual([
      expect.stringContaining('discoveries.0.arm (got "lr=0.1"): cite a non-baseline arm of exp-lr-sweep: lr=0.3'),
    ]);
    expect(checkClaims(emptyNarrative, [{ ...fact, arm: 'lr=0.3', metric: 'wall_ms' }], results())).toEqual([
      expect.stringContaining('the verdict on arm "lr=0.3" is decisive only on solve_epoch'),
    ]);
  });

  it('rejects a discovery about an arm without a decisive verdict (an INCONCLUSIVE arm)', () => {
    const inconclusive = results();
    inconclusive.summary.arms[1] = { ...inconclusive.summary.arms[1]!, class: 'INCONCLUSIVE', better_on: [], worse_on: [] };
    const problems = checkClaims(emptyNarrative, [{ topic: 't', text: 'lr 0.3 is better.', arm: 'lr=0.3', metric: 'solve_epoch' }], inconclusive);
    expect(problems).toEqual([expect.stringContaining('has no decisive verdict on any metric (class INCONCLUSIVE)')]);
  });
});
