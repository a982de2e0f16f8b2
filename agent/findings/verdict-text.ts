// Every sentence about a verdict: core returns classes, reason codes, per-metric effects and run outcomes; this
// module (with format.ts for the numbers) turns them into the words findings, commits, TODO.md and DISCOVERIES.md show.
import type { ArmSummary, ExperimentSummary, MetricName, MetricVerdict, OutcomeCount, SummaryText, VerdictMetric } from '../../core/index.js';
import { formatInterval, formatMedian, formatMetricValue, formatPercent, formatPValue, formatRatio } from './format.js';

export function withHeadline(summary: ExperimentSummary): ExperimentSummary & SummaryText {
  return { ...summary, headline: renderHeadline(summary) };
}

/** One scannable line: the best-supported arm's class, its effects on the metrics that decided, its outcomes. */
export function renderHeadline(summary: ExperimentSummary): string {
  const baseline = summary.arms.find((arm) => arm.baseline)!;
  const best = summary.arms.find((arm) => arm.name === summary.best_arm);
  if (summary.class === 'BASELINE' || !best) {
    const m = baseline.metrics[summary.primary.metric];
    const ci =
      m?.ci_low != null ? ` (95% CI ${formatMetricValue(summary.primary.metric, m.ci_low)}-${formatMetricValue(summary.primary.metric, m.ci_high)})` : '';
    const value = formatMedian(summary.primary.metric, m?.median, m?.median_censored);
    return `baseline only: ${baseline.name} solved ${baseline.solved}/${baseline.runs}, median ${summary.primary.metric} ${value}${ci}`;
  }
  if (summary.class === 'INVALID') return `invalid: ${renderArmReason(best)}`;
  const same = summary.arms.filter((arm) => !arm.baseline && arm.class === best.class && arm.name !== best.name);
  const sameText = same.map((arm) => {
    const outcomes = outcomeText(arm.claim.outcomes, arm.runs);
    return outcomes ? `${arm.name} (${outcomes})` : arm.name;
  });
  const also = same.length > 0 ? `; also ${best.class}: ${sameText.join(', ')}` : '';
  const outcomes = outcomeText(best.claim.outcomes, best.runs);
  const against = counterpoint(best, summary.min_effect);
  return `${best.name} vs ${baseline.name}: ${shortReason(best)}${against ? `, but ${against}` : ''}${outcomes ? `; ${outcomes}` : ''}${also}`;
}

/**
 * One DISCOVERIES.md line for an arm's claim: what was measured, the effect with its CI, the run outcomes, the
 * seeds, the conditions that differ from the canonical configuration, and whether it was confirmed on fresh seeds.
 */
export function discoveryText(summary: ExperimentSummary, arm: ArmSummary, options: { confirmed: boolean }): string {
  const baseline = summary.arms.find((candidate) => candidate.baseline)!;
  const changes = arm.claim.changes.map(conditionText).join(', ') || arm.name;
  const conditions = arm.claim.conditions.map(conditionText).join(', ') || 'the canonical configuration';
  // The solve rate when it decided, and the first other metric that did: the rest is in the finding.
  const deciding = arm.verdicts.filter((verdict) => [...arm.better_on, ...arm.worse_on].includes(verdict.metric));
  const rate = deciding.find((verdict) => verdict.kind === 'rate');
  const decided = [...(rate ? [rate] : []), ...deciding.filter((verdict) => verdict.kind !== 'rate').slice(0, rate ? 1 : 2)].map(effectText);
  const outcomes = outcomeText(arm.claim.outcomes, arm.runs);
  const verb = arm.class === 'WIN' ? 'helps' : arm.class === 'LOSS' ? 'hurts' : arm.class === 'MIXED' ? 'trades off' : 'does not change';
  const effects = decided.length > 0 ? decided.join('; ') : arm.claim.verdict ? effectText(arm.claim.verdict) : renderArmReason(arm);
  const confirmed = options.confirmed ? 'confirmed on fresh seeds' : 'not yet confirmed on fresh seeds';
  return `${changes} ${verb} against ${baseline.name}: ${effects}${outcomes ? `; ${outcomes}` : ''} (${arm.claim.seeds} seeds; ${conditions}; ${confirmed})`;
}

function conditionText(condition: { key: string; value: unknown }): string {
  return `${condition.key}=${Array.isArray(condition.value) ? condition.value.join('->') : String(condition.value)}`;
}

/** A decisive metric whose point estimate goes the other way by at least min_effect, not established: worth a mention. */
function counterpoint(arm: ArmSummary, minEffect: number): string | null {
  const wanted = arm.class === 'LOSS' ? 'better' : arm.class === 'WIN' ? 'worse' : null;
  if (!wanted) return null;
  const other = arm.verdicts.find((verdict) => {
    const relative = verdict.effect.relative;
    if (!verdict.decisive || verdict.outcome !== 'not_established' || relative === null || Math.abs(relative) < minEffect) return false;
    const pointBetter = verdict.direction === 'lower' ? relative < 0 : relative > 0;
    return pointBetter === (wanted === 'better');
  });
  return other ? `${shortEffect(other)} looks ${wanted}, not established (p=${formatPValue(other.p_value)})` : null;
}

/** The class in a few words: the first metric on each side with its numbers, the others by name. */
function shortReason(arm: ArmSummary): string {
  const side = (metrics: readonly VerdictMetric[]) => {
    const first = arm.verdicts.find((verdict) => verdict.metric === metrics[0]);
    const rest = metrics.slice(1);
    return `${first ? shortEffect(first) : metrics[0]}${rest.length > 0 ? ` (also ${rest.join(', ')})` : ''}`;
  };
  if (arm.class === 'MIXED') return `mixed: better on ${side(arm.better_on)}, worse on ${side(arm.worse_on)}`;
  if (arm.class === 'WIN') return `better on ${side(arm.better_on)}`;
  if (arm.class === 'LOSS') return `worse on ${side(arm.worse_on)}`;
  return renderArmReason(arm);
}

/** "0/5 vs 5/5 solved (p=0.008)", "epoch_90 24 vs 35 (0.69x)", "solve_epoch > 200 (censored) vs 38". */
export function shortEffect(verdict: MetricVerdict): string {
  if (verdict.kind === 'rate')
    return `solve rate ${verdict.arm.successes}/${verdict.arm.n} vs ${verdict.baseline.successes}/${verdict.baseline.n} (p=${formatPValue(verdict.p_value)})`;
  const metric = verdict.metric as MetricName;
  const { center_ratio: ratio } = verdict;
  const times = ratio.bound === 'exact' && ratio.value !== null ? ` (${formatRatio(ratio.value)})` : '';
  return `${metric} ${centerText(metric, verdict.arm)} vs ${centerText(metric, verdict.baseline)}${times}`;
}

function centerText(metric: MetricName, estimate: MetricVerdict['arm']): string {
  return estimate.center === null ? '—' : formatMedian(metric, estimate.center.value, estimate.center.censored);
}

/** Why an arm got its class, from its reason codes and verdicts. */
export function renderArmReason(arm: ArmSummary): string {
  const named = (metric: VerdictMetric) => {
    const verdict = arm.verdicts.find((candidate) => candidate.metric === metric);
    return verdict ? effectText(verdict) : metric;
  };
  const reason = classReason(arm, named);
  return arm.reasons.includes('unsolved_memory') ? `${reason}; ${unsolvedMemoryText(arm, named)}` : reason;
}

/** Why a memory win did not count: the arm solves less often than the baseline (or never). */
function unsolvedMemoryText(arm: ArmSummary, named: (metric: VerdictMetric) => string): string {
  const rate = arm.verdicts.find((verdict) => verdict.metric === 'solve_rate');
  const memory = arm.verdicts.filter((verdict) => verdict.decisive && verdict.outcome === 'better' && !arm.better_on.includes(verdict.metric));
  const solves = rate ? `solves ${rate.arm.successes}/${rate.arm.n} against the baseline's ${rate.baseline.successes}/${rate.baseline.n}` : 'solves less often';
  return `better on ${memory.map((verdict) => named(verdict.metric)).join(', ')}, which does not count: it ${solves}, and a method that does not solve cannot win on memory or energy`;
}

function classReason(arm: ArmSummary, named: (metric: VerdictMetric) => string): string {
  switch (arm.class) {
    case 'BASELINE':
      return `the baseline (${arm.solved}/${arm.runs} solved)`;
    case 'INVALID':
      return arm.reasons.includes('baseline_crashed')
        ? 'a baseline run crashed: the comparison is void'
        : `${arm.crashed} of ${arm.runs} runs of ${arm.name} crashed: the comparison is void`;
    case 'MIXED':
      return `better on ${arm.better_on.map(named).join(', ')}; worse on ${arm.worse_on.map(named).join(', ')}`;
    case 'WIN':
      return `better on ${arm.better_on.map(named).join(', ')}`;
    case 'LOSS':
      return `worse on ${arm.worse_on.map(named).join(', ')}`;
    default: {
      const primary = arm.claim.verdict;
      const why = arm.reasons.includes('no_effect') ? 'no effect above the minimum on any metric that matters' : 'nothing established';
      const floor = arm.reasons.includes('p_floor_above_alpha') ? ' (too few seeds for p <= 0.05)' : '';
      return `${why}${floor}${primary ? `; ${effectText(primary)}` : ''}`;
    }
  }
}

/** "solve rate 0/5 vs 5/5 (p=0.008)", "epochs to 90% median 24 vs 35, 0.69x [0.55, 0.80] (p=0.008)", "> 200 (censored) vs 38". */
export function effectText(verdict: MetricVerdict): string {
  if (verdict.kind === 'rate') return shortEffect(verdict);
  const metric = verdict.metric as MetricName;
  const center = (estimate: MetricVerdict['arm']) => centerText(metric, estimate);
  const { effect } = verdict;
  const points = (value: number) => `${value > 0 ? '+' : ''}${trimPoints(value * 100)} points`;
  const ratio =
    effect.value === null
      ? ''
      : effect.measure === 'difference_of_medians'
        ? `, ${points(effect.value)} ${formatInterval(effect.ci_low, effect.ci_high, points)}`
        : `, ${formatRatio(effect.value)}${effect.measure === 'ratio_of_restricted_means' ? ' restricted mean' : ''} ${formatInterval(effect.ci_low, effect.ci_high)}`;
  const p = verdict.reasons.includes('deterministic') ? 'no spread' : `p=${formatPValue(verdict.p_value)}`;
  return `${metric} median ${center(verdict.arm)} vs ${center(verdict.baseline)}${ratio} (${p})`;
}

function trimPoints(value: number): string {
  return String(Math.round(value * 10) / 10);
}

const outcomeWords: Record<OutcomeCount['label'], string> = {
  crashed: 'crashed',
  solved: 'solved',
  diverged: 'diverged',
  memorised: 'memorised',
  timed_out: 'timed out',
  plateaued: 'plateaued',
  underfit: 'underfit',
  out_of_epochs: 'ran out of epochs',
};

/** "3/5 plateaued at 97-99.5%, 2/5 underfit (train 51-85%)": every label but solved. */
export function outcomeText(outcomes: readonly OutcomeCount[], runs: number): string {
  return outcomes
    .filter((outcome) => outcome.label !== 'solved')
    .map((outcome) => {
      const range = (pair: [number, number] | null) =>
        pair === null ? '' : pair[0] === pair[1] ? formatPercent(pair[0]) : `${formatPercent(pair[0]).replace('%', '')}-${formatPercent(pair[1])}`;
      const detail =
        outcome.label === 'underfit'
          ? ` (train ${range(outcome.best_train_acc)})`
          : outcome.label === 'timed_out'
            ? ` at epoch ${outcome.epochs[0]}-${outcome.epochs[1]}`
            : outcome.best_test_acc
              ? ` at ${range(outcome.best_test_acc)}`
              : '';
      return `${outcome.count}/${runs} ${outcomeWords[outcome.label]}${detail}`;
    })
    .join(', ');
}
