// Markdown as a list of lines that renders back byte for byte (line endings, BOM, missing final newline),
// plus the little block structure the workspace documents need: ATX headings, code fences, HTML comments.

export type MarkdownLine = { text: string; eol: '\r\n' | '\n' | '\r' | '' };

export type MarkdownLines = {
  /** A UTF-8 byte order mark at the start of the file, kept apart so the first line parses normally. */
  bom: string;
  /** Every line; the last one has eol '' (it is an empty line when the file ends with a newline). */
  lines: MarkdownLine[];
};

/** Where a line sits: ordinary markdown, a fenced code block (fence lines included), or an HTML comment block. */
export type LineContext = 'text' | 'fence' | 'comment';

export type BlockScan = {
  contexts: LineContext[];
  /** A fence or comment block that never closes (0-based line index), which hides the rest of the file. */
  unclosed: { kind: 'fence' | 'comment'; index: number } | null;
};

export function splitLines(source: string): MarkdownLines {
  const bom = source.startsWith('\uFEFF') ? '\uFEFF' : '';
  const parts = source.slice(bom.length).split(/(\r\n|\n|\r)/);
  const lines: MarkdownLine[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    lines.push({ text: parts[i]!, eol: (parts[i + 1] ?? '') as MarkdownLine['eol'] });
  }
  return { bom, lines };
}

export function joinLines({ bom, lines }: MarkdownLines): string {
  return bom + lines.map((line) => line.text + line.eol).join('');
}

/** The file's own line ending, for lines we add: the first one used, else "\n". */
export function dominantEol(lines: readonly MarkdownLine[]): '\r\n' | '\n' | '\r' {
  const first = lines.find((line) => line.eol !== '');
  return first ? (first.eol as '\r\n' | '\n' | '\r') : '\n';
}

export function parseHeading(text: string): { level: number; title: string } | null {
  const match = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/.exec(text);
  if (!match) return null;
  const title = (match[2] ?? '').replace(/(?:^|[ \t]+)#+$/, '').trim();
  return { level: match[1]!.length, title };
}

export function isBlank(text: string): boolean {
  return text.trim() === '';
}

/** Width of the leading whitespace, a tab counting as four columns. */
export function indentWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    if (char === ' ') width += 1;
    else if (char === '\t') width += 4;
    else break;
  }
  return width;
}

/**
 * Marks lines inside ``` / ~~~ fences and multi-line <!-- --> comments, whose contents are not
 * document structure (a checklist line in a code sample is not a TODO item).
 */
export function scanBlocks(lines: readonly MarkdownLine[]): BlockScan {
  const contexts: LineContext[] = [];
  let fence: { char: string; length: number; index: number } | null = null;
  let commentStart: number | null = null;
  for (const [index, { text }] of lines.entries()) {
    if (fence) {
      contexts.push('fence');
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(text);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = null;
      continue;
    }
    if (commentStart !== null) {
      contexts.push('comment');
      if (text.includes('-->')) commentStart = null;
      continue;
    }
    const open = /^\s*(`{3,}|~{3,})(.*)$/.exec(text);
    if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) {
      fence = { char: open[1]![0]!, length: open[1]!.length, index };
      contexts.push('fence');
      continue;
    }
    const comment = /^\s*<!--/.exec(text);
    if (comment && !text.slice(comment[0].length).includes('-->')) {
      commentStart = index;
      contexts.push('comment');
      continue;
    }
    contexts.push('text');
  }
  const unclosed = fence ? { kind: 'fence' as const, index: fence.index } : commentStart !== null ? { kind: 'comment' as const, index: commentStart } : null;
  return { contexts, unclosed };
}

/** Index at which lines appended "at the end" go: before the empty last line of a file that ends with a newline. */
export function endIndex(lines: readonly MarkdownLine[]): number {
  const last = lines[lines.length - 1];
  return last && last.text === '' && last.eol === '' ? lines.length - 1 : lines.length;
}

/**
 * New lines inserted before `index`, with the file's line ending. Appending to a file without a final
 * newline ends that line and leaves the new last line without one, so the file keeps its style.
 */
export function insertLines(lines: readonly MarkdownLine[], index: number, texts: readonly string[]): MarkdownLine[] {
  const eol = dominantEol(lines);
  const added: MarkdownLine[] = texts.map((text) => ({ text, eol }));
  const result = lines.map((line) => ({ ...line }));
  if (index === result.length && result.length > 0 && added.length > 0) {
    result[result.length - 1]!.eol = eol;
    added[added.length - 1]!.eol = '';
  }
  result.splice(index, 0, ...added);
  return result;
}

/** A new `## heading` section at the end of the file (after a blank line), holding `body`. */
export function appendSection(lines: readonly MarkdownLine[], heading: string, body: readonly string[]): MarkdownLine[] {
  const at = endIndex(lines);
  const separator = at > 0 && !isBlank(lines[at - 1]!.text) ? [''] : [];
  return insertLines(lines, at, [...separator, `## ${heading}`, '', ...body]);
}

/** The last non-blank line in [from, to), or `from` itself when all are blank. */
export function lastNonBlankIndex(lines: readonly MarkdownLine[], from: number, to: number): number {
  for (let i = to - 1; i > from; i--) if (!isBlank(lines[i]!.text)) return i;
  return from;
}

/** End (exclusive) of the section a heading at `headingIndex` opens: the next heading of the same or higher level. */
export function sectionEnd(lines: readonly MarkdownLine[], contexts: readonly LineContext[], headingIndex: number): number {
  const level = parseHeading(lines[headingIndex]!.text)?.level ?? 1;
  for (let i = headingIndex + 1; i < lines.length; i++) {
    const heading = contexts[i] === 'text' ? parseHeading(lines[i]!.text) : null;
    if (heading && heading.level <= level) return i;
  }
  return endIndex(lines);
}
