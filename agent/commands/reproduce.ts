// `lab reproduce <id>`: re-run a finished experiment from its recorded spec and compare, writing nothing.
import type { ExperimentResults } from '../../core/index.js';
import { executeSpec, type RunExecutor } from '../experiments/run-experiment.js';
import { readResultsFile } from '../experiments/results-file.js';

export type ReproduceOptions = {
  id: string;
  workspace: string;
  now: () => Date;
  print: (text: string) => void;
  workers?: number;
  /** Where the runs train; on the queue, pass queueExecutor({ ..., fresh: true }) so finished jobs are not reused. */
  executor?: RunExecutor;
};

export type HeadlineCheck = { arm: string; field: string; recorded: string; reproduced: string; match: boolean };

export async function runReproduceCommand(options: ReproduceOptions): Promise<number> {
  const recorded = await readResultsFile(options.workspace, options.id);
  const spec = recorded.spec;
  options.print(`re-running ${options.id} (${recorded.arms.length} arms x ${spec.seeds.length} seeds)...`);
  const again = await executeSpec(spec, {
    workspace: options.workspace,
    now: options.now,
    ...(options.workers ? { workers: options.workers } : {}),
    ...(options.executor ? { executor: options.executor } : {}),
  });
  const checks = compareHeadlines(recorded, again);
  const hashMatch = recorded.results_hash === again.results_hash;
  options.print(`results_hash: ${hashMatch ? 'match' : 'DIFFERENT'} (recorded ${recorded.results_hash.slice(0, 12)}, now ${again.results_hash.slice(0, 12)})`);
  if (recorded.provenance.core_hash !== again.provenance.core_hash)
    options.print(
      `note: the core changed since the recording (core_hash ${recorded.provenance.core_hash.slice(0, 12)} -> ${again.provenance.core_hash.slice(0, 12)})`,
    );
  for (const check of checks) options.print(`  ${check.match ? 'ok  ' : 'DIFF'} ${check.arm} ${check.field}: ${check.recorded} -> ${check.reproduced}`);
  const allMatch = hashMatch && checks.every((check) => check.match);
  options.print(allMatch ? 'reproduced: identical results' : 'NOT reproduced');
  return allMatch ? 0 : 1;
}

/** Per arm: solved count, median primary metric and class; recorded vs reproduced. */
export function compareHeadlines(recorded: ExperimentResults, again: ExperimentResults): HeadlineCheck[] {
  const metric = recorded.summary.primary.metric;
  const rows: [string, string, string, string][] = [['(experiment)', 'class', recorded.summary.class, again.summary.class]];
  for (const arm of recorded.summary.arms) {
    const other = again.summary.arms.find((candidate) => candidate.name === arm.name);
    rows.push(
      [arm.name, 'solved', `${arm.solved}/${arm.runs}`, other ? `${other.solved}/${other.runs}` : 'missing'],
      [arm.name, `median ${metric}`, String(arm.metrics[metric]?.median ?? '-'), String(other?.metrics[metric]?.median ?? '-')],
      [arm.name, 'class', arm.class, other?.class ?? 'missing'],
    );
  }
  return rows.map(([arm, field, before, after]) => ({ arm, field, recorded: before, reproduced: after, match: before === after }));
}
