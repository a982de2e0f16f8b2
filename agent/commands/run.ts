// `lab run experiments/<id>.md`: run every arm x seed in parallel, write results, finding and figures.
import { resolve } from 'node:path';
import type { ExperimentResults } from '../../core/index.js';
import { createProgressReporter } from '../experiments/progress.js';
import { executeSpec, type RunExecutor } from '../experiments/run-experiment.js';
import { readLedger, specJobs } from '../experiments/ledger.js';
import { parseSpecText } from '../experiments/spec-file.js';
import { atomicWriter, writeFinding, writeResults } from '../experiments/write-outputs.js';
import { formatSummaryLines } from '../experiments/summary-text.js';
import { readText } from '../io/workspace-files.js';
import { UserError } from '../user-error.js';

export type RunCommandOptions = {
  specPath: string;
  workspace: string;
  json: boolean;
  workers?: number;
  /** Where the runs train (e.g. queueExecutor for --queue); default: local worker threads. */
  executor?: RunExecutor;
  /** Skip writing the finding (the cycle writes it itself, with the planner's narrative). */
  noFinding?: boolean;
  /** Train every run even when the workspace's ledger holds an identical one. */
  fresh?: boolean;
  now: () => Date;
  stdout: (text: string) => void;
  stderr: { isTTY: boolean; write: (text: string) => void };
};

export async function runRunCommand(options: RunCommandOptions): Promise<number> {
  const path = resolve(options.workspace, options.specPath);
  const text = await readSpecFile(path, options.specPath);
  const { spec } = parseSpecText(text, options.specPath);
  const ledger = options.fresh ? null : await readLedger(options.workspace);
  const results = await executeSpec(spec, {
    workspace: options.workspace,
    now: options.now,
    ...(ledger ? { ledger } : {}),
    ...(options.workers ? { workers: options.workers } : {}),
    ...(options.executor ? { executor: options.executor } : {}),
    onStart: (total) => {
      const reused = specJobs(spec).length - total;
      options.stderr.write(`running ${spec.id}: ${total} runs${reused ? ` (${reused} identical runs taken from the ledger)` : ''}\n`);
      return createProgressReporter({ ...options.stderr, now: () => options.now().getTime() }, total);
    },
  });
  const written = await writeOutputs(options, results);
  if (options.json) options.stdout(JSON.stringify(results));
  else options.stdout([...formatSummaryLines(results), '', ...written.map((path) => `wrote ${path}`)].join('\n'));
  return 0;
}

async function writeOutputs(options: RunCommandOptions, results: ExperimentResults): Promise<string[]> {
  const write = atomicWriter(options.workspace);
  const resultsPath = await writeResults(write, results);
  if (options.noFinding) return [resultsPath];
  return [resultsPath, ...(await writeFinding(write, results, { date: options.now().toISOString().slice(0, 10) }))];
}

async function readSpecFile(path: string, shown: string): Promise<string> {
  try {
    return await readText(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`${shown}: cannot read the spec (${code ?? (error as Error).message}); give a path like experiments/<id>.md`);
  }
}
