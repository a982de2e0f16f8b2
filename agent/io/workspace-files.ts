// Reading workspace files: the only fs reads outside the other io modules go through here.
import { access, readdir, readFile } from 'node:fs/promises';

export async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/** The file's text, or null when it does not exist or cannot be read. */
export async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/** Sorted entry names of a directory; empty when it does not exist. */
export async function listNames(directory: string): Promise<string[]> {
  try {
    return (await readdir(directory)).sort();
  } catch {
    return [];
  }
}

export async function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
