// Judges each arm against the baseline, and the experiment as a whole, from every metric that matters, by fixed
// written rules (code, not an LLM). Returns classes and reason codes; agent/ renders the words.
//
// Per arm, from its decisive metric verdicts (verdict.ts says when a metric is better, worse, no effect or not
// established):
//   1. BASELINE      the baseline arm itself.
//   2. INVALID       a run of this arm or of the baseline crashed (a harness failure: the comparison is void).
//                    Timed-out runs are censored at the epoch they reached; diverged runs are training outcomes.
//   3. MIXED         better on one decisive metric and worse on another (faster to 90% but never reaches 100%).
//   4. LOSS          worse on at least one decisive metric, better on none.
//   5. WIN           better on at least one decisive metric, worse on none.
//      Solving is a constraint: an arm whose solve rate is 0 or below the baseline's is not better on a memory or
//      energy metric (ARD, DMD, energy...: a method that does not solve cannot win by moving less data); such a
//      metric leaves better_on and the arm carries the code 'unsolved_memory' (so it is LOSS or INCONCLUSIVE).
//   6. INCONCLUSIVE  nothing established: every metric no effect ('no_effect'), or some not established.
// Overall: only a baseline arm -> BASELINE; the baseline crashed, or every other arm INVALID -> INVALID; otherwise
// the best-supported arm decides, in the order WIN (largest primary effect first) > MIXED > LOSS > INCONCLUSIVE.
import type { ExperimentClass } from './experiment.js';
import { memoryMetrics, type MetricName } from './spec.js';
import type { MetricVerdict, VerdictMetric } from './verdict.js';

export type ArmReason =
  | 'baseline'
  | 'arm_crashed'
  | 'baseline_crashed'
  | 'better_and_worse'
  | 'worse'
  | 'better'
  | 'no_effect'
  | 'not_established'
  | 'p_floor_above_alpha'
  /** Better on a memory or energy metric, but solves less than the baseline (or never): that does not count. */
  | 'unsolved_memory';

export type ArmClassification = {
  class: ExperimentClass;
  reasons: ArmReason[];
  /** Decisive metrics on which the arm is better, and worse. */
  better_on: VerdictMetric[];
  worse_on: VerdictMetric[];
};

/** What classification reads from an arm. */
export type ArmEvidence = { name: string; baseline: boolean; crashed: number; verdicts: readonly MetricVerdict[] };

export function classifyArm(arm: ArmEvidence, baseline: ArmEvidence): ArmClassification {
  const none = { better_on: [], worse_on: [] };
  if (arm.baseline) return { class: 'BASELINE', reasons: ['baseline'], ...none };
  const harness: ArmReason[] = [...(arm.crashed > 0 ? ['arm_crashed' as const] : []), ...(baseline.crashed > 0 ? ['baseline_crashed' as const] : [])];
  if (harness.length > 0) return { class: 'INVALID', reasons: harness, ...none };
  const decisive = arm.verdicts.filter((verdict) => verdict.decisive);
  const unsolved = solvesLessThanBaseline(arm.verdicts);
  const constrained = (verdict: MetricVerdict) => unsolved && memoryMetrics.includes(verdict.metric as MetricName);
  const betterVerdicts = decisive.filter((verdict) => verdict.outcome === 'better');
  const better_on = betterVerdicts.filter((verdict) => !constrained(verdict)).map((verdict) => verdict.metric);
  const worse_on = decisive.filter((verdict) => verdict.outcome === 'worse').map((verdict) => verdict.metric);
  const constraint: ArmReason[] = betterVerdicts.some(constrained) ? ['unsolved_memory'] : [];
  if (better_on.length > 0 && worse_on.length > 0) return { class: 'MIXED', reasons: ['better_and_worse', ...constraint], better_on, worse_on };
  if (worse_on.length > 0) return { class: 'LOSS', reasons: ['worse', ...constraint], better_on, worse_on };
  if (better_on.length > 0) return { class: 'WIN', reasons: ['better', ...constraint], better_on, worse_on };
  const allNoEffect = decisive.length > 0 && decisive.every((verdict) => verdict.outcome === 'no_effect');
  const floor = decisive.some((verdict) => verdict.reasons.includes('p_floor_above_alpha'));
  return {
    class: 'INCONCLUSIVE',
    reasons: [...constraint, allNoEffect ? 'no_effect' : 'not_established', ...(floor ? ['p_floor_above_alpha' as const] : [])],
    better_on,
    worse_on,
  };
}

/** The arm's solve rate is 0, or below the baseline's (point estimates: a constraint, not a test). */
function solvesLessThanBaseline(verdicts: readonly MetricVerdict[]): boolean {
  const rate = verdicts.find((verdict) => verdict.metric === 'solve_rate');
  const armRate = rate?.arm.center?.value;
  const baselineRate = rate?.baseline.center?.value;
  if (armRate === undefined || baselineRate === undefined) return false;
  return armRate === 0 || armRate < baselineRate;
}

export type ExperimentReason = 'baseline_only' | 'baseline_crashed' | 'every_arm_invalid' | 'best_arm';

export type ExperimentClassification = { class: ExperimentClass; best_arm: string | null; reasons: ExperimentReason[] };

type JudgedArm = ArmEvidence & ArmClassification & { primary_effect: number | null };

const classOrder: ExperimentClass[] = ['WIN', 'MIXED', 'LOSS', 'INCONCLUSIVE', 'INVALID'];

/** The experiment's class: decided by its best-supported arm (see the rules at the top of this file). */
export function classifyExperiment(arms: readonly JudgedArm[]): ExperimentClassification {
  const baseline = arms.find((arm) => arm.baseline);
  const others = arms.filter((arm) => !arm.baseline);
  if (others.length === 0) return { class: 'BASELINE', best_arm: null, reasons: ['baseline_only'] };
  if (!baseline || baseline.crashed > 0) return { class: 'INVALID', best_arm: others[0]!.name, reasons: ['baseline_crashed'] };
  if (others.every((arm) => arm.class === 'INVALID')) return { class: 'INVALID', best_arm: others[0]!.name, reasons: ['every_arm_invalid'] };
  // Effect on the primary metric (|log ratio|, negative when worse there): within a LOSS the largest either way first,
  // within any other class the largest improvement first (a WIN on a secondary metric only ranks below one on the primary).
  const size = (arm: JudgedArm) => (arm.class === 'LOSS' ? Math.abs(arm.primary_effect ?? 0) : (arm.primary_effect ?? 0));
  const ranked = [...others].sort((a, b) => classOrder.indexOf(a.class) - classOrder.indexOf(b.class) || size(b) - size(a));
  const best = ranked[0]!;
  return { class: best.class, best_arm: best.name, reasons: ['best_arm'] };
}
