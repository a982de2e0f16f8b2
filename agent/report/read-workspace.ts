// Reads what the review page shows from a workspace: cycle commits (with trailers), every results.json,
// findings' and specs' front matter, DISCOVERIES.md. An unreadable file becomes a problem line, never a crash.
import { join } from 'node:path';
import matter from 'gray-matter';
import type { ExperimentResults } from '../../core/index.js';
import { logCycles, type CycleCommit } from '../io/git.js';
import { listNames, readTextOrNull } from '../io/workspace-files.js';
import { parseResults } from '../experiments/results-file.js';
import { resultsPath } from '../workspace/paths.js';

export type FrontMatterFile = { id: string; path: string; data: Record<string, unknown> };

export type ReportInputs = {
  workspace: string;
  /** Newest first, as git log lists them. */
  commits: CycleCommit[];
  results: ExperimentResults[];
  findings: FrontMatterFile[];
  specs: FrontMatterFile[];
  discoveriesText: string;
  /** One line per file that could not be read, naming the file and why. */
  problems: string[];
};

/** Enough for months of nights at one commit per cycle. */
const COMMIT_LIMIT = 5000;

export async function readReportInputs(workspace: string): Promise<ReportInputs> {
  const problems: string[] = [];
  const commits = await logCycles(workspace, COMMIT_LIMIT).catch((error: Error) => {
    problems.push(`git log: ${error.message.split('\n')[0]} (the page shows results without commits)`);
    return [] as CycleCommit[];
  });
  const results: ExperimentResults[] = [];
  for (const id of await listNames(join(workspace, 'results'))) {
    const path = resultsPath(id);
    const text = await readTextOrNull(join(workspace, path));
    if (text === null) continue;
    try {
      results.push(parseResults(text, path)); // the one results contract: a bad file names its field
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return {
    workspace,
    commits,
    results,
    findings: await readFrontMatters(workspace, 'findings', problems),
    specs: await readFrontMatters(workspace, 'experiments', problems),
    discoveriesText: (await readTextOrNull(join(workspace, 'DISCOVERIES.md'))) ?? '',
    problems,
  };
}

async function readFrontMatters(workspace: string, directory: string, problems: string[]): Promise<FrontMatterFile[]> {
  const files: FrontMatterFile[] = [];
  for (const name of await listNames(join(workspace, directory))) {
    if (!name.endsWith('.md') || name === 'README.md') continue;
    const path = `${directory}/${name}`;
    const text = await readTextOrNull(join(workspace, path));
    if (text === null) continue;
    try {
      // An options object turns off gray-matter's cache, which hands out shared objects.
      files.push({ id: name.slice(0, -3), path, data: matter(text, {}).data as Record<string, unknown> });
    } catch (error) {
      problems.push(`${path}: front matter is not valid YAML (${(error as Error).message.split('\n')[0]})`);
    }
  }
  return files;
}
