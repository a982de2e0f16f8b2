// A `lab run` started by a cycle must not outlive it: after a kill -9 of the cycle, an orphaned runner
// would write into a workspace that recovery has already rolled back. So it exits as soon as its parent is gone.
import { isProcessAlive } from './lock.js';

export function exitWhenParentDies(parentPid: number, onOrphaned: () => never, intervalMs = 250): void {
  const initialParent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== initialParent || !isProcessAlive(parentPid)) onOrphaned();
  }, intervalMs);
  timer.unref();
}
