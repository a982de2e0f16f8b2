// Failures: INVALID cycles and timed-out, crashed or diverged runs, grouped by reason.
import type { ReportExperiment } from './report-experiment.js';

export type FailureItem = { experiment_id: string; arm: string | null; seed: number | null; detail: string };

export type FailureGroup = { reason: string; items: FailureItem[] };

export function buildFailures(experiments: readonly ReportExperiment[]): FailureGroup[] {
  const groups = new Map<string, FailureItem[]>();
  const add = (reason: string, item: FailureItem) => groups.set(reason, [...(groups.get(reason) ?? []), item]);
  for (const experiment of experiments) {
    if (experiment.class === 'INVALID' && experiment.results === null) {
      const reason = experiment.invalid_reason ?? experiment.headline;
      add(`cycle failed: ${reasonKey(reason)}`, { experiment_id: experiment.id, arm: null, seed: null, detail: reason });
    }
    for (const arm of experiment.results?.arms ?? []) {
      for (const run of arm.runs) {
        if (run.status === 'ok') continue;
        const message = run.message ?? '';
        add(`run ${run.status === 'timeout' ? 'timed out' : run.status}`, { experiment_id: experiment.id, arm: arm.name, seed: run.seed, detail: message });
      }
    }
  }
  return [...groups.entries()]
    .map(([reason, items]) => ({ reason, items }))
    .sort((a, b) => b.items.length - a.items.length || a.reason.localeCompare(b.reason));
}

/** The first line, numbers and quoted values blanked, so "after 12 s" and "after 9 s" group together. */
export function reasonKey(reason: string): string {
  return (reason.split('\n')[0] ?? '')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+(\.\d+)?/g, 'N')
    .slice(0, 160);
}
