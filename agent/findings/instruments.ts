// Where the memory instruments agree and where they disagree (issue 11): for each arm against the baseline, which
// way each memory figure the experiment measured moves (ARD, weighted ARD, DMC, DMD, mean depth, DRAM reads,
// energy), by the ratio of medians its verdict holds. A change smaller than the spec's minimum effect counts as
// "same". Descriptive only: whether a change is established is the verdict's business (Why each class).
import { DEFAULT_MIN_EFFECT, memoryMetrics, type ExperimentResults, type MetricName } from '../../core/index.js';
import { formatRatio, metricLabel } from './format.js';

type Direction = 'lower' | 'higher' | 'same';
type Reading = { metric: MetricName; ratio: number; direction: Direction };

/** One bullet per arm, or [] when fewer than two memory figures were compared. */
export function instrumentLines(results: ExperimentResults): string[] {
  const minEffect = results.spec.min_effect ?? DEFAULT_MIN_EFFECT;
  return results.summary.arms
    .filter((arm) => !arm.baseline)
    .flatMap((arm) => {
      const readings = arm.verdicts.flatMap((verdict): Reading[] => {
        const metric = verdict.metric as MetricName;
        const ratio = verdict.effect.value;
        if (!memoryMetrics.includes(metric) || ratio === null || !Number.isFinite(ratio)) return [];
        const direction: Direction = ratio <= 1 - minEffect ? 'lower' : ratio >= 1 + minEffect ? 'higher' : 'same';
        return [{ metric, ratio, direction }];
      });
      return readings.length < 2 ? [] : [`${arm.name}: ${verdictOf(readings)} (${readings.map(reading).join(', ')})`];
    });
}

function reading({ metric, ratio }: Reading): string {
  return `${metricLabel(metric)} ${formatRatio(ratio)}`;
}

function verdictOf(readings: readonly Reading[]): string {
  const directions = new Set(readings.map((r) => r.direction));
  if (directions.size === 1) return `the instruments agree: all ${[...directions][0]}`;
  const by = (direction: Direction) => readings.filter((r) => r.direction === direction).map((r) => metricLabel(r.metric));
  const parts = (['lower', 'higher', 'same'] as const).filter((d) => by(d).length > 0).map((d) => `${by(d).join(', ')} ${d}`);
  return `the instruments disagree: ${parts.join('; ')}`;
}
