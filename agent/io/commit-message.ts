// The structured commit message of a cycle: a subject, a body, and git-style trailers
// ("Experiment: exp-egd") that `lab status` reads back from git log.

export type CommitMessageParts = {
  subject: string;
  body?: string;
  /** Written in insertion order as "Key: value" lines, the last paragraph of the message. */
  trailers?: Record<string, string>;
};

const TRAILER_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const TRAILER_LINE_PATTERN = /^([A-Za-z0-9][A-Za-z0-9-]*):[ \t]*(.*)$/;

/**
 * `subject\n\nbody\n\nKey: value\n...`. Subject and trailer values are folded onto one line (they
 * may come from a planner); a trailer key git could not parse is a programming error and throws.
 */
export function formatCommitMessage(parts: CommitMessageParts): string {
  const subject = foldToOneLine(parts.subject);
  if (subject === '') throw new Error('formatCommitMessage: subject is empty; give the commit a one-line summary');
  const body = (parts.body ?? '').replace(/\r\n/g, '\n').trim();
  const trailerLines = Object.entries(parts.trailers ?? {}).map(([key, value]) => {
    if (!TRAILER_KEY_PATTERN.test(key)) {
      throw new Error(`formatCommitMessage: trailer key ${JSON.stringify(key)} is not a git trailer token: use letters, digits and "-" (e.g. "Experiment")`);
    }
    return `${key}: ${foldToOneLine(value)}`;
  });
  return [subject, body, trailerLines.join('\n')].filter((paragraph) => paragraph !== '').join('\n\n');
}

/**
 * The trailers of a commit message: its last paragraph, if every line there is "Key: value" (or an
 * indented continuation) and it is not the subject. A repeated key's values are joined with ", ".
 */
export function parseTrailers(message: string): Record<string, string> {
  const paragraphs = message
    .replace(/\r\n/g, '\n')
    .trim()
    .split(/\n[ \t]*\n/);
  if (paragraphs.length < 2) return {};
  const trailers: Record<string, string> = {};
  let lastKey: string | null = null;
  for (const line of paragraphs[paragraphs.length - 1]!.split('\n')) {
    const match = TRAILER_LINE_PATTERN.exec(line);
    if (match !== null) {
      const [, key, value] = match as unknown as [string, string, string];
      trailers[key] = key in trailers ? `${trailers[key]}, ${value.trim()}` : value.trim();
      lastKey = key;
    } else if (/^[ \t]/.test(line) && lastKey !== null) {
      trailers[lastKey] = `${trailers[lastKey]} ${line.trim()}`;
    } else {
      return {};
    }
  }
  return trailers;
}

/** The subject line of a commit message. */
export function commitSubject(message: string): string {
  return message.replace(/\r\n/g, '\n').trim().split('\n')[0] ?? '';
}

function foldToOneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
