// `lab status`: the queue, the last cycles with their classes, the best result so far per objective,
// budget spent, and the morning digest of the last night's cycles (whose records `lab loop` reads here too).
import { join, resolve } from 'node:path';
import { readRequired } from '../cycle/context.js';
import { buildDigest, renderDigest, type CycleRecord } from '../cycle/digest.js';
import { readResultsOrNull } from '../experiments/results-file.js';
import { logCycles } from '../io/git.js';
import { openItems, parseTodo } from '../workspace/todo.js';
import { TODO_PATH } from '../workspace/paths.js';
import { bestPerObjective } from '../report/summary.js';
import { readText } from '../io/workspace-files.js';

export type StatusOptions = { workspace: string; sinceHours: number; now: () => Date; print: (text: string) => void };

export async function runStatusCommand(options: StatusOptions): Promise<number> {
  const workspace = resolve(options.workspace);
  const queue = openItems(parseTodo(await readRequired(workspace, TODO_PATH), TODO_PATH));
  const records = await loadCycleRecords(workspace, 500);
  const discoveries = await readText(join(workspace, 'DISCOVERIES.md')).catch(() => '');
  const since = options.now().getTime() - options.sinceHours * 3_600_000;
  const night = records.filter((record) => Date.parse(record.date) >= since);
  const lines = [
    `Queue: ${queue.length} open item${queue.length === 1 ? '' : 's'}`,
    ...queue
      .slice(0, 10)
      .map((item, index) => `  ${index + 1}. ${item.text}${item.spec_path && !item.text.includes(item.spec_path) ? ` (${item.spec_path})` : ''}  [${item.id}]`),
    ...(queue.length > 10 ? [`  ... and ${queue.length - 10} more`] : []),
    '',
    'Last cycles:',
    ...(records.length
      ? records.slice(0, 10).map((record) => `  ${record.date.slice(0, 16).replace('T', ' ')}  ${record.cls.padEnd(12)} ${record.subject.replace(/^\S+ /, '')}`)
      : ['  none yet: run lab cycle']),
    '',
    'Best so far (per objective):',
    ...bestLines(records),
    '',
    `Budget: $${records.reduce((sum, record) => sum + record.cost_usd, 0).toFixed(4)} spent on Claude (all cycles); $${night.reduce((sum, record) => sum + record.cost_usd, 0).toFixed(4)} in the last ${options.sinceHours} h`,
    '',
    `Morning digest: ${night.length} cycle${night.length === 1 ? '' : 's'} in the last ${options.sinceHours} h, largest effect first`,
    ...renderDigest(buildDigest(night, discoveries)).map((line) => `  ${line}`),
  ];
  options.print(lines.join('\n'));
  return 0;
}

/** For each primary metric: the best median of any arm in any experiment (the review page's rule), with its ratio to that experiment's baseline. */
function bestLines(records: CycleRecord[]): string[] {
  const oldestFirst = [...records].reverse().flatMap((record) => (record.results ? [record.results] : []));
  const best = bestPerObjective(oldestFirst, null);
  if (best.length === 0) return ['  nothing measured yet'];
  return best.map(({ metric, direction, value, arm, experiment_id, summary }) => {
    const ratio = summary.comparison?.ratio;
    const vs = ratio !== null && ratio !== undefined ? `, ${ratio.toFixed(2)}x its baseline (${summary.class})` : summary.baseline ? ' (baseline)' : '';
    return `  ${metric} (${direction} is better): ${value} — ${arm} in ${experiment_id}, ${summary.solved}/${summary.runs} solved${vs}`;
  });
}

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
