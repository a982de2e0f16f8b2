// The one commit per cycle: a subject a human can scan in `git log --oneline`, a short body, and
// trailers (Experiment, Finding, Class, Planner, Core-Hash, ...) that `lab status` reads back.
import type { ExperimentResults } from '../../core/index.js';
import { formatSummaryLines } from '../experiments/summary-text.js';
import { findingPath } from '../workspace/paths.js';
import { formatCommitMessage } from '../io/git.js';
import type { PlannerUsage } from '../planners/planner.js';
import type { PreparedSpec } from './prepare.js';

export type CommitMessageInput = {
  results: ExperimentResults;
  planner: string;
  prepared: PreparedSpec;
  usage: PlannerUsage;
  /** Who wrote the finding's narrative when it was not the planner (its interpretation failed): a Narrative trailer. */
  narrativeBy?: string;
};

export function buildCommitMessage({ results, planner, prepared, usage, narrativeBy }: CommitMessageInput): string {
  const { summary } = results;
  const body = [`Question: ${results.spec.question}`, `Why: ${prepared.rationale}`, '', ...formatSummaryLines(results).slice(1, -1)].join('\n');
  return formatCommitMessage({
    subject: truncate(`${summary.class} ${results.id}: ${summary.headline}`, 120),
    body,
    trailers: {
      Experiment: prepared.specPath,
      Finding: findingPath(results.id),
      Class: summary.class,
      Planner: planner,
      'Core-Hash': results.provenance.core_hash,
      'Results-Hash': results.results_hash,
      ...(narrativeBy && narrativeBy !== planner ? { Narrative: narrativeBy } : {}),
      ...usageTrailers(usage),
    },
  });
}

export function invalidCommitMessage(input: {
  id: string;
  reason: string;
  planner: string;
  coreHash: string;
  findingPath: string;
  specPath: string | null;
  usage: PlannerUsage;
}): string {
  return formatCommitMessage({
    subject: truncate(`INVALID ${input.id}: ${input.reason.split('\n')[0]}`, 120),
    body: `The cycle failed and was rolled back; nothing it wrote was kept except this record.\n\nReason:\n${input.reason}`,
    trailers: {
      ...(input.specPath ? { Experiment: input.specPath } : {}),
      Finding: input.findingPath,
      Class: 'INVALID',
      Planner: input.planner,
      'Core-Hash': input.coreHash,
      ...usageTrailers(input.usage),
    },
  });
}

function usageTrailers(usage: PlannerUsage): Record<string, string> {
  if (usage.requests === 0) return {};
  return { 'Cost-USD': usage.cost_usd.toFixed(4), Tokens: `${usage.input_tokens} in, ${usage.output_tokens} out` };
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
