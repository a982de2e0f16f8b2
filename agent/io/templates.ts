// The starting workspace `lab init` copies: templates/ at the package root (TODO.md linking real spec files,
// experiments/*.md, experiments/search-space.yaml). One source for the default queue and search space.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from './provenance.js';

/** templates/ beside package.json. */
export const templatesDirectory = () => join(packageRoot(), 'templates');

/** Every template file as workspace-relative path -> text, sorted by path. */
export async function readTemplateFiles(directory = templatesDirectory()): Promise<Record<string, string>> {
  const names = (await readdir(directory, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  const files: Record<string, string> = {};
  for (const entry of names.sort((a, b) => join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)))) {
    const absolute = join(entry.parentPath, entry.name);
    files[
      absolute
        .slice(directory.length + 1)
        .split('\\')
        .join('/')
    ] = await readFile(absolute, 'utf8');
  }
  return files;
}
