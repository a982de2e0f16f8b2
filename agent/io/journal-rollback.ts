// Undoing a journaled cycle: restore backed-up files, delete what the cycle created. Decides from
// the files' current state alone, so it is correct after a crash at any step and safe to repeat.
import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isErrorCode, removeAtomicWriteLeftovers, writeFileAtomic } from './atomic-write.js';
import { clearJournal, type CycleJournal, type JournalDirectoryEntry, type JournalFileEntry } from './journal-file.js';
import { LAB_STATE_DIRECTORY, labStatePath } from './lab-state-dir.js';

/** A file rollback left alone because its content is neither the original nor anything the cycle wrote. */
export type RollbackConflict = {
  path: string;
  reason: string;
  /** Where the original content was kept (workspace-relative), when there was one. */
  backup_path: string | null;
};

export type RollbackResult = {
  /** Files put back to their content from before the cycle. */
  restored: string[];
  /** Files and directories the cycle created, now deleted. */
  removed: string[];
  conflicts: RollbackConflict[];
};

export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Rolls every entry back (newest first), then deletes the journal and the backups. */
export async function undoJournal(workspace: string, journal: CycleJournal): Promise<RollbackResult> {
  const result: RollbackResult = { restored: [], removed: [], conflicts: [] };
  for (const entry of [...journal.entries].reverse()) {
    if (entry.kind === 'file') await undoFile(workspace, journal.cycle_id, entry, result);
    else await undoDirectory(workspace, entry, result);
  }
  await clearJournal(workspace);
  return result;
}

/** Current state of a workspace file: its sha256, null when absent, 'directory' when something else is there. */
export async function fileState(absolutePath: string): Promise<string | null | 'not_a_file'> {
  try {
    const stats = await lstat(absolutePath);
    if (!stats.isFile()) return 'not_a_file';
    return sha256Hex(await readFile(absolutePath));
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return null;
    throw error;
  }
}

async function undoFile(workspace: string, cycleId: string, entry: JournalFileEntry, result: RollbackResult): Promise<void> {
  const absolutePath = join(workspace, entry.path);
  await removeAtomicWriteLeftovers(absolutePath);
  const current = await fileState(absolutePath);
  const original = entry.existed ? entry.original_sha256 : null;
  const statesThisCycleCouldLeave = new Set<string | null>([original, ...entry.written]);
  if (current === 'not_a_file' || !statesThisCycleCouldLeave.has(current)) {
    const reason = 'changed by someone else during the cycle; left as it is';
    result.conflicts.push({ path: entry.path, reason, backup_path: await keepBackup(workspace, cycleId, entry) });
    return;
  }
  if (current === original) return; // the cycle never got to change it, or it was already restored
  if (!entry.existed) {
    await rm(absolutePath, { force: true });
    result.removed.push(entry.path);
    return;
  }
  const backup = await readBackup(workspace, entry);
  if (backup === null || sha256Hex(backup) !== original) {
    // Cannot happen with this protocol (the backup is complete before the file changes) unless .lab/ was edited.
    const reason = 'its backup is missing or damaged, so the original cannot be restored; left as it is';
    result.conflicts.push({ path: entry.path, reason, backup_path: await keepBackup(workspace, cycleId, entry) });
    return;
  }
  await writeFileAtomic(absolutePath, backup);
  result.restored.push(entry.path);
}

async function undoDirectory(workspace: string, entry: JournalDirectoryEntry, result: RollbackResult): Promise<void> {
  const absolutePath = join(workspace, entry.path);
  if ((await fileState(absolutePath)) === null) return; // never created
  if (entry.claimed_for_child) {
    await rm(absolutePath, { recursive: true, force: true });
    result.removed.push(entry.path);
    return;
  }
  try {
    await rmdir(absolutePath);
    result.removed.push(entry.path);
  } catch (error) {
    if (!isErrorCode(error, 'ENOTEMPTY') && !isErrorCode(error, 'EEXIST')) throw error;
    const reason = 'directory created by the cycle now holds files the cycle did not write; left as it is';
    result.conflicts.push({ path: entry.path, reason, backup_path: null });
  }
}

async function readBackup(workspace: string, entry: JournalFileEntry): Promise<Buffer | null> {
  if (entry.backup_path === null) return null;
  try {
    return await readFile(join(workspace, entry.backup_path));
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return null;
    throw error;
  }
}

/** Moves a conflicting file's backup to .lab/conflicts/<cycle>/ so clearing the backups does not lose it. */
async function keepBackup(workspace: string, cycleId: string, entry: JournalFileEntry): Promise<string | null> {
  if (entry.backup_path === null) return null;
  const keptRelative = `${LAB_STATE_DIRECTORY}/conflicts/${cycleId}/${entry.path}`;
  const keptAbsolute = labStatePath(workspace, 'conflicts', cycleId, entry.path);
  try {
    await mkdir(dirname(keptAbsolute), { recursive: true });
    await rename(join(workspace, entry.backup_path), keptAbsolute);
  } catch (error) {
    if (!isErrorCode(error, 'ENOENT')) throw error;
    // Already moved by an earlier, interrupted rollback, or never written.
    if ((await fileState(keptAbsolute)) === null) return null;
  }
  return keptRelative;
}
