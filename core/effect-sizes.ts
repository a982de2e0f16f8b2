// Effect sizes with bootstrap confidence intervals, for the verdicts (core/verdict.ts): a ratio or a difference
// of medians, a difference of rates, a ratio of restricted means up to a horizon. Resampling uses the injected rng.
import type { SeedTime, SeedValue } from './metric-samples.js';
import type { Rng } from './random.js';
import { bootstrapRatioOfMediansCi, BOOTSTRAP_RESAMPLES, median, quantile } from './stats.js';
import { restrictedMean } from './survival.js';
import type { Effect } from './verdict-types.js';

export function ratioOfMedians(arm: readonly number[], baseline: readonly number[], rng: Rng): Effect {
  const ratio = arm.length > 0 && baseline.length > 0 && median(baseline) !== 0 ? median(arm) / median(baseline) : null;
  const ci = ratio === null ? null : bootstrapRatioOfMediansCi(arm, baseline, rng);
  return { measure: 'ratio_of_medians', value: ratio, ci_low: ci?.[0] ?? null, ci_high: ci?.[1] ?? null, relative: ratio === null ? null : ratio - 1 };
}

export function differenceOfMedians(arm: readonly number[], baseline: readonly number[], rng: Rng): Effect {
  if (arm.length === 0 || baseline.length === 0) return { measure: 'difference_of_medians', value: null, ci_low: null, ci_high: null, relative: null };
  const difference = median(arm) - median(baseline);
  const differences: number[] = [];
  for (let r = 0; r < BOOTSTRAP_RESAMPLES; r++) differences.push(median(resample(arm, rng)) - median(resample(baseline, rng)));
  const [low, high] = percentileCi(differences);
  return { measure: 'difference_of_medians', value: difference, ci_low: low, ci_high: high, relative: difference };
}

function resample<T>(sample: readonly T[], rng: Rng): T[] {
  return sample.map(() => sample[rng.int(sample.length)]!);
}

function percentileCi(values: number[]): [number, number] {
  return [quantile(values, 0.025), quantile(values, 0.975)];
}

export function bootstrapDifferenceOfRatesCi(arm: readonly SeedValue[], baseline: readonly SeedValue[], rng: Rng): [number, number] {
  const rate = (sample: readonly SeedValue[]) => sample.reduce((sum, s) => sum + s.value, 0) / sample.length;
  const differences: number[] = [];
  for (let r = 0; r < BOOTSTRAP_RESAMPLES; r++) differences.push(rate(resample(arm, rng)) - rate(resample(baseline, rng)));
  return percentileCi(differences);
}

export function bootstrapRestrictedMeanRatioCi(arm: readonly SeedTime[], baseline: readonly SeedTime[], horizon: number, rng: Rng): [number, number] {
  const ratios: number[] = [];
  for (let r = 0; r < BOOTSTRAP_RESAMPLES; r++) {
    const numerator = restrictedMean(resample(arm, rng), horizon)!;
    const denominator = restrictedMean(resample(baseline, rng), horizon)!;
    ratios.push(denominator > 0 ? numerator / denominator : numerator === 0 ? 1 : Infinity);
  }
  return percentileCi(ratios);
}
