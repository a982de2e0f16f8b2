// The starting workspace `lab init` copies: templates/ at the package root (TODO.md linking real spec files,
// experiments/*.md, experiments/search-space.yaml). One source for the default queue and search space.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from './provenance.js';

/** templates/ beside package.json. */
export const templatesDirectory = () => join(packageRoot(), 'templates');

/** Every template file as workspace-relative path -> text, sorted by path. */
export async function readTemplateFiles(directory = templatesDirectory()): Promise<Record<string, string>> {
  const entries = (await readdir(directory, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  const paths = entries.map((entry) => join(entry.parentPath, entry.name)).sort((a, b) => a.localeCompare(b));
  const files: Record<string, string> = {};
  for (const path of paths) files[path.slice(directory.length + 1).replaceAll('\\', '/')] = await readFile(path, 'utf8');
  return files;
}
