// Parses TODO.md into items while keeping every line as written, so rendering gives the file back byte
// for byte. Strict only where a mistake would make the agent run the wrong thing (see todo.ts for the format).
import { EXPERIMENT_CLASSES, type ExperimentClass } from '../../core/index.js';
import { isValidId, slugify, uniqueId } from './ids.js';
import { indentWidth, isBlank, joinLines, parseHeading, scanBlocks, splitLines, type MarkdownLine } from './markdown-lines.js';
import { specPath } from './paths.js';
import { UserError } from '../user-error.js';

export type TodoItem = {
  id: string;
  /** False when the line has no `<!-- id: -->` comment and the id was derived from the text (ensureIds writes it). */
  has_id_comment: boolean;
  checked: boolean;
  /** The item's text without the box and the id comment (a checked item keeps its "→ finding" suffix). */
  text: string;
  /** The text before a check-off's "→ [finding](...)" suffix: the hypothesis as written. */
  hypothesis: string;
  /** Innermost heading above the item ('' before any heading). */
  section: string;
  spec_path: string | null;
  motivated_by: string | null;
  /** For a checked item: the finding linked by check-off and its class. */
  finding_path: string | null;
  result_class: ExperimentClass | null;
  /** The enclosing checklist item for a nested one. */
  parent_id: string | null;
  /** 1-based line number. */
  line: number;
};

export type TodoDocument = {
  file: string;
  bom: string;
  lines: MarkdownLine[];
  items: TodoItem[];
};

export class TodoFormatError extends UserError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly content: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${file}:${line}: ${problem}\n  ${line} | ${content}\n  fix: ${fix}`);
  }
}

/** indent, list marker, spaces, [box], spaces, body. */
const itemLinePattern = /^(\s*)([-*+]|\d{1,9}[.)])([ \t]+)\[([ xX])\]([ \t]+)(.*)$/;
/** Something a human meant as a checkbox but that is not one: `- [?]`, `- [ x]`, `-[ ]`, `- []`, `- [x]done`. */
const checkboxLikePattern = /^\s*([-*+]|\d{1,9}[.)])([ \t]*)\[([^\]]{0,3})\](?![(\[:])(.*)$/;
const checkboxLikeInner = /^[\s xX✓✔✗✘?*~/.+-]*$/;
const idCommentStart = /<!--\s*id\b/gi;
const resultSuffixPattern = new RegExp(`\\s*(?:→|->)\\s*\\[[^\\]]*\\]\\(([^)\\s]+)\\)(?:\\s*(${EXPERIMENT_CLASSES.join('|')})\\b)?`);

export type ItemLineParts = {
  /** Indentation, marker and the spaces before the box. */
  lead: string;
  checked: boolean;
  /** Spaces between the box and the body. */
  gap: string;
  /** Body text before the id comment (or the whole body when there is none). */
  before: string;
  /** The id comment as written, or '' */
  comment: string;
  /** Whatever follows the id comment (usually trailing whitespace). */
  after: string;
  id: string | null;
};

/** How a line's problem is reported; the one parseTodo passes adds the file, the line number and the line. */
type Fail = (problem: string, fix: string) => never;
const failWithoutPlace: Fail = (problem) => {
  throw new Error(problem);
};

/** Splits a well-formed checklist line; null for any other line. A bad id comment goes to `fail`. */
export function itemLineParts(text: string, fail: Fail = failWithoutPlace): ItemLineParts | null {
  const match = itemLinePattern.exec(text);
  if (!match || isBlank(match[6]!)) return null;
  const [, indent, marker, markerGap, box, gap, body] = match as unknown as string[];
  const lead = indent! + marker! + markerGap!;
  const starts = [...body!.matchAll(idCommentStart)].map((found) => found.index!);
  if (starts.length === 0) return { lead, checked: box !== ' ', gap: gap!, before: body!, comment: '', after: '', id: null };
  if (starts.length > 1) return fail('the line has two id comments', 'keep one <!-- id: ... --> comment per item');
  const start = starts[0]!;
  const comment = /^<!--\s*id\s*:\s*(.*?)\s*-->/i.exec(body!.slice(start));
  if (!comment) {
    const rest = body!.slice(start);
    if (!rest.includes('-->')) return fail('the id comment is not terminated', 'end it with -->, e.g. <!-- id: my-item -->');
    return fail('the id comment has no "id:" label', 'write it as <!-- id: my-item -->');
  }
  const id = comment[1]!;
  if (id === '') return fail('the id comment is empty', 'give the item an id, e.g. <!-- id: my-item -->, or delete the comment');
  if (!isValidId(id)) {
    return fail(`id "${id}" has characters other than lowercase letters, digits and dashes`, `write <!-- id: ${slugify(id)} -->`);
  }
  const end = start + comment[0].length;
  return { lead, checked: box !== ' ', gap: gap!, before: body!.slice(0, start), comment: comment[0], after: body!.slice(end), id };
}

export function parseTodo(text: string, file = 'TODO.md'): TodoDocument {
  const { bom, lines } = splitLines(text);
  const { contexts, unclosed } = scanBlocks(lines);
  const fail = (index: number, problem: string, fix: string): never => {
    throw new TodoFormatError(file, index + 1, lines[index]!.text, problem, fix);
  };
  if (unclosed) {
    const what = unclosed.kind === 'fence' ? 'code fence' : 'HTML comment';
    const close = unclosed.kind === 'fence' ? `${/`+|~+/.exec(lines[unclosed.index]!.text)![0]} on a line of its own` : '-->';
    fail(unclosed.index, `this ${what} is never closed, so it hides every item below it`, `close it with ${close}`);
  }
  const items: TodoItem[] = [];
  const explicitIdLines = new Map<string, number>();
  let section = '';
  let parents: { indent: number; item: TodoItem }[] = [];
  const parentOf = new Map<TodoItem, TodoItem>();
  for (const [index, { text: lineText }] of lines.entries()) {
    if (contexts[index] !== 'text') continue;
    const heading = parseHeading(lineText);
    if (heading) {
      section = heading.title;
      parents = [];
      continue;
    }
    const parts = itemLineParts(lineText, (problem, fix) => fail(index, problem, fix));
    if (!parts) {
      checkNotMalformedCheckbox(lineText, (problem, fix) => fail(index, problem, fix));
      if (!isBlank(lineText) && indentWidth(lineText) === 0) parents = [];
      continue;
    }
    if (parts.id !== null) {
      const firstLine = explicitIdLines.get(parts.id);
      if (firstLine !== undefined) {
        const taken = new Set(explicitIdLines.keys());
        fail(
          index,
          `duplicate id "${parts.id}" (first used on line ${firstLine})`,
          `give one of them a new id, e.g. <!-- id: ${uniqueId(parts.id, taken)} -->`,
        );
      }
      explicitIdLines.set(parts.id, index + 1);
    }
    const indent = indentWidth(lineText);
    while (parents.length > 0 && parents[parents.length - 1]!.indent >= indent) parents.pop();
    const item = describeItem(parts, { section, line: index + 1 }, (problem, fix) => fail(index, problem, fix));
    const parent = parents[parents.length - 1]?.item;
    if (parent) parentOf.set(item, parent);
    items.push(item);
    parents.push({ indent, item });
  }
  assignDerivedIds(items, new Set(explicitIdLines.keys()));
  // Parents are resolved after ids exist: a parent's id may be derived.
  for (const [child, parent] of parentOf) child.parent_id = parent.id;
  return { file, bom, lines, items };
}

export function renderTodo(doc: TodoDocument): string {
  return joinLines(doc);
}

function checkNotMalformedCheckbox(text: string, fail: Fail): void {
  const match = checkboxLikePattern.exec(text);
  if (!match || !checkboxLikeInner.test(match[3]!)) return;
  const [, marker, markerGap, inner, rest] = match as unknown as string[];
  const body = rest!.trim();
  const example = `${marker} [${inner!.trim().toLowerCase() === 'x' ? 'x' : ' '}] ${body || 'hypothesis to test'}`;
  if (inner !== ' ' && inner !== 'x' && inner !== 'X') {
    fail(`"[${inner}]" is not a checkbox: use "[ ]" for an open item or "[x]" for a done one`, `write "${example}"`);
  }
  if (markerGap === '') fail(`no space between "${marker}" and the checkbox`, `write "${example}"`);
  if (body === '') fail('the checklist item has no text', 'write the hypothesis after the box, or delete the line');
  fail('no space between the checkbox and the text', `write "${example}"`);
}

type ItemPlace = { section: string; line: number };

function describeItem(parts: ItemLineParts, place: ItemPlace, fail: Fail): TodoItem {
  const text = (parts.before + parts.after).trim();
  const result = parts.checked ? resultSuffixPattern.exec(text) : null;
  const hypothesis = result ? text.slice(0, result.index).trim() : text;
  const specNames = [...new Set([...hypothesis.matchAll(/experiments\/([^\s)\]>"'`]+?)\.md\b/g)].map((found) => found[1]!))];
  for (const name of specNames) {
    if (!isValidId(name))
      fail(
        `spec link "experiments/${name}.md": spec ids use lowercase letters, digits and dashes`,
        `rename the spec to experiments/${slugify(name)}.md and link that`,
      );
  }
  if (specNames.length > 1)
    fail(`the item links ${specNames.length} specs (${specNames.join(', ')}); an item runs one spec`, 'split it into one item per spec');
  const motivation = /findings\/([^\s)\]>"'`]+?)\.md\b/.exec(hypothesis);
  const resultClass = result?.[2] as ExperimentClass | undefined;
  return {
    id: parts.id ?? '',
    has_id_comment: parts.id !== null,
    checked: parts.checked,
    text,
    hypothesis,
    section: place.section,
    spec_path: specNames.length === 1 ? specPath(specNames[0]!) : null,
    motivated_by: motivation && isValidId(motivation[1]!) ? motivation[1]! : null,
    finding_path: result ? result[1]! : null,
    result_class: resultClass && (EXPERIMENT_CLASSES as readonly string[]).includes(resultClass) ? resultClass : null,
    parent_id: null,
    line: place.line,
  };
}

/**
 * Items without an id comment get the id their spec link names, else a slug of their text, made unique
 * in document order against every written id: the same file always gives the same ids.
 */
function assignDerivedIds(items: TodoItem[], taken: Set<string>): void {
  for (const item of items) {
    if (item.has_id_comment) continue;
    const base = item.spec_path ? item.spec_path.slice('experiments/'.length, -'.md'.length) : slugify(slugSource(item.hypothesis));
    item.id = uniqueId(base, taken);
    taken.add(item.id);
  }
}

/** What an item's derived id is made from: its words, without link targets and "(from ...)" notes. */
function slugSource(hypothesis: string): string {
  return hypothesis
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\((?:from|spec|see)\b[^)]*\)/gi, ' ')
    .replace(/\b(?:experiments|findings)\/\S+\.md\b/g, ' ');
}
