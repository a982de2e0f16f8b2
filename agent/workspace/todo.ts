// TODO.md, the hypothesis queue: which items are open, and the agent's edits (check off, follow-ups, ids).
// Every edit changes only the lines it names and re-parses the result, so a document is always valid.
//
// Format (GitHub task lists under ATX headings):
//   ## Optimizers
//   - [ ] Try EGD at n=30 (spec: [egd-n30](experiments/egd-n30.md)) <!-- id: egd-n30 -->
//   - [x] Sign SGD vs SGD → [finding](findings/sign-sgd.md) WIN <!-- id: sign-sgd -->
//   ## Follow-ups
//   - [ ] Sign SGD at k=5 (from [sign-sgd](findings/sign-sgd.md)) <!-- id: sign-sgd-k5 -->
// - An item is a `-`, `*`, `+` or `1.` list line with `[ ]` (open) or `[x]` (done), at any indent; a nested
//   item is queued with its parent's text in front. The top open item in document order is taken first.
// - The id is an HTML comment, `<!-- id: lowercase-digits-dashes -->`, normally at the end of the line.
//   An item without one gets its spec's id or a slug of its text (made unique); ensureIds writes it down.
// - `experiments/<id>.md` anywhere in the text (link or bare) is the item's spec; `findings/<id>.md` before a
//   check-off arrow is the finding that motivated it.
// - Everything else (prose, plain bullets, tables, code fences, HTML comments) is kept exactly as written;
//   checklist lines inside fences or comments are not items. Errors (TodoFormatError) only where the agent
//   would otherwise guess: a box like `[?]`, a bad or duplicate id, two specs on one item, an unclosed fence.
import { EXPERIMENT_CLASSES, type ExperimentClass } from '../../core/index.js';
import type { FollowUp, QueueItem } from '../domain.js';
import { isValidId } from './ids.js';
import { appendSection, insertLines, lastNonBlankIndex, parseHeading, scanBlocks, sectionEnd } from './markdown-lines.js';
import { itemLineParts, parseTodo, renderTodo, type TodoDocument, type TodoItem } from './todo-parse.js';
import { findingPath, specPath } from './paths.js';

export { parseTodo, renderTodo, TodoFormatError, type TodoDocument, type TodoItem } from './todo-parse.js';

/** Open items, top of the queue first. */
export function openItems(doc: TodoDocument): QueueItem[] {
  const byId = new Map(doc.items.map((item) => [item.id, item]));
  const contextText = (item: TodoItem): string => {
    const parent = item.parent_id === null ? undefined : byId.get(item.parent_id);
    return parent ? `${contextText(parent)} › ${item.hypothesis}` : item.hypothesis;
  };
  return doc.items
    .filter((item) => !item.checked)
    .map((item) => ({ id: item.id, text: contextText(item), section: item.section, spec_path: item.spec_path, motivated_by: item.motivated_by }));
}

/** Every item id in the document, open or done: what a new item's id must avoid (see uniqueId). */
export function todoIds(doc: TodoDocument): Set<string> {
  return new Set(doc.items.map((item) => item.id));
}

/** Writes `<!-- id: ... -->` on each item that has none (its derived id); changes nothing else. */
export function ensureIds(doc: TodoDocument): TodoDocument {
  const lines = doc.lines.map((line) => ({ ...line }));
  for (const item of doc.items) {
    if (item.has_id_comment) continue;
    const line = lines[item.line - 1]!;
    const trailing = /\s*$/.exec(line.text)![0];
    line.text = `${line.text.slice(0, line.text.length - trailing.length)} <!-- id: ${item.id} -->${trailing}`;
  }
  return reparse(doc, lines);
}

export type CheckOffOptions = {
  /** Relative path of the finding, e.g. findings/egd-n30.md. */
  findingPath: string;
  cls: ExperimentClass;
  /** A few words after the class, e.g. "1.9x fewer epochs". */
  note?: string;
};

/** `- [ ] text <!-- id: x -->` -> `- [x] text → [finding](findings/x.md) WIN <!-- id: x -->`. */
export function checkOff(doc: TodoDocument, id: string, { findingPath, cls, note }: CheckOffOptions): TodoDocument {
  const item = requireItem(doc, id);
  if (item.checked) {
    throw new Error(
      `${doc.file}:${item.line}: item "${id}" is already checked off${item.finding_path ? ` (→ ${item.finding_path})` : ''}; to run it again, add a new item`,
    );
  }
  if (!/^[^\s()<>]+\.md$/.test(findingPath)) {
    throw new Error(`checkOff: findingPath "${findingPath}" is not a relative markdown path; pass e.g. findings/${id}.md`);
  }
  if (!(EXPERIMENT_CLASSES as readonly string[]).includes(cls)) throw new Error(`checkOff: class "${cls}" is not one of ${EXPERIMENT_CLASSES.join(', ')}`);
  const lines = doc.lines.map((line) => ({ ...line }));
  const line = lines[item.line - 1]!;
  const parts = itemLineParts(line.text)!;
  const trailing = parts.comment ? '' : /\s*$/.exec(parts.before)![0];
  const suffix = `→ [finding](${findingPath}) ${cls}${note ? ` — ${oneLine(note)}` : ''}`;
  line.text = `${parts.lead}[x]${parts.gap}${parts.before.trimEnd()} ${suffix} <!-- id: ${item.id} -->${parts.after}${trailing}`;
  return reparse(doc, lines);
}

export type NewTodoItem = {
  id: string;
  text: string;
  spec_path?: string | null;
  /** Finding id that motivated the item; cited as (from [id](findings/id.md)). */
  motivated_by?: string | null;
};

/** Adds one open item before the first open one (the agent takes it next); with nothing open, under Follow-ups. */
export function addItem(doc: TodoDocument, item: NewTodoItem): TodoDocument {
  const firstOpen = doc.items.find((candidate) => !candidate.checked);
  if (!firstOpen) return appendItems(doc, [item]);
  checkNewIds(doc, [item]);
  // Insert before the top-level item that contains the first open one, in that list's style.
  let anchor = firstOpen;
  while (anchor.parent_id !== null) anchor = doc.items.find((candidate) => candidate.id === anchor.parent_id)!;
  const lead = itemLineParts(doc.lines[anchor.line - 1]!.text)!.lead;
  const lines = insertLines(doc.lines, anchor.line - 1, [`${lead}[ ] ${itemBody(item)}`]);
  return reparse(doc, lines, [item.id]);
}

export type FollowUpItem = FollowUp & { id: string; spec_path?: string | null };

/** Appends follow-ups under `## Follow-ups` (created at the end if missing), each citing its finding. */
export function appendFollowUps(doc: TodoDocument, followUps: readonly FollowUpItem[]): TodoDocument {
  return appendItems(
    doc,
    followUps.map((followUp) => ({
      id: followUp.id,
      text: followUp.text,
      motivated_by: followUp.motivated_by,
      // An explicit spec_path (null: no spec file was written) wins over the proposed spec's id.
      spec_path: followUp.spec_path !== undefined ? followUp.spec_path : followUp.spec ? specPath(String(followUp.spec.id)) : null,
    })),
  );
}

function appendItems(doc: TodoDocument, items: readonly NewTodoItem[]): TodoDocument {
  if (items.length === 0) return doc;
  checkNewIds(doc, items);
  const newLines = items.map((item) => `- [ ] ${itemBody(item)}`);
  const ids = items.map((item) => item.id);
  const { contexts } = scanBlocks(doc.lines);
  const headingIndex = doc.lines.findIndex((line, index) => contexts[index] === 'text' && /^follow[- ]?ups?$/i.test(parseHeading(line.text)?.title ?? ''));
  if (headingIndex < 0) return reparse(doc, appendSection(doc.lines, 'Follow-ups', newLines), ids);
  const at = lastNonBlankIndex(doc.lines, headingIndex, sectionEnd(doc.lines, contexts, headingIndex)) + 1;
  return reparse(doc, insertLines(doc.lines, at, newLines), ids);
}

function itemBody(item: NewTodoItem): string {
  const text = oneLine(item.text).replace(/^(?:[-*+]\s+)?\[[ xX]\]\s*/, '');
  if (text === '') throw new Error(`new TODO item "${item.id}" has no text; write the hypothesis in one line`);
  const citations: string[] = [];
  if (item.spec_path) {
    const specId = /^experiments\/([a-z0-9][a-z0-9-]*)\.md$/.exec(item.spec_path)?.[1];
    if (!specId) throw new Error(`new TODO item "${item.id}": spec_path "${item.spec_path}" is not experiments/<id>.md`);
    if (!text.includes(item.spec_path)) citations.push(`(spec: [${specId}](${item.spec_path}))`);
  }
  if (item.motivated_by) {
    if (!isValidId(item.motivated_by))
      throw new Error(`new TODO item "${item.id}": motivated_by "${item.motivated_by}" is not a finding id (lowercase letters, digits, dashes)`);
    if (!text.includes(findingPath(item.motivated_by))) citations.push(`(from [${item.motivated_by}](${findingPath(item.motivated_by)}))`);
  }
  return [text, ...citations, `<!-- id: ${item.id} -->`].join(' ');
}

function checkNewIds(doc: TodoDocument, items: readonly NewTodoItem[]): void {
  const taken = todoIds(doc);
  for (const item of items) {
    if (!isValidId(item.id)) throw new Error(`new TODO item id "${item.id}" must use lowercase letters, digits and dashes; build it with slugify()`);
    if (taken.has(item.id)) throw new Error(`${doc.file} already has an item with id "${item.id}"; pick a free one with uniqueId(base, todoIds(doc))`);
    taken.add(item.id);
  }
}

function requireItem(doc: TodoDocument, id: string): TodoItem {
  const item = doc.items.find((candidate) => candidate.id === id);
  if (item) return item;
  const open = doc.items.filter((candidate) => !candidate.checked).map((candidate) => candidate.id);
  throw new Error(`${doc.file} has no item with id "${id}"; open items: ${open.length > 0 ? open.join(', ') : '(none)'}`);
}

/** Collapses whitespace and removes comment delimiters, which would break the line's id comment. */
function oneLine(text: string): string {
  return text
    .replace(/<!--|-->/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function reparse(doc: TodoDocument, lines: TodoDocument['lines'], expectedIds: readonly string[] = []): TodoDocument {
  const next = parseTodo(renderTodo({ ...doc, lines }), doc.file);
  const ids = todoIds(next);
  const missing = expectedIds.filter((id) => !ids.has(id));
  if (missing.length > 0) throw new Error(`${doc.file}: added items ${missing.join(', ')} did not parse as items; this is a bug in agent/workspace/todo.ts`);
  return next;
}
