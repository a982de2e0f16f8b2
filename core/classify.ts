// Judges each arm against the baseline, and the experiment as a whole, by fixed written rules (code, not an LLM).
//
// Per arm, on the spec's primary metric; alpha = 0.05; ratio = median(arm) / median(baseline) with its bootstrap 95% CI:
//   1. BASELINE      the baseline arm itself.
//   2. INVALID       any run of this arm or of the baseline crashed or timed out (a harness failure: the comparison
//                    is void). Diverged runs are training outcomes (unsolved, censored), not harness failures.
//   3. LOSS          solve rate below the baseline's; or the metric is worse by median with p <= alpha and the
//                    ratio CI entirely on the worse side of 1.
//   4. WIN           the metric is better by median, p <= alpha, the ratio CI entirely on the better side of 1,
//                    and solve rate >= the baseline's.
//   5. INCONCLUSIVE  anything else; the reason names what failed (too few seeds, p, CI, no values).
// Overall: only a baseline arm -> BASELINE; the baseline's runs invalid, or every other arm INVALID -> INVALID;
// otherwise the best-supported arm decides, in the order WIN (largest effect first) > LOSS (smallest p) >
// INCONCLUSIVE (better median, then smallest p) > INVALID.
import type { ArmSummary, ExperimentClass } from './experiment.js';
import { binomialUpTo } from './stats.js';

export const SIGNIFICANCE_LEVEL = 0.05;

/** What classification reads from an arm's summary (an ArmSummary fits). */
export type ArmEvidence = Pick<ArmSummary, 'name' | 'baseline' | 'runs' | 'solved' | 'solve_rate' | 'timed_out' | 'crashed' | 'comparison'>;

export type ArmClassification = { class: ExperimentClass; reason: string };

export type ClassifyArmOptions = {
  arm: ArmEvidence;
  baseline: ArmEvidence;
  direction: 'lower' | 'higher';
  alpha?: number;
};

export function classifyArm({ arm, baseline, direction, alpha = SIGNIFICANCE_LEVEL }: ClassifyArmOptions): ArmClassification {
  if (arm.baseline) return { class: 'BASELINE', reason: `${arm.name} is the baseline (${arm.solved}/${arm.runs} solved)` };

  const harnessFailures = [describeHarnessFailures(arm, 'arm'), describeHarnessFailures(baseline, 'baseline')].filter(Boolean);
  if (harnessFailures.length > 0) return { class: 'INVALID', reason: `${harnessFailures.join('; ')}: the comparison is void` };

  const solvedText = `solved ${arm.solved}/${arm.runs} vs baseline ${baseline.solved}/${baseline.runs}`;
  if (arm.solve_rate < baseline.solve_rate) return { class: 'LOSS', reason: `lower solve rate: ${solvedText}` };

  const comparison = arm.comparison;
  if (!comparison || comparison.ratio === null || comparison.p_value === null) {
    return { class: 'INCONCLUSIVE', reason: `no ${comparison?.metric ?? 'primary metric'} values to compare (ratio or p missing); ${solvedText}` };
  }
  const { metric, ratio, p_value: p } = comparison;
  const ciText = `95% CI ${formatNumber(comparison.ratio_ci_low)}-${formatNumber(comparison.ratio_ci_high)}`;
  const effectText = `median ${metric} ${formatNumber(ratio)}x the baseline's (${ciText}), p=${formatP(p)}`;
  const ciSide = ratioCiSide(comparison.ratio_ci_low, comparison.ratio_ci_high, direction);
  const significant = p <= alpha;

  if (!comparison.better && ratio !== 1 && significant && ciSide === 'worse') {
    return { class: 'LOSS', reason: `worse: ${effectText} <= ${alpha}, CI excludes 1; ${solvedText}` };
  }
  if (comparison.better && significant && ciSide === 'better') {
    return { class: 'WIN', reason: `better: ${effectText} <= ${alpha}, CI excludes 1; ${solvedText}` };
  }
  return { class: 'INCONCLUSIVE', reason: `${inconclusiveCause({ arm, baseline, comparison, ciSide, alpha })}: ${effectText}; ${solvedText}` };
}

type InconclusiveInput = {
  arm: ArmEvidence;
  baseline: ArmEvidence;
  comparison: NonNullable<ArmEvidence['comparison']>;
  ciSide: 'better' | 'worse' | 'includes 1';
  alpha: number;
};

function inconclusiveCause({ arm, baseline, comparison, ciSide, alpha }: InconclusiveInput): string {
  if (!comparison.better && comparison.ratio === 1) return 'no difference in medians';
  // Without ties, the smallest two-sided p an exact rank test can give is 2 / C(n1 + n2, n1).
  const smallestPossibleP = 2 / binomialUpTo(arm.runs + baseline.runs, arm.runs);
  if (comparison.p_value! > alpha && smallestPossibleP > alpha) {
    return `too few seeds (${arm.runs} vs ${baseline.runs} runs: the smallest possible p is ${formatP(smallestPossibleP)} > ${alpha})`;
  }
  if (comparison.p_value! > alpha) return `not significant (p > ${alpha})`;
  if (ciSide === 'includes 1') return 'the ratio CI includes 1';
  return 'the median and the ratio CI point different ways';
}

/** Where the ratio CI lies relative to 1 (no effect), from the metric's point of view. */
function ratioCiSide(low: number | null, high: number | null, direction: 'lower' | 'higher'): 'better' | 'worse' | 'includes 1' {
  if (low === null || high === null) return 'includes 1';
  if (high < 1) return direction === 'lower' ? 'better' : 'worse';
  if (low > 1) return direction === 'lower' ? 'worse' : 'better';
  return 'includes 1';
}

function describeHarnessFailures(arm: ArmEvidence, role: 'arm' | 'baseline'): string {
  const parts: string[] = [];
  if (arm.crashed > 0) parts.push(`${arm.crashed} crashed`);
  if (arm.timed_out > 0) parts.push(`${arm.timed_out} timed out`);
  if (parts.length === 0) return '';
  return `of the ${arm.runs} runs of ${arm.name}${role === 'baseline' ? ' (baseline)' : ''}, ${parts.join(' and ')}`;
}

export type ExperimentClassification = { class: ExperimentClass; best_arm: string | null; reason: string };

/** The experiment's class: decided by its best-supported arm (see the rules at the top of this file). */
export function classifyExperiment(arms: readonly (ArmEvidence & ArmClassification)[]): ExperimentClassification {
  const baseline = arms.find((arm) => arm.baseline);
  const others = arms.filter((arm) => !arm.baseline);
  if (others.length === 0) return { class: 'BASELINE', best_arm: null, reason: baseline?.reason ?? 'no arms ran' };
  const baselineFailure = baseline ? describeHarnessFailures(baseline, 'baseline') : 'no baseline arm';
  if (baselineFailure) return { class: 'INVALID', best_arm: others[0]!.name, reason: `${baselineFailure}: every comparison is void` };

  const byClass = (wanted: ExperimentClass) => others.filter((arm) => arm.class === wanted);
  const effect = (arm: ArmEvidence) => (arm.comparison?.ratio ? Math.abs(Math.log(arm.comparison.ratio)) : 0);
  const pValue = (arm: ArmEvidence) => arm.comparison?.p_value ?? Infinity;
  const ranked = [
    ...byClass('WIN').sort((a, b) => effect(b) - effect(a)),
    ...byClass('LOSS').sort((a, b) => pValue(a) - pValue(b) || effect(b) - effect(a)),
    ...byClass('INCONCLUSIVE').sort(
      (a, b) => Number(b.comparison?.better ?? false) - Number(a.comparison?.better ?? false) || pValue(a) - pValue(b) || effect(b) - effect(a),
    ),
    ...byClass('INVALID'),
  ];
  const best = ranked[0] ?? others[0]!;
  // INVALID reasons already name the arms whose runs failed.
  return { class: best.class, best_arm: best.name, reason: best.class === 'INVALID' ? best.reason : `${best.name}: ${best.reason}` };
}

/** Ratios and CI ends: two decimals ("0.42"); infinite as "inf"; missing as "n/a". */
export function formatNumber(value: number | null): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return value.toFixed(2);
}

/** p-values with two significant digits ("0.0079", "0.42"), "<0.001" below that. */
export function formatP(p: number | null): string {
  if (p === null) return 'n/a';
  if (p < 0.001) return '<0.001';
  return String(Number(p.toPrecision(2)));
}
