// The on-disk cycle journal `.lab/cycle.json`: what a cycle is about to change in the workspace,
// recorded (atomically) before each change, so a process killed at any point can be rolled back.
import { readFile, readdir, rm } from 'node:fs/promises';
import { z } from 'zod';
import { assertAgentOwnedPath } from './agent-areas.js';
import { isAtomicWriteTempName, isErrorCode, writeJsonAtomic } from './atomic-write.js';
import { LAB_STATE_DIRECTORY, labStatePath } from './lab-state-dir.js';
import { UserError } from '../user-error.js';

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

const FileEntrySchema = z.object({
  kind: z.literal('file'),
  path: z.string(),
  existed: z.boolean(),
  /** sha256 of the content before the cycle touched it (null when it did not exist). */
  original_sha256: Sha256Schema.nullable(),
  /** Workspace-relative copy of the original content under .lab/backup/<cycle>/ (null when it did not exist). */
  backup_path: z.string().nullable(),
  /** Every state the cycle wrote or was about to write (sha256, or null for "deleted"), recorded before the act. */
  written: z.array(Sha256Schema.nullable()),
});

const DirectoryEntrySchema = z.object({
  kind: z.literal('directory'),
  path: z.string(),
  /** True for a directory a child process (the runner) creates and fills: rollback deletes it whole. */
  claimed_for_child: z.boolean(),
});

const CycleJournalSchema = z.object({
  version: z.literal(1),
  cycle_id: z.string(),
  started_at: z.string(),
  /** 'committing' once the cycle starts its git commit: recovery then asks whether that commit landed. */
  phase: z.enum(['running', 'committing']),
  base_commit: z.string().nullable(),
  entries: z.array(z.discriminatedUnion('kind', [FileEntrySchema, DirectoryEntrySchema])),
});

export type JournalFileEntry = z.infer<typeof FileEntrySchema>;
export type JournalDirectoryEntry = z.infer<typeof DirectoryEntrySchema>;
export type JournalEntry = JournalFileEntry | JournalDirectoryEntry;
export type CycleJournal = z.infer<typeof CycleJournalSchema>;

export class JournalError extends UserError {
  override name = 'JournalError';
}

export const CYCLE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const JOURNAL_FILE_NAME = 'cycle.json';

export function journalPath(workspace: string): string {
  return labStatePath(workspace, JOURNAL_FILE_NAME);
}

export function backupDirectoryRelative(cycleId: string): string {
  return `${LAB_STATE_DIRECTORY}/backup/${cycleId}`;
}

export async function writeJournal(workspace: string, journal: CycleJournal): Promise<void> {
  await writeJsonAtomic(journalPath(workspace), journal);
}

/** The journal of an interrupted cycle, or null when none exists. Throws JournalError if it is not a journal. */
export async function readJournal(workspace: string): Promise<CycleJournal | null> {
  const path = journalPath(workspace);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return null;
    throw error;
  }
  const fix = `inspect it, put the workspace files back by hand if needed, then delete ${path}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JournalError(`cycle journal ${path} is not valid JSON, so lab cannot roll the interrupted cycle back: ${fix}`);
  }
  const parsed = CycleJournalSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new JournalError(`cycle journal ${path}: field ${issue?.path.join('.') || '(root)'} ${issue?.message}: ${fix}`);
  }
  assertJournalStaysInBounds(parsed.data, path, fix);
  return parsed.data;
}

/** A tampered journal must not make recovery delete or overwrite files outside the agent's areas. */
function assertJournalStaysInBounds(journal: CycleJournal, path: string, fix: string): void {
  if (!CYCLE_ID_PATTERN.test(journal.cycle_id)) {
    throw new JournalError(`cycle journal ${path}: field cycle_id ${JSON.stringify(journal.cycle_id)} is not a valid id: ${fix}`);
  }
  const backupPrefix = `${backupDirectoryRelative(journal.cycle_id)}/`;
  journal.entries.forEach((entry, index) => {
    try {
      const normalized = assertAgentOwnedPath(entry.path, entry.kind === 'file' ? 'file' : 'directory');
      if (normalized !== entry.path) throw new Error(`path ${JSON.stringify(entry.path)} is not normalized`);
      if (entry.kind === 'file' && entry.backup_path !== null && entry.backup_path !== backupPrefix + entry.path) {
        throw new Error(`backup_path ${JSON.stringify(entry.backup_path)} is not ${backupPrefix}${entry.path}`);
      }
    } catch (error) {
      throw new JournalError(`cycle journal ${path}: entries.${index}: ${(error as Error).message}: ${fix}`);
    }
  });
}

/**
 * Deletes the journal (the commit point of both commit and rollback), then every backup: with no
 * journal left, no backup can be needed (a conflicting file's backup was moved to .lab/conflicts/).
 */
export async function clearJournal(workspace: string): Promise<void> {
  await rm(journalPath(workspace), { force: true });
  await removeJournalLeftovers(workspace);
}

/** Removes what a killed process may leave without a journal: half-written journal temps, orphaned backups. */
export async function removeJournalLeftovers(workspace: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(labStatePath(workspace));
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return;
    throw error;
  }
  for (const name of names) {
    if (isAtomicWriteTempName(name, JOURNAL_FILE_NAME)) await rm(labStatePath(workspace, name), { force: true });
  }
  await rm(labStatePath(workspace, 'backup'), { recursive: true, force: true });
}
