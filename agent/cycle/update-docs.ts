// After a run: check the item off in TODO.md (with its finding and class), append the planner's
// follow-ups (writing their specs), add the new facts to DISCOVERIES.md (only from a confirmation on fresh
// seeds: anything else waits for its own), mark the lines a result contradicts, write the planner's AGENDA.md; human lines stay.
import type { ExperimentResults } from '../../core/index.js';
import { parseSpecText, renderSpecText } from '../experiments/spec-file.js';
import type { WorkspaceWriter } from '../experiments/write-outputs.js';
import type { Interpretation } from '../domain.js';
import { appendDiscoveries, markContested } from '../workspace/discoveries.js';
import { AGENDA_PATH, isConfirmation } from '../workspace/agenda.js';
import { slugify, uniqueId } from '../workspace/ids.js';
import { addItem, appendFollowUps, checkOff, ensureIds, renderTodo, todoIds, type FollowUpItem } from '../workspace/todo.js';
import type { WorkspaceSnapshot } from './context.js';
import type { PreparedSpec } from './prepare.js';
import { DISCOVERIES_PATH, specPath, TODO_PATH } from '../workspace/paths.js';

export type DocsUpdate = {
  write: WorkspaceWriter;
  snapshot: WorkspaceSnapshot;
  prepared: PreparedSpec;
  results: ExperimentResults;
  interpretation: Interpretation;
  findingPath: string;
  log?: (line: string) => void;
};

export async function updateQueueAndDiscoveries(update: DocsUpdate): Promise<void> {
  const { write, snapshot, prepared, results, interpretation } = update;
  let doc = ensureIds(snapshot.todo);
  let itemId = prepared.itemId;
  if (itemId === null) {
    // A generated experiment: it enters the queue, then is checked off, so TODO.md shows what was run.
    itemId = uniqueId(prepared.spec.id, todoIds(doc));
    doc = addItem(doc, { id: itemId, text: prepared.spec.title, spec_path: prepared.specPath, motivated_by: prepared.spec.motivated_by ?? null });
  }
  doc = checkOff(doc, itemId, { findingPath: update.findingPath, cls: results.summary.class, note: results.summary.headline });
  const taken = new Set([...todoIds(doc), ...snapshot.context.existingSpecIds, results.id]);
  const followUps: FollowUpItem[] = [];
  // Arms the cycle budget split off come first: they finish the question this experiment asked.
  for (const followUp of [...(prepared.queued ?? []), ...interpretation.follow_ups]) {
    const id = uniqueId(slugify(String(followUp.spec?.id ?? followUp.text)), taken);
    taken.add(id);
    const specPath = followUp.spec ? await writeFollowUpSpec(write, { ...followUp.spec, id }, followUp.body ?? `\n${followUp.text}\n`, update.log) : null;
    followUps.push({ ...followUp, id, spec_path: specPath, ...(specPath ? {} : { spec: undefined }) });
  }
  if (followUps.length > 0) doc = appendFollowUps(doc, followUps);
  await write(TODO_PATH, renderTodo(doc));
  const confirmed = isConfirmation(results.spec);
  if (!confirmed && interpretation.discoveries.length > 0)
    update.log?.(`${interpretation.discoveries.length} discoveries wait for a confirmation of ${results.id} on fresh seeds`);
  const discoveries = confirmed ? interpretation.discoveries.map((discovery) => ({ ...discovery, finding_id: results.id })) : [];
  const contested = interpretation.contested ?? [];
  let text = snapshot.context.discoveriesText;
  if (contested.length > 0) text = markContested(text, contested);
  if (discoveries.length > 0) text = appendDiscoveries(text, discoveries, DISCOVERIES_PATH);
  if (text !== snapshot.context.discoveriesText) await write(DISCOVERIES_PATH, text);
  if (interpretation.agenda !== undefined && interpretation.agenda !== snapshot.context.agendaText) await write(AGENDA_PATH, interpretation.agenda);
}

/** Writes a follow-up's spec when it validates; an invalid one is dropped (the TODO line stays) and logged. */
async function writeFollowUpSpec(write: WorkspaceWriter, spec: Record<string, unknown>, body: string, log?: (line: string) => void): Promise<string | null> {
  const path = specPath(String(spec['id']));
  const text = renderSpecText(spec as never, body);
  try {
    parseSpecText(text, path);
  } catch (error) {
    log?.(`follow-up spec dropped: ${(error as Error).message}`);
    return null;
  }
  await write(path, text);
  return path;
}
