// A cycle's changes to the workspace, made safe by git. A cycle starts from a clean tree for the agent's
// paths (assertNoHumanEdits guarantees it), so rolling back is restoring those paths to the base commit
// (git restore + git clean). `.lab/cycle.json` marks a cycle in progress, so a process killed with -9 is
// rolled back (or, when its commit already landed, kept) by the next session.
import { mkdir, rm, rmdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { z } from 'zod';
import { assertAgentOwnedPath, isAgentOwnedFile } from './agent-areas.js';
import { isAtomicWriteLeftover, parseJsonOrNull, readFileIfExists, writeFileAtomic, writeJsonAtomic } from './atomic-write.js';
import { openRepo } from './git.js';
import { labStatePath } from './lab-state-dir.js';
import { UserError } from '../user-error.js';

const MarkerSchema = z.object({
  version: z.literal(2),
  cycle_id: z.string(),
  started_at: z.string(),
  /** 'committing' once the git commit starts: recovery then asks git whether it landed (HEAD moved). */
  phase: z.enum(['running', 'committing']),
  base_commit: z.string().nullable(),
  /** The results directory the experiment child fills (shown to tests and humans watching a cycle). */
  claimed: z.string().nullable(),
  touched: z.array(z.string()),
});

export type CycleMarker = z.infer<typeof MarkerSchema>;

export class CycleGuardError extends UserError {}

export type RollbackResult = { restored: string[]; removed: string[] };

export type RecoveryResult = RollbackResult & { recovered: boolean; cycleId?: string; outcome: 'nothing_to_recover' | 'rolled_back' | 'completed' };

const markerPath = (workspace: string) => labStatePath(workspace, 'cycle.json');

async function readMarker(workspace: string): Promise<CycleMarker | null> {
  const text = await readFileIfExists(markerPath(workspace));
  if (text === null) return null;
  // A marker cut short (a crash inside a write cannot leave one, but a human can) is refused like a wrong one.
  const parsed = MarkerSchema.safeParse(parseJsonOrNull(text));
  if (!parsed.success)
    throw new CycleGuardError(
      `${markerPath(workspace)} is not a cycle marker this version writes (${parsed.error.issues[0]?.message}); delete it after checking 'git status'`,
    );
  return parsed.data;
}

export type BeginCycleOptions = { cycleId: string; baseCommit: string | null; now: () => Date };

export async function beginCycle(workspace: string, options: BeginCycleOptions): Promise<CycleTransaction> {
  const existing = await readMarker(workspace);
  if (existing)
    throw new CycleGuardError(
      `cycle ${existing.cycle_id} in ${workspace} was interrupted and not recovered yet: run the cycle inside a workspace session, which recovers it first`,
    );
  const marker: CycleMarker = {
    version: 2,
    cycle_id: options.cycleId,
    started_at: options.now().toISOString(),
    phase: 'running',
    base_commit: options.baseCommit,
    claimed: null,
    touched: [],
  };
  await writeJsonAtomic(markerPath(workspace), marker); // creates .lab/ too
  return new CycleTransaction(workspace, marker);
}

/**
 * Restores what the cycle touched to `base` (tracked files) and deletes what it created. Paths it did not
 * touch are left alone, so a human's edit elsewhere during the cycle survives a rollback.
 */
async function restoreTouchedPaths(workspace: string, marker: CycleMarker): Promise<RollbackResult> {
  const repo = await openRepo(workspace);
  // A write killed mid-way leaves its temp file beside the target: it goes with the target.
  const touched = (path: string) => marker.touched.some((owned) => path === owned || path.startsWith(`${owned}/`) || isAtomicWriteLeftover(path, owned));
  const base = marker.base_commit;
  const dirty = (await repo.dirtyPaths()).filter((entry) => isAgentOwnedFile(entry.path) && touched(entry.path));
  const untracked = dirty.filter((entry) => entry.change === 'untracked').map((entry) => entry.path);
  const tracked = dirty.filter((entry) => entry.change !== 'untracked').map((entry) => entry.path);
  await repo.restorePaths(base, tracked, untracked);
  // git leaves the directories that held only removed files (and a claimed directory the child left empty).
  const directories = [...untracked.map((path) => posix.dirname(path)), ...(marker.claimed ? [marker.claimed] : [])];
  for (const directory of directories) await removeEmptyDirectories(workspace, directory);
  return { restored: tracked, removed: untracked };
}

/** rmdir `directory` and its parents while they are empty, stopping below the agent area (results/, findings/...). */
async function removeEmptyDirectories(workspace: string, directory: string): Promise<void> {
  for (let path = directory; path.includes('/'); path = posix.dirname(path)) {
    try {
      await rmdir(join(workspace, path));
    } catch {
      return; // not empty, or already gone
    }
  }
}

/** Rolls back (or keeps, when its commit landed) a cycle a dead process left behind. Call it holding the lab lock. */
export async function recoverInterruptedCycle(workspace: string): Promise<RecoveryResult> {
  const marker = await readMarker(workspace);
  if (marker === null) return { recovered: false, outcome: 'nothing_to_recover', restored: [], removed: [] };
  const head = await (await openRepo(workspace)).headCommit();
  const landed = marker.phase === 'committing' && head !== marker.base_commit;
  const undone = landed ? { restored: [], removed: [] } : await restoreTouchedPaths(workspace, marker);
  await rm(markerPath(workspace), { force: true });
  return { recovered: true, cycleId: marker.cycle_id, outcome: landed ? 'completed' : 'rolled_back', ...undone };
}

export class CycleTransaction {
  private state: 'open' | 'committed' | 'rolled_back' = 'open';
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly workspace: string,
    private readonly marker: CycleMarker,
  ) {}

  /** Writes an agent file (created or replaced) atomically. */
  writeFile(relativePath: string, content: string | Uint8Array): Promise<void> {
    return this.serialized(async () => {
      const path = assertAgentOwnedPath(relativePath, 'file');
      await this.touch(path); // recorded before the write, so a kill between the two still rolls it back
      await writeFileAtomic(join(this.workspace, path), content); // creates the parent directories too
    });
  }

  /** A directory a child process (the runner) fills: created now, deleted whole on rollback. */
  claimDir(relativePath: string): Promise<void> {
    return this.serialized(async () => {
      const path = assertAgentOwnedPath(relativePath, 'directory');
      this.marker.claimed = path;
      await this.touch(path);
      await mkdir(join(this.workspace, path), { recursive: true });
    });
  }

  touchedPaths(): string[] {
    return [...this.marker.touched];
  }

  /** From here on a kill leaves a commit that may have landed: recovery asks git. */
  markCommitting(): Promise<void> {
    return this.serialized(async () => {
      this.marker.phase = 'committing';
      await writeJsonAtomic(markerPath(this.workspace), this.marker);
    });
  }

  commit(): Promise<void> {
    return this.serialized(async () => {
      this.state = 'committed';
      await rm(markerPath(this.workspace), { force: true });
    });
  }

  rollback(): Promise<RollbackResult> {
    return this.serialized(async () => {
      if (this.state !== 'open') throw new CycleGuardError(`cycle ${this.marker.cycle_id} is already ${this.state}`);
      const result = await restoreTouchedPaths(this.workspace, this.marker);
      this.state = 'rolled_back';
      await rm(markerPath(this.workspace), { force: true });
      return result;
    });
  }

  private async touch(path: string): Promise<void> {
    if (this.state !== 'open') throw new CycleGuardError(`cycle ${this.marker.cycle_id} is ${this.state}: it can no longer write ${path}`);
    if (!this.marker.touched.includes(path)) this.marker.touched.push(path);
    await writeJsonAtomic(markerPath(this.workspace), this.marker);
  }

  private serialized<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
