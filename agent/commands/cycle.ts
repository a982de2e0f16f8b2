// `lab cycle` and `lab loop`: one research cycle, or cycles until a stop condition, under the workspace lock.
import { resolve } from 'node:path';
import type { Clock } from '../io/clock.js';
import { coreHash } from '../io/provenance.js';
import { runCycle, type CycleOutcome } from '../cycle/cycle.js';
import { isBudgetSpent, isCycleCount, isHoursElapsed, runLoop, type StopCondition } from '../cycle/loop.js';
import { withWorkspaceSession } from '../cycle/session.js';
import { selectPlanner, type PlannerChoice } from '../planners/select.js';
import type { Planner } from '../planners/planner.js';
import { budgetWindowHours, committedSpendUsd } from '../cycle/committed-spend.js';
import { loadCycleRecords } from './status.js';
import { buildDigest, renderDigest } from '../cycle/digest.js';
import { readText } from '../io/workspace-files.js';
import { writeReport } from './report.js';

export type CycleCommandOptions = {
  workspace: string;
  choice: PlannerChoice;
  dryRun: boolean;
  workers?: number;
  childEnv?: Record<string, string>;
  /** A cycle takes at most this share of the night (default DEFAULT_CYCLE_SHARE, of --hours or DEFAULT_NIGHT_HOURS). */
  cycleShare?: number;
  clock: Clock;
  cancelSignal: AbortSignal;
  print: (text: string) => void;
  log: (text: string) => void;
  /** Stop asking Claude once this much is spent, counting the spend committed in the last 24 h. */
  budgetUsd?: number;
};

/** The planner for a command: Ctrl-C reaches its requests, its read tools read this workspace, the committed spend counts. */
async function plannerFor(options: CycleCommandOptions, workspace: string, deadlineMs?: number): Promise<{ planner: Planner; spentBeforeUsd: number }> {
  const spentBeforeUsd = options.budgetUsd !== undefined ? await committedSpendUsd(workspace, options.clock.date()) : 0;
  if (spentBeforeUsd > 0) options.log(`budget: $${spentBeforeUsd.toFixed(4)} already spent by the cycles committed in the last ${budgetWindowHours} h`);
  const planner = await selectPlanner({
    ...options.choice,
    ...(options.budgetUsd !== undefined ? { budgetUsd: options.budgetUsd, spentUsd: spentBeforeUsd } : {}),
    ...(deadlineMs !== undefined ? { outageDeadlineMs: deadlineMs } : {}),
    signal: options.cancelSignal,
    workspace,
    now: options.clock.now,
    log: options.log,
  });
  return { planner, spentBeforeUsd };
}

export async function runCycleCommand(options: CycleCommandOptions): Promise<number> {
  const workspace = resolve(options.workspace);
  const { planner } = await plannerFor(options, workspace);
  const cycleOptions = { ...(await cycleOptionsFor(options, workspace, planner)), dryRun: options.dryRun };
  if (options.dryRun) {
    const outcome = await runCycle(cycleOptions);
    options.print(outcome.status === 'dry-run' ? `dry run: would write and run ${outcome.spec_path}\n\n${outcome.text}` : describeOutcome(outcome));
    return 0;
  }
  const outcome = await withWorkspaceSession({ workspace, command: 'lab cycle', log: options.log }, () => runCycle(cycleOptions));
  options.print(describeOutcome(outcome));
  return exitCodeFor(outcome);
}

export type LoopCommandOptions = CycleCommandOptions & { cycles?: number; hours?: number };

export async function runLoopCommand(options: LoopCommandOptions): Promise<number> {
  const workspace = resolve(options.workspace);
  const deadlineMs = options.hours !== undefined ? options.clock.now() + options.hours * 3_600_000 : undefined;
  const { planner, spentBeforeUsd } = await plannerFor(options, workspace, deadlineMs);
  const stopWhen: StopCondition[] = [];
  if (options.cycles !== undefined) stopWhen.push(isCycleCount(options.cycles));
  if (options.hours !== undefined) stopWhen.push(isHoursElapsed(options.hours));
  if (options.budgetUsd !== undefined) stopWhen.push(isBudgetSpent(options.budgetUsd));
  const summary = await withWorkspaceSession({ workspace, command: 'lab loop', log: options.log }, async () =>
    runLoop({
      ...(await cycleOptionsFor(options, workspace, planner)),
      stopWhen,
      spentBeforeUsd,
      onCycle: async (outcome, state) => {
        options.print(`[cycle ${state.outcomes.length}] ${describeOutcome(outcome)}`);
        // The morning page follows the night; a page that fails to render never stops the loop.
        await writeReport({ workspace, since: '24h', now: options.clock.date }).catch((error: Error) => options.log(`report not refreshed: ${error.message}`));
      },
    }),
  );
  const counts = countClasses(summary.outcomes);
  const cost = summary.spentUsd > 0 ? `, $${summary.spentUsd.toFixed(4)} spent` : '';
  options.print(`\nloop stopped (${summary.stopReason}): ${summary.outcomes.length} cycles${counts ? ` — ${counts}` : ''}${cost}`);
  const commits = new Set(summary.outcomes.flatMap((outcome) => ('commit' in outcome ? [outcome.commit] : [])));
  if (commits.size > 0) {
    const records = (await loadCycleRecords(workspace, 200)).filter((record) => commits.has(record.commit));
    const discoveries = await readText(resolve(workspace, 'DISCOVERIES.md')).catch(() => '');
    options.print(['', 'Morning digest (largest effect first):', ...renderDigest(buildDigest(records, discoveries))].join('\n'));
  }
  if (summary.error) throw summary.error;
  const interrupted = summary.outcomes.some((outcome) => outcome.status === 'interrupted') || options.cancelSignal.aborted;
  return interrupted ? 130 : summary.stopReason.startsWith('circuit breaker') ? 1 : 0;
}

/** What runCycle and runLoop both take; the night is --hours for a loop, else the default one. */
async function cycleOptionsFor(options: LoopCommandOptions, workspace: string, planner: Planner) {
  return {
    workspace,
    planner,
    clock: options.clock,
    expectedCoreHash: await coreHash(),
    cancelSignal: options.cancelSignal,
    log: options.log,
    ...(options.workers ? { workers: options.workers } : {}),
    ...(options.childEnv ? { childEnv: options.childEnv } : {}),
    budget: { ...(options.hours ? { nightHours: options.hours } : {}), ...(options.cycleShare ? { share: options.cycleShare } : {}) },
  };
}

export function describeOutcome(outcome: CycleOutcome): string {
  switch (outcome.status) {
    case 'committed':
      return `${outcome.class} ${outcome.experiment_id}: ${outcome.headline} (commit ${outcome.commit.slice(0, 8)})`;
    case 'invalid':
      return `INVALID ${outcome.experiment_id}: ${outcome.reason.split('\n')[0]} (commit ${outcome.commit.slice(0, 8)})`;
    case 'idle':
      return `idle: ${outcome.reason}`;
    case 'dry-run':
      return `dry run: ${outcome.spec_path}`;
    case 'interrupted':
      return outcome.reason;
    case 'outage':
      return `skipped (API outage): ${outcome.reason}`;
  }
}

function exitCodeFor(outcome: CycleOutcome): number {
  if (outcome.status === 'interrupted') return 130;
  return outcome.status === 'invalid' || outcome.status === 'outage' ? 1 : 0;
}

function countClasses(outcomes: CycleOutcome[]): string {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) {
    const key = outcome.status === 'committed' ? outcome.class : outcome.status === 'invalid' ? 'INVALID' : outcome.status;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => `${count} ${key}`).join(', ');
}
