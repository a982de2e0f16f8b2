// Temp workspaces for the reproduction table's tests: copies of real results files and a declaration.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const workspaces: string[] = [];

/** A temp workspace holding copies of these experiments' real results.json and this declaration. */
export function workspaceWith(ids: readonly string[], declaration: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lab-reproduction-'));
  workspaces.push(dir);
  for (const id of ids) cpSync(join(repoRoot, 'results', id, 'results.json'), join(dir, 'results', id, 'results.json'));
  writeWorkspaceFile(dir, 'findings/reproduction.yaml', declaration);
  return dir;
}

export function writeWorkspaceFile(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

export function removeReproductionWorkspaces(): void {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** One declaration row (YAML) under source "test". */
export const declarationRow = (setting: string, published: string, ours: string) =>
  `  - source: test\n    setting: ${setting}\n    published: ${published}\n    ours: ${ours}\n`;
