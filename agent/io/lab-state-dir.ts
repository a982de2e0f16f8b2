// Where the agent keeps its own machine state inside a workspace (`.lab/`: lock, cycle journal,
// backups), and the helper `lab init` uses to keep that directory out of git.
import { join } from 'node:path';
import { readFileIfExists, writeFileAtomic } from './atomic-write.js';

export const LAB_STATE_DIRECTORY = '.lab';

export function labStatePath(workspace: string, ...parts: string[]): string {
  return join(workspace, LAB_STATE_DIRECTORY, ...parts);
}

/**
 * Adds `.lab/` to the workspace's .gitignore unless a line already ignores it. Returns true when it
 * changed the file. Keeps every existing line as it was.
 */
export async function ensureLabStateIgnored(workspace: string): Promise<boolean> {
  const gitignorePath = join(workspace, '.gitignore');
  const existing = (await readFileIfExists(gitignorePath)) ?? '';
  const ignoringLines = new Set(['.lab', '.lab/', '/.lab', '/.lab/']);
  if (existing.split(/\r?\n/).some((line) => ignoringLines.has(line.trim()))) return false;
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await writeFileAtomic(gitignorePath, `${existing}${separator}${LAB_STATE_DIRECTORY}/\n`);
  return true;
}
