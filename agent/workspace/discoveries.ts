// DISCOVERIES.md: one fact per line under `## <topic>` headings, each citing the finding that shows it:
//   - EGD reaches 90% in fewer epochs than SGD at n=20 ([finding](findings/egd-vs-sgd.md))
// The agent only inserts lines, marks its own lines contested when a later result contradicts them:
//   - sign-sgd helps ... (confirmed on seeds 47-56) [contested by confirm-x] ([finding](findings/y.md))
// and puts a confirmation in place of its own "not yet confirmed on fresh seeds" line of the same change and finding.
// Whatever a human wrote stays, byte for byte and in order.
import type { Discovery } from '../domain.js';
import { isValidId } from './ids.js';
import {
  appendSection,
  indentWidth,
  insertLines,
  isBlank,
  joinLines,
  lastNonBlankIndex,
  parseHeading,
  scanBlocks,
  sectionEnd,
  splitLines,
  type MarkdownLine,
} from './markdown-lines.js';

export type DiscoveryLine = {
  topic: string;
  /** The fact without its citation. */
  text: string;
  finding_id: string | null;
  /** What the line says of its confirmation: held on fresh seeds, did not hold, contested by a later result, or nothing. */
  status: 'confirmed' | 'did not hold' | 'contested' | null;
  /** 1-based line number. */
  line: number;
};

export type NewDiscovery = Discovery & { finding_id: string };

const bulletPattern = /^\s*[-*+][ \t]+(.*?)\s*$/;
/** A trailing citation: "([finding](findings/x.md))", "(findings/x.md)" or "[x](findings/x.md)". */
const trailingCitation = /\s*\(?\s*(?:\[[^\]]*\]\()?findings\/([^\s)\]]+?)\.md\)?\s*\)?\s*$/;
const anyCitation = /findings\/([^\s)\]]+?)\.md/g;

export function newDiscoveriesFile(): string {
  return [
    '# Discoveries',
    '',
    'What this lab has established, one fact per line, each citing the finding that shows it.',
    'The agent appends under topic headings; edit or reorder freely.',
    '',
  ].join('\n');
}

/** Every bullet outside code fences and comments, with its topic (the innermost heading above it). */
export function parseDiscoveries(text: string): DiscoveryLine[] {
  const { lines } = splitLines(text);
  const { contexts } = scanBlocks(lines);
  const facts: DiscoveryLine[] = [];
  let topic = '';
  for (const [index, { text: lineText }] of lines.entries()) {
    if (contexts[index] !== 'text') continue;
    const heading = parseHeading(lineText);
    if (heading) {
      if (heading.level >= 2) topic = heading.title;
      continue;
    }
    const bullet = bulletPattern.exec(lineText);
    if (!bullet || bullet[1] === '') continue;
    const fact = splitCitation(bullet[1]!);
    facts.push({ topic, ...fact, status: statusOf(fact.text), line: index + 1 });
  }
  return facts;
}

/**
 * Adds each discovery as the last fact of its topic (a new `## topic` at the end when there is none).
 * Existing lines are never changed or moved; a fact already present (same words, any topic) is skipped.
 */
export function appendDiscoveries(text: string, discoveries: readonly NewDiscovery[], file = 'DISCOVERIES.md'): string {
  let document = splitLines(text.trim() === '' ? text + newDiscoveriesFile() : text);
  const { unclosed } = scanBlocks(document.lines);
  if (unclosed) {
    const what = unclosed.kind === 'fence' ? 'code fence' : 'HTML comment';
    throw new Error(
      `${file}:${unclosed.index + 1}: this ${what} is never closed, so new facts would land inside it; close it (${unclosed.kind === 'fence' ? '```' : '-->'} on its own line)`,
    );
  }
  const known = new Set(parseDiscoveries(text).map((fact) => oneLine(fact.text)));
  for (const discovery of discoveries) {
    const fact = oneLine(discovery.text);
    if (fact === '') continue;
    if (!isValidId(discovery.finding_id)) {
      throw new Error(`${file}: cannot cite finding id "${discovery.finding_id}" (lowercase letters, digits, dashes); pass the finding's id, e.g. exp-egd`);
    }
    if (known.has(fact)) continue;
    known.add(fact);
    const line = `- ${fact} ([finding](findings/${discovery.finding_id}.md))`;
    const settled = discovery.replaces ? unconfirmedLine(document.lines, discovery.replaces) : -1;
    const lines = settled >= 0 ? document.lines.map((old, index) => (index === settled ? { ...old, text: line } : old)) : null;
    document = { ...document, lines: lines ?? insertFact(document.lines, oneLine(discovery.topic) || 'General', line) };
  }
  return joinLines(document);
}

function insertFact(lines: readonly MarkdownLine[], topic: string, factLine: string): MarkdownLine[] {
  const { contexts } = scanBlocks(lines);
  const headingIndex = lines.findIndex((line, index) => {
    const heading = contexts[index] === 'text' ? parseHeading(line.text) : null;
    return heading !== null && heading.level >= 2 && heading.title.toLowerCase() === topic.toLowerCase();
  });
  if (headingIndex < 0) return appendSection(lines, topic, [factLine]);
  const end = sectionEnd(lines, contexts, headingIndex);
  const lastBullet = lastBulletBlockEnd(lines, contexts, headingIndex, end);
  if (lastBullet !== null) return insertLines(lines, lastBullet + 1, [factLine]);
  // No facts yet under this heading: after the heading, or after its prose with a blank line between.
  const lastText = lastNonBlankIndex(lines, headingIndex, end);
  return insertLines(lines, lastText + 1, lastText === headingIndex ? [factLine] : ['', factLine]);
}

/** Index of the last line of the last bullet in (from, to), including its indented continuation lines. */
function lastBulletBlockEnd(lines: readonly MarkdownLine[], contexts: readonly string[], from: number, to: number): number | null {
  let lastBullet: number | null = null;
  for (let i = from + 1; i < to; i++) if (contexts[i] === 'text' && bulletPattern.test(lines[i]!.text)) lastBullet = i;
  if (lastBullet === null) return null;
  let end = lastBullet;
  for (let i = lastBullet + 1; i < to; i++) {
    const text = lines[i]!.text;
    if (isBlank(text) || indentWidth(text) === 0) break;
    end = i;
  }
  return end;
}

/** The index of the agent's unconfirmed line of `change` citing the finding, or -1. */
function unconfirmedLine(lines: readonly MarkdownLine[], { finding_id, change }: { finding_id: string; change: string }): number {
  const { contexts } = scanBlocks(lines);
  return lines.findIndex((line, index) => {
    const bullet = contexts[index] === 'text' ? bulletPattern.exec(line.text) : null;
    const fact = bullet?.[1] ? splitCitation(bullet[1]) : null;
    return fact?.finding_id === finding_id && fact.text.startsWith(`${change} `) && fact.text.endsWith('not yet confirmed on fresh seeds)');
  });
}

function statusOf(text: string): DiscoveryLine['status'] {
  if (/\[contested by [a-z0-9-]+\]/.test(text)) return 'contested';
  if (/did not hold on seeds/.test(text)) return 'did not hold';
  return /confirmed on (seeds|fresh seeds)/.test(text) && !/not yet confirmed/.test(text) ? 'confirmed' : null;
}

/** Marks every line citing `findingId` "[contested by <by>]" (before its citation); other lines stay byte for byte. */
export function markContested(text: string, marks: readonly { finding_id: string; by: string }[]): string {
  const document = splitLines(text);
  const { contexts } = scanBlocks(document.lines);
  const lines = document.lines.map((line, index) => {
    const bullet = contexts[index] === 'text' ? bulletPattern.exec(line.text) : null;
    const fact = bullet?.[1] ? splitCitation(bullet[1]) : null;
    const mark = fact ? marks.find((candidate) => candidate.finding_id === fact.finding_id) : undefined;
    if (!mark || !fact || fact.text.includes(`[contested by ${mark.by}]`)) return line;
    const at = line.text.lastIndexOf(' ([finding](');
    return at < 0 ? line : { ...line, text: `${line.text.slice(0, at)} [contested by ${mark.by}]${line.text.slice(at)}` };
  });
  return joinLines({ ...document, lines });
}

function splitCitation(content: string): { text: string; finding_id: string | null } {
  const trailing = trailingCitation.exec(content);
  if (trailing && trailing.index > 0) return { text: content.slice(0, trailing.index).trim(), finding_id: trailing[1]! };
  const cited = [...content.matchAll(anyCitation)];
  return { text: content, finding_id: cited.length > 0 ? cited[cited.length - 1]![1]! : null };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
