// The cycle transaction: every change a cycle makes to the workspace is journaled in .lab/cycle.json
// (with a backup of the old content) before it happens, so a failed or killed cycle leaves no trace.
// Protocol per change: 1. record intent (atomic journal write)  2. back up  3. act (atomic write).
import { lstat, readFile, realpath, rm } from 'node:fs/promises';
import { dirname, join, posix, relative, sep, isAbsolute } from 'node:path';
import { assertAgentOwnedPath } from './agent-areas.js';
import { isErrorCode, makeDirectoryDurably, writeFileAtomic } from './atomic-write.js';
import {
  CYCLE_ID_PATTERN, JournalError, backupDirectoryRelative, clearJournal, readJournal, removeJournalLeftovers, writeJournal,
  type CycleJournal, type JournalFileEntry,
} from './journal-file.js';
import { sha256Hex, undoJournal, type RollbackResult } from './journal-rollback.js';

export { JournalError, type CycleJournal } from './journal-file.js';
export type { RollbackConflict, RollbackResult } from './journal-rollback.js';

export type BeginCycleOptions = {
  cycleId: string;
  /** HEAD when the cycle started; recovery hands it to `wasCommitted` to tell whether the commit landed. */
  baseCommit?: string | null;
  now?: () => Date;
  /** Crash tests only: called after every durable step; throwing from it abandons the cycle like kill -9. */
  afterDurableStep?: (step: string) => void | Promise<void>;
};

export async function beginCycle(workspace: string, options: BeginCycleOptions): Promise<CycleTransaction> {
  if (!CYCLE_ID_PATTERN.test(options.cycleId)) {
    throw new JournalError(
      `cycle id ${JSON.stringify(options.cycleId)} is not usable as a directory name: use letters, digits, ".", "_" and "-"`,
    );
  }
  const existing = await readJournal(workspace);
  if (existing !== null) {
    throw new JournalError(
      `cycle ${existing.cycle_id} in ${workspace} was interrupted and not rolled back yet: ` +
        'call recoverInterruptedCycle(workspace) (while holding the lab lock) before beginning a new cycle',
    );
  }
  await removeJournalLeftovers(workspace);
  const journal: CycleJournal = {
    version: 1,
    cycle_id: options.cycleId,
    started_at: (options.now ?? (() => new Date()))().toISOString(),
    phase: 'running',
    base_commit: options.baseCommit ?? null,
    entries: [],
  };
  await writeJournal(workspace, journal);
  await options.afterDurableStep?.('journal: begin');
  return new CycleTransaction(workspace, journal, options.afterDurableStep);
}

export type RecoveryResult = RollbackResult & {
  /** True when an interrupted cycle's journal was found (and then rolled back or completed). */
  recovered: boolean;
  cycleId?: string;
  /** 'completed' when the interrupted cycle had already committed to git: its files are kept. */
  outcome: 'nothing_to_recover' | 'rolled_back' | 'completed';
  /** The interrupted cycle's files and claimed directories (e.g. to unstage them after a rolled-back commit). */
  touchedPaths: string[];
  phase?: CycleJournal['phase'];
};

export type RecoverOptions = {
  /** Asked only when the cycle died while committing: did its git commit land (e.g. HEAD !== base_commit)? */
  wasCommitted?: (journal: CycleJournal) => boolean | Promise<boolean>;
};

/** Rolls back a cycle a dead process left behind. Call it while holding the lab lock, before beginCycle. */
export async function recoverInterruptedCycle(workspace: string, options: RecoverOptions = {}): Promise<RecoveryResult> {
  const journal = await readJournal(workspace);
  if (journal === null) {
    await removeJournalLeftovers(workspace);
    return { recovered: false, outcome: 'nothing_to_recover', restored: [], removed: [], conflicts: [], touchedPaths: [] };
  }
  const summary = { recovered: true, cycleId: journal.cycle_id, phase: journal.phase, touchedPaths: touchedPathsOf(journal) };
  if (journal.phase === 'committing' && (await options.wasCommitted?.(journal)) === true) {
    await clearJournal(workspace); // the commit holds the new state: keep the files
    return { ...summary, outcome: 'completed', restored: [], removed: [], conflicts: [] };
  }
  const undone = await undoJournal(workspace, journal);
  return { ...summary, outcome: 'rolled_back', ...undone };
}

export class CycleTransaction {
  private state: 'open' | 'committed' | 'rolled_back' = 'open';
  /** Journal writes must land in call order, so operations run one at a time even if the caller does not await. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly workspace: string,
    private readonly journal: CycleJournal,
    private readonly afterDurableStep?: (step: string) => void | Promise<void>,
  ) {}

  get cycleId(): string {
    return this.journal.cycle_id;
  }

  /** Writes an agent file (created or replaced) atomically, journaling and backing it up first. */
  writeFile(relativePath: string, content: string | Uint8Array): Promise<void> {
    return this.serialized(async () => {
      const path = await this.checkedPath(relativePath, 'file');
      await this.ensureDirectories(posix.dirname(path));
      await this.recordIntent(path, sha256Hex(content));
      await writeFileAtomic(join(this.workspace, path), content);
      await this.step(`write ${path}`);
    });
  }

  /** Deletes an agent file (a no-op when it does not exist), keeping a backup for rollback. */
  removeFile(relativePath: string): Promise<void> {
    return this.serialized(async () => {
      const path = await this.checkedPath(relativePath, 'file');
      const known = this.fileEntry(path) !== undefined;
      if (!known && (await this.readCurrent(path)) === null) return;
      await this.recordIntent(path, null);
      await rm(join(this.workspace, path), { force: true });
      await this.step(`remove ${path}`);
    });
  }

  /** Creates an agent directory and any missing parents; rollback deletes the ones it created. */
  mkdir(relativeDirectory: string): Promise<void> {
    return this.serialized(async () => {
      await this.ensureDirectories(await this.checkedPath(relativeDirectory, 'directory'));
    });
  }

  /**
   * Records a directory a child process (the runner) is about to create and fill, e.g. results/<id>.
   * It must not exist yet: rollback deletes it whole. Returns its absolute path for the child.
   */
  claimDir(relativeDirectory: string): Promise<string> {
    return this.serialized(async () => {
      const path = await this.checkedPath(relativeDirectory, 'directory');
      const absolutePath = join(this.workspace, path);
      if ((await this.readCurrent(path, { allowDirectory: true })) !== null) {
        throw new JournalError(
          `cannot claim ${absolutePath} for cycle ${this.cycleId}: it already exists, and rollback deletes a claimed ` +
            'directory whole. Use a fresh experiment id (or delete the old directory if it is garbage).',
        );
      }
      await this.ensureDirectories(posix.dirname(path));
      this.journal.entries.push({ kind: 'directory', path, claimed_for_child: true });
      await this.persist(`claim ${path}`);
      return absolutePath;
    });
  }

  /** Files and claimed directories this cycle changed: what its git commit should stage. */
  touchedPaths(): string[] {
    return touchedPathsOf(this.journal);
  }

  /** Call right before `git add`/`git commit`, so recovery after a crash there can ask whether the commit landed. */
  markCommitting(): Promise<void> {
    return this.serialized(async () => {
      this.journal.phase = 'committing';
      await this.persist('phase committing');
    });
  }

  /** Puts the workspace back as it was before the cycle and clears the journal. */
  rollback(): Promise<RollbackResult> {
    return this.serialized(async () => {
      const result = await undoJournal(this.workspace, this.journal);
      this.state = 'rolled_back';
      return result;
    });
  }

  /** Keeps the cycle's changes: clears the journal and backups. Call it after the git commit. */
  commit(): Promise<void> {
    return this.serialized(async () => {
      await clearJournal(this.workspace);
      this.state = 'committed';
    });
  }

  private serialized<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.state !== 'open') {
        throw new JournalError(`cycle ${this.cycleId} is already ${this.state.replace('_', ' ')}; begin a new cycle`);
      }
      return operation();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Journals the state a file is about to get (sha256, or null for deleted). On first touch it also
   * records whether the file existed and backs its content up; the backup is complete before the act.
   */
  private async recordIntent(path: string, nextState: string | null): Promise<void> {
    const known = this.fileEntry(path);
    if (known !== undefined) {
      if (known.written.includes(nextState)) return;
      known.written.push(nextState);
      await this.persist(`intent ${path}`);
      return;
    }
    const original = await this.readCurrent(path);
    const backupPath = original === null ? null : `${backupDirectoryRelative(this.cycleId)}/${path}`;
    this.journal.entries.push({
      kind: 'file',
      path,
      existed: original !== null,
      original_sha256: original === null ? null : sha256Hex(original),
      backup_path: backupPath,
      written: [nextState],
    });
    await this.persist(`intent ${path}`);
    if (original !== null && backupPath !== null) {
      await writeFileAtomic(join(this.workspace, backupPath), original);
      await this.step(`backup ${path}`);
    }
  }

  /** Journals, then creates, each missing directory from the area root down to `path`. */
  private async ensureDirectories(path: string): Promise<void> {
    if (path === '.' || path === '') return;
    const parts = path.split('/');
    for (let depth = 1; depth <= parts.length; depth++) {
      const directory = parts.slice(0, depth).join('/');
      const known = this.journal.entries.some((entry) => entry.path === directory);
      if (known || (await this.readCurrent(directory, { allowDirectory: true })) !== null) continue;
      this.journal.entries.push({ kind: 'directory', path: directory, claimed_for_child: false });
      await this.persist(`intent mkdir ${directory}`);
    }
    await makeDirectoryDurably(join(this.workspace, path));
    await this.step(`mkdir ${path}`);
  }

  private fileEntry(path: string): JournalFileEntry | undefined {
    return this.journal.entries.find((entry): entry is JournalFileEntry => entry.kind === 'file' && entry.path === path);
  }

  /** The file's content (null when absent). Refuses symlinks and, unless allowed, directories in the way. */
  private async readCurrent(path: string, options: { allowDirectory?: boolean } = {}): Promise<Buffer | null> {
    const absolutePath = join(this.workspace, path);
    try {
      const stats = await lstat(absolutePath);
      if (stats.isDirectory() && options.allowDirectory === true) return Buffer.alloc(0);
      if (!stats.isFile()) {
        throw new JournalError(
          `${absolutePath} is a ${stats.isDirectory() ? 'directory' : 'symbolic link or special file'}, ` +
            'and the agent only writes regular files there: move it away or choose another path',
        );
      }
      return await readFile(absolutePath);
    } catch (error) {
      if (isErrorCode(error, 'ENOENT')) return null;
      throw error;
    }
  }

  /** Checks the path is in the agent's areas and does not escape the workspace through a symlinked parent. */
  private async checkedPath(relativePath: string, kind: 'file' | 'directory'): Promise<string> {
    const path = assertAgentOwnedPath(relativePath, kind);
    const workspaceReal = await realpath(this.workspace);
    let ancestor = dirname(join(this.workspace, path));
    for (;;) {
      try {
        const ancestorReal = await realpath(ancestor);
        const inside = relative(workspaceReal, ancestorReal);
        if (inside === '' || (!inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside))) return path;
        throw new JournalError(
          `${join(this.workspace, path)} resolves outside the workspace (through ${ancestor} -> ${ancestorReal}): ` +
            'the agent only writes inside its workspace; replace that symlink with a real directory',
        );
      } catch (error) {
        if (!isErrorCode(error, 'ENOENT')) throw error;
        ancestor = dirname(ancestor);
      }
    }
  }

  private async persist(step: string): Promise<void> {
    await writeJournal(this.workspace, this.journal);
    await this.step(`journal: ${step}`);
  }

  private async step(step: string): Promise<void> {
    await this.afterDurableStep?.(step);
  }
}

function touchedPathsOf(journal: CycleJournal): string[] {
  return journal.entries
    .filter((entry) => entry.kind === 'file' || entry.claimed_for_child)
    .map((entry) => entry.path);
}
