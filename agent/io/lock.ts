// One lab process per workspace: `.lab/lock` names the holder (pid, host, command, start time).
// A lock whose process is dead (kill -9, reboot) or whose file is garbage is taken over, race-safely.
import { randomBytes } from 'node:crypto';
import { link, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { atomicWriteTempName, createFileDurably, isErrorCode, makeDirectoryDurably, parseJsonOrNull, readFileIfExists, syncDirectory } from './atomic-write.js';
import { labStatePath } from './lab-state-dir.js';
import { UserError } from '../user-error.js';

const LockHolderSchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  command: z.string(),
  started_at: z.string(),
  /** Random per acquisition, so a holder never deletes a lock that has since become someone else's. */
  // A lock without a token (written by hand or an older lab) is still honoured while its pid lives.
  token: z.string().catch(''),
});

export type LockHolder = z.infer<typeof LockHolderSchema>;

export type StaleLock = {
  reason: 'dead_process' | 'unreadable';
  /** The previous holder, or null when the file could not be parsed. */
  holder: LockHolder | null;
  message: string;
};

export type Lock = {
  path: string;
  holder: LockHolder;
  tookOverFrom: StaleLock | null;
  /** Deletes the lock file if it is still ours; returns false when it was already gone or taken over. */
  release: () => Promise<boolean>;
};

export type AcquireLockOptions = {
  /** What is running, e.g. "lab loop"; shown to whoever finds the workspace locked. */
  command: string;
  now?: () => Date;
  /** Told about a stale lock taken over (the same text as tookOverFrom.message). */
  onMessage?: (message: string) => void;
};

export class LockError extends UserError {
  constructor(
    message: string,
    readonly lockPath: string,
    readonly holder: LockHolder | null,
  ) {
    super(message);
  }
}

const MAX_TAKEOVER_ATTEMPTS = 5;

export async function acquireLock(workspace: string, options: AcquireLockOptions): Promise<Lock> {
  const lockPath = labStatePath(workspace, 'lock');
  const now = options.now ?? (() => new Date());
  await makeDirectoryDurably(labStatePath(workspace));
  const holder: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    command: options.command,
    started_at: now().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  let tookOverFrom: StaleLock | null = null;
  for (let attempt = 0; attempt < MAX_TAKEOVER_ATTEMPTS; attempt++) {
    if (await createLockFileExclusively(lockPath, `${JSON.stringify(holder, null, 2)}\n`)) {
      if (tookOverFrom !== null) options.onMessage?.(tookOverFrom.message);
      return { path: lockPath, holder, tookOverFrom, release: releaseOnce(lockPath, holder.token) };
    }
    const existingText = await readFileIfExists(lockPath);
    if (existingText === null) continue; // released between our create and our read: try again
    const existing = parseLockHolder(existingText);
    const stale = judgeStaleness(lockPath, existing, existingText);
    if (stale === null) throw new LockError(describeHeldLock(workspace, lockPath, existing!), lockPath, existing);
    await removeLockIfUnchanged(lockPath, existingText);
    tookOverFrom = stale;
  }
  throw new LockError(
    `could not acquire ${lockPath}: other lab processes kept taking it over (${MAX_TAKEOVER_ATTEMPTS} attempts). ` +
      'Another lab command is starting in this workspace; wait for it to finish and try again.',
    lockPath,
    null,
  );
}

/** Reads who holds the workspace lock, or null when nobody does (or the file is unreadable). */
export async function readLockHolder(workspace: string): Promise<LockHolder | null> {
  const text = await readFileIfExists(labStatePath(workspace, 'lock'));
  return text === null ? null : parseLockHolder(text);
}

/** Whether a pid names a live process on this host; EPERM means it exists but belongs to another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isErrorCode(error, 'ESRCH');
  }
}

/** null when the holder is alive (or on another host, where we cannot tell); the reason to take over otherwise. */
function judgeStaleness(lockPath: string, existing: LockHolder | null, existingText: string): StaleLock | null {
  if (existing === null) {
    const excerpt = JSON.stringify(existingText.slice(0, 80));
    return { reason: 'unreadable', holder: null, message: `unreadable lock file ${lockPath} (content ${excerpt}) taken over` };
  }
  if (existing.hostname !== hostname() || isProcessAlive(existing.pid)) return null;
  return {
    reason: 'dead_process',
    holder: existing,
    message: `stale lock from pid ${existing.pid} (${existing.command}, started ${existing.started_at}) taken over`,
  };
}

function describeHeldLock(workspace: string, lockPath: string, holder: LockHolder): string {
  const who = `pid ${holder.pid} ("${holder.command}") on host ${holder.hostname}, since ${holder.started_at}`;
  if (holder.hostname !== hostname()) {
    return (
      `workspace ${workspace} is locked by ${who}. That host is not this one (${hostname()}), so lab cannot tell ` +
      `whether the process still runs: if it does not, delete ${lockPath} and try again.`
    );
  }
  return (
    `workspace ${workspace} is locked by ${who}: only one lab command may run in a workspace at a time. ` +
    `Wait for it to finish or stop it (kill ${holder.pid}), then try again.`
  );
}

/**
 * Creates the lock file with its full content in one step: write a temp file, then hard-link it to
 * the lock path, which fails with EEXIST like O_EXCL but never exposes an empty, half-written lock.
 * Falls back to open('wx') on file systems without hard links.
 */
async function createLockFileExclusively(lockPath: string, content: string): Promise<boolean> {
  const tempPath = join(dirname(lockPath), atomicWriteTempName('lock'));
  await createFileDurably(tempPath, content);
  try {
    await link(tempPath, lockPath).catch((error: unknown) => {
      if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].some((code) => isErrorCode(error, code))) throw error;
      return createFileDurably(lockPath, content);
    });
    await syncDirectory(dirname(lockPath));
    return true;
  } catch (error) {
    if (isErrorCode(error, 'EEXIST')) return false;
    throw error;
  } finally {
    await rm(tempPath, { force: true });
  }
}

/**
 * Takes a stale lock out of the way only if it is still the file we judged stale: rename it aside
 * (atomic; of two racing processes only one gets it), compare, and put it back if it had changed.
 */
async function removeLockIfUnchanged(lockPath: string, judgedText: string): Promise<void> {
  const asidePath = `${lockPath}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockPath, asidePath);
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return; // someone else moved it first
    throw error;
  }
  const asideText = await readFileIfExists(asidePath);
  if (asideText !== judgedText) {
    // A live process took the lock over between our read and our rename: give it back.
    try {
      await link(asidePath, lockPath);
    } catch (error) {
      if (!isErrorCode(error, 'EEXIST')) throw error;
    }
  }
  await rm(asidePath, { force: true });
}

function releaseOnce(lockPath: string, token: string): () => Promise<boolean> {
  let released = false;
  return async () => {
    if (released) return false;
    released = true;
    const text = await readFileIfExists(lockPath);
    if (text === null || parseLockHolder(text)?.token !== token) return false;
    await rm(lockPath, { force: true });
    return true;
  };
}

/** null when the file is not a lock holder (garbage, cut short, a field missing): such a lock is taken over. */
function parseLockHolder(text: string): LockHolder | null {
  return LockHolderSchema.safeParse(parseJsonOrNull(text)).data ?? null;
}
