import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeJsonAtomic } from './atomic-write.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'atomic-write-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces a file with the new content and leaves no temp file beside it', async () => {
    const path = join(directory, 'TODO.md');
    await writeFile(path, 'old content');
    await writeFileAtomic(path, 'new content');
    expect(await readFile(path, 'utf8')).toBe('new content');
    expect(await readdir(directory)).toEqual(['TODO.md']);
  });

  it('creates missing parent directories and writes bytes exactly', async () => {
    const path = join(directory, 'results', 'exp-1', 'raw.bin');
    const bytes = new Uint8Array([0, 255, 10, 13, 0]);
    await writeFileAtomic(path, bytes);
    expect(new Uint8Array(await readFile(path))).toEqual(bytes);
    expect(await readdir(join(directory, 'results', 'exp-1'))).toEqual(['raw.bin']);
  });

  it('removes its temp file and keeps the old content when the rename fails', async () => {
    const path = join(directory, 'findings');
    await writeFileAtomic(join(path, 'keep.md'), 'kept');
    // Renaming a file over a non-empty directory fails, after the temp file was written.
    await expect(writeFileAtomic(path, 'not a directory')).rejects.toThrow();
    expect((await readdir(directory)).sort()).toEqual(['findings']);
    expect(await readFile(join(path, 'keep.md'), 'utf8')).toBe('kept');
  });
});

describe('writeJsonAtomic', () => {
  it('writes pretty JSON ending in a newline', async () => {
    const path = join(directory, 'value.json');
    await writeJsonAtomic(path, { cycle_id: 'c1', entries: [] });
    const text = await readFile(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({ cycle_id: 'c1', entries: [] });
  });
});
