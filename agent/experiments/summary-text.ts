// The plain-text summary printed after a run: class, headline, one line per arm.
import type { ExperimentResults } from '../../core/index.js';
import { formatComparison } from '../findings/format.js';

export function formatSummaryLines(results: ExperimentResults): string[] {
  const { summary } = results;
  const lines = [`${summary.class} ${results.id}: ${summary.headline}`];
  for (const arm of summary.arms) {
    const primary = arm.metrics[summary.primary.metric];
    const median = primary?.median ?? null;
    const medianText = median === null ? '-' : primary?.median_censored ? `> ${median} (censored)` : String(median);
    const comparison = arm.comparison;
    const measure = comparison?.measure === 'ratio_of_restricted_means' ? ' restricted mean' : '';
    const effect = comparison && comparison.ratio !== null ? `, ${formatComparison(comparison)} against the baseline${measure}` : '';
    lines.push(
      `  ${arm.name}${arm.baseline ? ' (baseline)' : ''}: ${arm.solved}/${arm.runs} solved, median ${summary.primary.metric} ${medianText}${effect} -> ${arm.class}`,
    );
  }
  lines.push(`results_hash ${results.results_hash}`);
  return lines;
}
