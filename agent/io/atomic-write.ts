// Crash-safe file writes: content goes to a temp file in the same directory, is fsynced, then
// renamed over the target, so a reader (or a process restarted after kill -9) sees the old
// file or the new one, never half of one.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** Temp files are named `.<target name>.<random>.lab-tmp`. */
const TEMP_SUFFIX = '.lab-tmp';

export function atomicWriteTempName(targetBaseName: string): string {
  return `.${targetBaseName}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
}

/** Whether `path` is a temp file a killed writeFileAtomic left beside `target` (both relative, or both absolute). */
export function isAtomicWriteLeftover(path: string, target: string): boolean {
  return dirname(path) === dirname(target) && basename(path).startsWith(`.${basename(target)}.`) && path.endsWith(TEMP_SUFFIX);
}

export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const directory = dirname(path);
  await makeDirectoryDurably(directory);
  const tempPath = join(directory, atomicWriteTempName(basename(path)));
  try {
    await createFileDurably(tempPath, content);
    await rename(tempPath, path);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

/** Creates `path` (which must not exist: EEXIST otherwise) with its content, fsynced before it returns. */
export async function createFileDurably(path: string, content: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** mkdir -p, then fsync the parent of every directory it created so the new entries survive a crash. */
export async function makeDirectoryDurably(directory: string): Promise<void> {
  const firstCreated = await mkdir(directory, { recursive: true });
  if (firstCreated === undefined) return;
  // From `directory` up to the first one created: each is inside the next, so the path only gets shorter.
  const first = resolve(firstCreated);
  for (let created = resolve(directory); created.length >= first.length; created = dirname(created)) await syncDirectory(dirname(created));
}

/** fsync a directory so a rename or create inside it is durable; some platforms refuse, which is harmless. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF', 'EACCES'].some((code) => isErrorCode(error, code))) throw error;
  } finally {
    await handle?.close();
  }
}

/** The file's text, or null when it does not exist; any other failure (a permission, a directory) is thrown. */
export async function readFileIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return null;
    throw error;
  }
}

/** The parsed JSON, or null for text that is not JSON (a schema then refuses it like any wrong value). */
export function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
