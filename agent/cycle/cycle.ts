// One research cycle: read what is known, plan, write the spec, run it in a child process, judge, write the finding,
// update TODO.md and DISCOVERIES.md, commit once, all in the cycle transaction: a failed cycle is rolled back and recorded
// as INVALID in a commit of its own; a failed interpretation keeps the results, an outage while planning writes nothing.
import { join } from 'node:path';
import { expandArms, type ExperimentResults } from '../../core/index.js';
import { writeFinding } from '../experiments/write-outputs.js';
import { readResultsFile } from '../experiments/results-file.js';
import { assertNoHumanEdits, openRepo } from '../io/git.js';
import { beginCycle, type CycleTransaction } from '../io/cycle-guard.js';
import { coreHash } from '../io/provenance.js';
import { runExperimentChild } from '../io/run-child.js';
import { BudgetExceededError } from '../llm/client.js';
import { serializeTranscript } from '../llm/transcript.js';
import type { PlannerUsage } from '../planners/planner.js';
import { readWorkspace } from './context.js';
import { buildCommitMessage } from './commit-message.js';
import { prepareSpec, type PreparedSpec } from './prepare.js';
import { budgetHookOf } from './budget-probe.js';
import { recordInvalidCycle } from './record-invalid.js';
import { interpretOrDegrade, planOrFallBack } from './planner-steps.js';
import { ApiOutageError } from '../llm/outage.js';
import type { CycleOptions, CycleOutcome } from './cycle-types.js';

export type { CycleOptions, CycleOutcome } from './cycle-types.js';
import { updateQueueAndDiscoveries } from './update-docs.js';
import { refreshReproductionTable } from '../report/reproduction-readme.js';
import { readText } from '../io/workspace-files.js';
import { findingPath, resultsDir, transcriptPath } from '../workspace/paths.js';
import { UserError } from '../user-error.js';

export class CoreChangedError extends UserError {
  constructor(expected: string, actual: string) {
    super(
      `core/ changed since the loop started (core hash ${expected.slice(0, 12)} -> ${actual.slice(0, 12)}): results would not be comparable; restart the loop`,
    );
  }
}

export async function runCycle(options: CycleOptions): Promise<CycleOutcome> {
  const { workspace, planner } = options;
  if (!options.dryRun) await assertNoHumanEdits(workspace); // a dry run writes nothing, so it may look while a cycle runs
  const actualHash = await coreHash();
  if (actualHash !== options.expectedCoreHash) throw new CoreChangedError(options.expectedCoreHash, actualHash);
  const today = options.clock.date().toISOString().slice(0, 10);
  const snapshot = await readWorkspace(workspace, today);
  for (const problem of snapshot.problems) options.log(`warning: ${problem}`);
  planner.resetTranscript();
  const usageBefore = planner.usage();
  const usage = () => usageSince(usageBefore, planner.usage());
  const planned = await planOrFallBack(options, snapshot.context);
  if (planned.status !== 'planned') {
    if (planned.status !== 'failed') return { status: planned.status, reason: planned.reason, usage: usage() };
    if (options.dryRun) throw planned.error; // a dry run writes nothing, not even an INVALID record
    return recordInvalidCycle(options, { reason: planned.reason, spec: null, itemId: planned.itemId, usage: usage() });
  }
  const plan = planned.plan;
  if (plan.kind === 'idle') return { status: 'idle', reason: plan.reason, usage: usage() };
  let prepared: PreparedSpec;
  try {
    prepared = await prepareSpec(workspace, plan, snapshot.context, budgetHookOf(options));
  } catch (error) {
    if (options.dryRun) throw error;
    return recordInvalidCycle(options, { reason: (error as Error).message, spec: null, itemId: plan.item_id, usage: usage() });
  }
  if (options.dryRun) {
    const text = prepared.newText ?? (await readText(join(workspace, prepared.specPath)));
    return { status: 'dry-run', spec_path: prepared.specPath, text, usage: usage() };
  }
  return runInTransaction(options, prepared, snapshot, usage);
}

/** The cycle's writes, inside the transaction: committed once, or rolled back and recorded as INVALID. */
async function runInTransaction(
  options: CycleOptions,
  prepared: PreparedSpec,
  snapshot: Awaited<ReturnType<typeof readWorkspace>>,
  usage: () => PlannerUsage,
): Promise<CycleOutcome> {
  const { workspace, planner } = options;
  options.log(`cycle: running ${prepared.specPath} (${prepared.rationale})`);
  const cycleId = `${options.clock.date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${prepared.spec.id}`;
  const repo = await openRepo(workspace);
  const tx = await beginCycle(workspace, { cycleId, baseCommit: await repo.headCommit(), now: options.clock.date });
  try {
    const recorded = await runAndRecord(options, tx, prepared, snapshot);
    if (recorded === 'interrupted') {
      await tx.rollback();
      return { status: 'interrupted', reason: 'interrupted: the experiment was stopped and the cycle rolled back', usage: usage() };
    }
    await tx.markCommitting();
    const { results, narrativeBy } = recorded;
    const message = buildCommitMessage({ results, planner: planner.name, prepared, usage: usage(), narrativeBy });
    const commit = (await repo.commitFiles(tx.touchedPaths(), message)) ?? '(no change)';
    await tx.commit();
    return {
      status: 'committed',
      class: results.summary.class,
      experiment_id: results.id,
      commit,
      headline: results.summary.headline,
      usage: usage(),
    };
  } catch (error) {
    const rollbackProblem = await tx.rollback().then(
      () => '',
      (rollbackError: Error) => `\nThe rollback also failed (check 'git status'): ${rollbackError.message}`,
    );
    if (options.cancelSignal?.aborted) return { status: 'interrupted', reason: `interrupted: the cycle was rolled back${rollbackProblem}`, usage: usage() };
    if (error instanceof ApiOutageError) return { status: 'outage', reason: `${error.message}${rollbackProblem}`, usage: usage() };
    if (error instanceof BudgetExceededError) throw error;
    return recordInvalidCycle(options, {
      reason: `${(error as Error).message}${rollbackProblem}`,
      spec: prepared.spec,
      itemId: prepared.itemId,
      usage: usage(),
    });
  }
}

/** Spec -> child run -> interpretation -> finding, TODO, discoveries (all inside the transaction). */
async function runAndRecord(
  options: CycleOptions,
  tx: CycleTransaction,
  prepared: PreparedSpec,
  snapshot: Awaited<ReturnType<typeof readWorkspace>>,
): Promise<{ results: ExperimentResults; narrativeBy: string } | 'interrupted'> {
  const { workspace, planner } = options;
  if (prepared.newText !== null) await tx.writeFile(prepared.specPath, prepared.newText);
  const id = prepared.spec.id;
  await tx.claimDir(resultsDir(id));
  const runs = expandArms(prepared.spec).length * prepared.spec.seeds.length;
  const child = await runExperimentChild({
    workspace,
    specPath: prepared.specPath,
    timeoutMs: options.childTimeoutMs ?? runs * prepared.spec.time_limit * 1000 * 1.5 + 60_000,
    ...(options.cancelSignal ? { cancelSignal: options.cancelSignal } : {}),
    ...(options.workers ? { workers: options.workers } : {}),
    ...(options.childEnv ? { env: options.childEnv } : {}),
  });
  if (child.cancelled || options.cancelSignal?.aborted) return 'interrupted';
  if (child.failed) {
    const why = child.timedOut
      ? `timed out after ${Math.round(child.durationMs / 1000)} s and was stopped`
      : child.exitCode === null
        ? 'was killed by a signal (a crash, or killed from outside, e.g. out of memory)'
        : `exited with code ${child.exitCode}`;
    throw new Error(`lab run ${prepared.specPath} ${why}${child.stderrTail ? `: ${child.stderrTail}` : ''}`);
  }
  const results = await readResultsFile(workspace, id);
  const { interpretation, narrativeNote, degraded } = await interpretOrDegrade(planner, snapshot.context, results, options);
  const write = (path: string, content: string) => tx.writeFile(path, content);
  const date = options.clock.date().toISOString().slice(0, 10);
  await writeFinding(write, results, { narrative: interpretation.narrative, date, narrativeNote });
  await updateQueueAndDiscoveries({ write, snapshot, prepared, results, interpretation, findingPath: findingPath(id) });
  await refreshReproductionTable(workspace, write, options.log);
  const transcript = planner.transcript();
  if (transcript) await write(transcriptPath(id), serializeTranscript(transcript));
  return { results, narrativeBy: degraded ? `builtin (${planner.name} failed)` : planner.name };
}

function usageSince(before: PlannerUsage, after: PlannerUsage): PlannerUsage {
  return {
    input_tokens: after.input_tokens - before.input_tokens,
    output_tokens: after.output_tokens - before.output_tokens,
    cost_usd: after.cost_usd - before.cost_usd,
    requests: after.requests - before.requests,
  };
}
