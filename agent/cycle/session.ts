// Everything that must hold around cycles: the single-instance lock, and recovery of a cycle a dead
// process left behind (rolled back before anything else happens). Released on every way out.
import { acquireLock } from '../io/lock.js';
import { recoverInterruptedCycle } from '../io/cycle-guard.js';

export type SessionOptions = { workspace: string; command: string; log: (line: string) => void };

export async function withWorkspaceSession<T>(options: SessionOptions, body: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(options.workspace, {
    command: options.command,
    onMessage: (message: string) => options.log(message),
  });
  try {
    const recovery = await recoverInterruptedCycle(options.workspace);
    if (recovery.recovered) {
      const what =
        recovery.outcome === 'completed'
          ? 'had already committed; kept it'
          : `rolled back (restored ${recovery.restored.length}, removed ${recovery.removed.length} files)`;
      options.log(`recovered interrupted cycle ${recovery.cycleId}: ${what}`);
    }
    return await body();
  } finally {
    await lock.release();
  }
}
