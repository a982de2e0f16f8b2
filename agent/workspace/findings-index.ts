// The findings index: what is known, read from the front matter of findings/<id>.md (never from prose).
// A broken file is reported, not fatal.
import matter from 'gray-matter';
import { z } from 'zod';
import { EXPERIMENT_CLASSES } from '../../core/index.js';
import type { FindingSummary } from '../domain.js';
import { idPattern } from './ids.js';

export type FindingsIndex = {
  /** Sorted by date, then id. */
  findings: FindingSummary[];
  /** One message per file that could not be indexed; each names the file, the field and the fix. */
  problems: string[];
};

export class FindingFrontMatterError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${file}: front matter ${field ? `field "${field}"` : ''}${field ? ': ' : ''}${detail}`);
    this.name = 'FindingFrontMatterError';
  }
}

/** js-yaml reads an unquoted 2026-03-16 as a Date; a human may write one, so accept it as the day it names. */
const dateSchema = z.preprocess(
  (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value),
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD, e.g. 2026-03-16'),
);

const armValueSchema = z.union([z.number(), z.string(), z.null()]);

const FindingFrontMatterSchema = z
  .object({
    id: z.string().regex(idPattern, 'use lowercase letters, digits and dashes, as the spec id'),
    date: dateSchema,
    class: z.enum(EXPERIMENT_CLASSES),
    question: z.string().min(1, 'write the question the experiment answers'),
    primary_metric: z.string().nullable().default(null),
    headline: z.string().default(''),
    results: z.string().nullable().default(null),
    results_hash: z.string().nullable().optional(),
    best_arm: z.string().nullable().default(null),
    arms: z.record(z.string(), z.record(z.string(), armValueSchema)).nullable().default({}),
  })
  // Other keys (title, direction, tags a human adds) are allowed and ignored.
  .loose();

/** One finding's summary from its front matter; throws FindingFrontMatterError naming the file and field. */
export function parseFindingFrontMatter(text: string, file: string): FindingSummary {
  let data: Record<string, unknown>;
  try {
    // An options object also turns off gray-matter's cache, which hands out shared objects.
    data = matter(text, {}).data;
  } catch (error) {
    throw new FindingFrontMatterError(file, '', `is not valid YAML (${(error as Error).message.split('\n')[0]}); fix the block between the --- lines`);
  }
  if (Object.keys(data).length === 0) {
    throw new FindingFrontMatterError(file, '', 'is missing; a finding starts with a --- block holding id, date, class, question, headline');
  }
  const parsed = FindingFrontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    const value = issue.path.reduce<unknown>((object, key) => (object as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey], data);
    throw new FindingFrontMatterError(file, field, `${issue.message} (got ${value === undefined ? 'nothing' : JSON.stringify(value)})`);
  }
  const front = parsed.data;
  const fileId = /([^/\\]+)\.md$/.exec(file)?.[1];
  if (fileId !== undefined && fileId !== front.id) {
    throw new FindingFrontMatterError(
      file,
      'id',
      `"${front.id}" does not match the file name; rename the file to findings/${front.id}.md or set id: ${fileId}`,
    );
  }
  return {
    id: front.id,
    date: front.date,
    class: front.class,
    question: front.question,
    primary_metric: front.primary_metric ?? '',
    headline: front.headline,
    path: file,
    results_path: front.results ?? '',
    arms: front.arms ?? {},
    best_arm: front.best_arm,
  };
}

/** Indexes every finding that parses; README.md (the index itself) is skipped, duplicate ids are problems. */
export function buildFindingsIndex(files: readonly { path: string; text: string }[]): FindingsIndex {
  const findings: FindingSummary[] = [];
  const problems: string[] = [];
  const pathsById = new Map<string, string>();
  for (const file of files) {
    if (/(^|[/\\])readme\.md$/i.test(file.path)) continue;
    try {
      const finding = parseFindingFrontMatter(file.text, file.path);
      const earlier = pathsById.get(finding.id);
      if (earlier !== undefined) {
        problems.push(`${file.path}: front matter field "id": "${finding.id}" is already used by ${earlier}; give one of them a new id`);
        continue;
      }
      pathsById.set(finding.id, file.path);
      findings.push(finding);
    } catch (error) {
      problems.push(error instanceof FindingFrontMatterError ? error.message : `${file.path}: ${(error as Error).message}`);
    }
  }
  findings.sort((a, b) => (a.date === b.date ? compare(a.id, b.id) : compare(a.date, b.date)));
  return { findings, problems };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
