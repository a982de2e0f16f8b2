// Where a result came from: a hash of the core's sources, the package and Node versions, the git commit.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleGit } from 'simple-git';
import { sha256 } from './hash.js';

/** The package root (holds package.json and core/), from this module's location in agent/io or dist/agent/io. */
export function packageRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return here.includes('/dist/') ? join(here, '../../..') : join(here, '../..');
}

/** sha256 over core/*.ts (not tests), by sorted relative path: changes whenever the bench's code changes. */
export async function coreHash(root = packageRoot()): Promise<string> {
  const directory = join(root, 'core');
  const files = (await readdir(directory, { recursive: true }))
    .map(String)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .sort();
  const parts: string[] = [];
  for (const file of files) parts.push(`${file}\n${await readFile(join(directory, file), 'utf8')}`);
  return sha256(parts.join('\n\0\n'));
}

export async function packageVersion(root = packageRoot()): Promise<string> {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}

/** HEAD of the workspace's git repo, or null outside a repo / before the first commit. */
export async function gitCommit(workspace: string): Promise<string | null> {
  try {
    return (await simpleGit(workspace).revparse(['HEAD'])).trim() || null;
  } catch {
    return null;
  }
}
