// Writes an experiment's record: results/<id>/results.json, findings/<id>.md and its SVG figures.
// Writes go through a `write` function: atomic file writes by hand, the cycle transaction in a cycle.
import { join } from 'node:path';
import type { ExperimentResults } from '../../core/index.js';
import { renderFinding } from '../findings/render.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { Narrative } from '../domain.js';
import { findingPath, reproduceCommand, resultsPath } from '../workspace/paths.js';

/** Writes content to a workspace-relative path. */
export type WorkspaceWriter = (relativePath: string, content: string) => Promise<void>;

export function atomicWriter(workspace: string): WorkspaceWriter {
  return (relativePath, content) => writeFileAtomic(join(workspace, relativePath), content);
}

export async function writeResults(write: WorkspaceWriter, results: ExperimentResults): Promise<string> {
  const path = resultsPath(results.id);
  await write(path, JSON.stringify(results, null, 1) + '\n');
  return path;
}

/** Renders the finding from the results (every number comes from them) and writes it with its figures. */
export async function writeFinding(
  write: WorkspaceWriter,
  results: ExperimentResults,
  options: { narrative?: Narrative | null; date: string; narrativeNote?: string | null },
): Promise<string[]> {
  const rendered = await renderFinding(results, {
    narrative: options.narrative ?? null,
    narrativeNote: options.narrativeNote ?? null,
    date: options.date,
    resultsPath: resultsPath(results.id),
    figureDir: results.id,
    reproduceCommand: reproduceCommand(results.id),
  });
  const written: string[] = [];
  for (const figure of rendered.figures) {
    const path = `findings/${figure.path}`;
    await write(path, figure.svg);
    written.push(path);
  }
  await write(findingPath(results.id), rendered.markdown);
  return [findingPath(results.id), ...written];
}
