// Reads what `lab status` and the loop's digest show: the cycle commits (with trailers) and their results.
import type { CycleRecord } from '../cycle/digest.js';
import { logCycles } from '../io/git.js';
import { readResultsOrNull } from '../experiments/results-file.js';

/** The newest cycle commits (those with a Class trailer), newest first, each with its results when readable. */
export async function loadCycleRecords(workspace: string, limit: number): Promise<CycleRecord[]> {
  const commits = (await logCycles(workspace, limit)).filter((commit) => commit.trailers['Class']);
  const records: CycleRecord[] = [];
  for (const commit of commits) {
    const experimentPath = commit.trailers['Experiment'] ?? null;
    const id = experimentPath ? experimentPath.replace(/^experiments\//, '').replace(/\.md$/, '') : null;
    records.push({
      commit: commit.commit,
      date: commit.date,
      subject: commit.subject,
      cls: commit.trailers['Class']!,
      experiment_id: id,
      finding: commit.trailers['Finding'] ?? null,
      cost_usd: Number(commit.trailers['Cost-USD'] ?? 0) || 0,
      results: id && commit.trailers['Class'] !== 'INVALID' ? await readResultsOrNull(workspace, id) : null,
    });
  }
  return records;
}
