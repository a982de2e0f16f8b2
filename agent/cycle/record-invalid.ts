// A failed cycle is rolled back, then recorded: an INVALID finding with the reason, its TODO item
// checked off as INVALID, in a commit of its own, so nothing vanishes silently.
import { join } from 'node:path';
import type { Spec } from '../../core/index.js';
import { renderInvalidFinding } from '../findings/render.js';
import { openRepo } from '../io/git.js';
import { beginCycle } from '../io/cycle-guard.js';
import { coreHash } from '../io/provenance.js';
import { serializeTranscript } from '../llm/transcript.js';
import type { PlannerUsage } from '../planners/planner.js';
import { uniqueId } from '../workspace/ids.js';
import { checkOff, ensureIds, parseTodo, renderTodo } from '../workspace/todo.js';
import { invalidCommitMessage } from './commit-message.js';
import type { CycleOptions, CycleOutcome } from './cycle-types.js';
import { listNames, readText } from '../io/workspace-files.js';
import { findingPath, specPath, TODO_PATH, transcriptPath } from '../workspace/paths.js';

export type InvalidCycle = { reason: string; spec: Spec | null; itemId: string | null; usage: PlannerUsage };

export async function recordInvalidCycle(options: CycleOptions, failure: InvalidCycle): Promise<CycleOutcome> {
  const { workspace, clock } = options;
  const stamp = clock.date().toISOString().replace(/[-:]/g, '').slice(0, 15).toLowerCase();
  const base = failure.spec?.id ?? `invalid-${stamp}`;
  const findingIds = (await listNames(join(workspace, 'findings'))).filter((name) => name.endsWith('.md')).map((name) => name.slice(0, -3));
  const id = uniqueId(base, new Set(findingIds));
  const finding = findingPath(id);
  options.log(`cycle INVALID: ${failure.reason.split('\n')[0]}`);
  const repo = await openRepo(workspace);
  const tx = await beginCycle(workspace, { cycleId: `${stamp}-${id}-invalid`, baseCommit: await repo.headCommit(), now: clock.date });
  try {
    const date = clock.date().toISOString().slice(0, 10);
    await tx.writeFile(
      finding,
      renderInvalidFinding({
        id,
        date,
        question: failure.spec?.question ?? 'What should the next experiment be? (the cycle failed before an experiment ran)',
        reason: failure.reason,
        ...(failure.spec ? { spec: failure.spec } : {}),
      }).markdown,
    );
    const todoText = await readText(join(workspace, TODO_PATH));
    const todo = ensureIds(parseTodo(todoText, TODO_PATH));
    const item = failure.itemId ? todo.items.find((candidate) => candidate.id === failure.itemId && !candidate.checked) : undefined;
    if (item)
      await tx.writeFile(
        TODO_PATH,
        renderTodo(checkOff(todo, item.id, { findingPath: finding, cls: 'INVALID', note: failure.reason.split('\n')[0]!.slice(0, 100) })),
      );
    // Keep what the model answered (e.g. the specs that failed validation), so the failure can be read and replayed.
    const transcript = options.planner.transcript();
    if (transcript && transcript.exchanges.length > 0) await tx.writeFile(transcriptPath(id), serializeTranscript(transcript));
    await tx.markCommitting();
    const message = invalidCommitMessage({
      id,
      reason: failure.reason,
      planner: options.planner.name,
      coreHash: await coreHash(),
      findingPath: finding,
      specPath: failure.spec ? specPath(failure.spec.id) : null,
      usage: failure.usage,
    });
    const commit = (await repo.commitFiles(tx.touchedPaths(), message)) ?? '(no change)';
    await tx.commit();
    return { status: 'invalid', class: 'INVALID', experiment_id: id, commit, reason: failure.reason, usage: failure.usage };
  } catch (error) {
    // The error that stopped the record is the one to report; a failed rollback is added to it, not dropped.
    await tx.rollback().catch((rollbackError: Error) => {
      (error as Error).message += `\nThe rollback also failed (check 'git status'): ${rollbackError.message}`;
    });
    throw error;
  }
}
