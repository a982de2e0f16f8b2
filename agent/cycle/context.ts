// Reads what the workspace knows (TODO.md, DISCOVERIES.md, findings front matter, the search space, the
// last results) into a PlanningContext. Reads only; a malformed file fails with its name and line.
import { join } from 'node:path';
import type { ExperimentResults } from '../../core/index.js';
import type { PlanningContext } from '../planners/planner.js';
import type { FindingSummary } from '../domain.js';
import { buildFindingsIndex } from '../workspace/findings-index.js';
import { parseSearchSpace } from '../workspace/search-space.js';
import { DISCOVERIES_PATH, SEARCH_SPACE_PATH, TODO_PATH } from '../workspace/paths.js';
import { AGENDA_PATH } from '../workspace/agenda.js';
import { openItems, parseTodo, type TodoDocument } from '../workspace/todo.js';
import { listNames, readText } from '../io/workspace-files.js';
import { readLedger, type Ledger } from '../experiments/ledger.js';
import { coreHash } from '../io/provenance.js';
import { UserError } from '../user-error.js';

export type WorkspaceSnapshot = {
  context: PlanningContext;
  todo: TodoDocument;
  /** Findings files that could not be indexed (reported, not fatal). */
  problems: string[];
};

export async function readWorkspace(workspace: string, today: string): Promise<WorkspaceSnapshot> {
  const todoText = await readRequired(workspace, TODO_PATH);
  const todo = parseTodo(todoText, TODO_PATH);
  const discoveriesText = await readRequired(workspace, DISCOVERIES_PATH);
  const searchSpaceText = await readRequired(workspace, SEARCH_SPACE_PATH);
  const findingFiles = await readMarkdownFiles(workspace, 'findings');
  const index = buildFindingsIndex(findingFiles.filter((file) => !file.path.endsWith('/README.md')));
  // An id is taken by a spec, and also by a finding whose spec was rolled back (an INVALID cycle keeps its finding).
  const specIds = (await listNames(join(workspace, 'experiments'))).filter((name) => name.endsWith('.md')).map((name) => name.slice(0, -3));
  const findingIds = findingFiles.map((file) => file.path.slice('findings/'.length, -'.md'.length)).filter((id) => id !== 'README');
  const existingSpecIds = [...new Set([...specIds, ...findingIds])].sort();
  const ledger = await readLedger(workspace);
  return {
    context: {
      todoText,
      discoveriesText,
      findings: index.findings,
      searchSpace: parseSearchSpace(searchSpaceText),
      searchSpaceText,
      queue: openItems(todo),
      existingSpecIds,
      lastResults: lastResultsOf(ledger, index.findings),
      ledger,
      coreHash: await coreHash(),
      // Optional: a workspace made before the agenda existed has none.
      agendaText: await readText(join(workspace, AGENDA_PATH)).catch(() => ''),
      today,
    },
    todo,
    problems: [...index.problems, ...ledger.problems],
  };
}

/**
 * The newest experiment with a finding, by provenance.finished_at (null when none can be read, e.g. only INVALID
 * cycles), from the results the ledger already read. Not the findings index order: its dates are whole days, so
 * within a night it sorts by id. The ledger is ordered by finished_at, then id, so the last match is the newest.
 */
function lastResultsOf(ledger: Ledger, findings: FindingSummary[]): ExperimentResults | null {
  const withResults = new Set(findings.filter((finding) => finding.results_path).map((finding) => finding.id));
  return ledger.experiments.findLast((results) => withResults.has(results.id)) ?? null;
}

export async function readRequired(workspace: string, relativePath: string): Promise<string> {
  try {
    return await readText(join(workspace, relativePath));
  } catch {
    throw new WorkspaceError(`${join(workspace, relativePath)} is missing: is this a parity-lab workspace? Create one with 'lab init <dir>'`);
  }
}

async function readMarkdownFiles(workspace: string, directory: string): Promise<{ path: string; text: string }[]> {
  const names = (await listNames(join(workspace, directory))).filter((name) => name.endsWith('.md'));
  return Promise.all(names.map(async (name) => ({ path: `${directory}/${name}`, text: await readText(join(workspace, directory, name)) })));
}

export class WorkspaceError extends UserError {}
