// What the planner already spent, read back from the workspace's cycle commits (their Cost-USD trailers),
// so a relaunched loop or a second `lab cycle` counts it against --budget-usd instead of starting at $0.
import { logCycles } from '../io/git.js';

/** The budget is per night: commits older than this do not count. */
export const budgetWindowHours = 24;

export async function committedSpendUsd(workspace: string, now: Date): Promise<number> {
  const since = now.getTime() - budgetWindowHours * 3_600_000;
  const commits = await logCycles(workspace, 1000);
  let spent = 0;
  for (const commit of commits) {
    if (Date.parse(commit.date) < since) break; // newest first
    const cost = Number(commit.trailers['Cost-USD']);
    if (commit.trailers['Class'] && Number.isFinite(cost)) spent += cost;
  }
  return spent;
}
