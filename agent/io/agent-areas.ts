// The only parts of a workspace the agent may write: its specs, findings, results, TODO.md,
// DISCOVERIES.md and AGENDA.md. Code and everything else belong to humans; this is what keeps the evaluator honest.
import { posix } from 'node:path';

export const AGENT_OWNED_FILES = ['TODO.md', 'DISCOVERIES.md', 'AGENDA.md'] as const;
export const AGENT_OWNED_DIRECTORIES = ['experiments', 'findings', 'results'] as const;

export class OutsideAgentAreaError extends Error {
  override name = 'OutsideAgentAreaError';
}

/**
 * Normalizes a workspace-relative path to forward slashes without a trailing slash, and rejects
 * absolute paths, `..` segments and empty paths (a path must name something inside the workspace).
 */
export function normalizeWorkspacePath(relativePath: string): string {
  const problem =
    relativePath.trim() === ''
      ? 'is empty'
      : relativePath.includes('\0')
        ? 'contains a NUL byte'
        : relativePath.includes('\\')
          ? 'contains a backslash (use forward slashes)'
          : posix.isAbsolute(relativePath)
            ? 'is absolute'
            : relativePath.split('/').includes('..')
              ? 'contains a ".." segment'
              : null;
  if (problem !== null) {
    throw new OutsideAgentAreaError(`path ${JSON.stringify(relativePath)} ${problem}: pass a path relative to the workspace root, e.g. "findings/exp-1.md"`);
  }
  const normalized = posix.normalize(relativePath).replace(/\/+$/, '');
  if (normalized === '.' || normalized === '') {
    throw new OutsideAgentAreaError(`path ${JSON.stringify(relativePath)} names the workspace root, not a file inside it`);
  }
  return normalized;
}

/** True when an agent may create, modify or delete the file at `relativePath` (normalized). */
export function isAgentOwnedFile(relativePath: string): boolean {
  if ((AGENT_OWNED_FILES as readonly string[]).includes(relativePath)) return true;
  const [area, ...rest] = relativePath.split('/');
  return (AGENT_OWNED_DIRECTORIES as readonly string[]).includes(area ?? '') && rest.length > 0;
}

/** True when `relativePath` (normalized) is one of the agent's directories or lies inside one. */
export function isAgentOwnedDirectory(relativePath: string): boolean {
  const [area] = relativePath.split('/');
  return (AGENT_OWNED_DIRECTORIES as readonly string[]).includes(area ?? '');
}

/** Normalizes and checks a path the agent is about to write; throws OutsideAgentAreaError otherwise. */
export function assertAgentOwnedPath(relativePath: string, kind: 'file' | 'directory'): string {
  const normalized = normalizeWorkspacePath(relativePath);
  const allowed = kind === 'file' ? isAgentOwnedFile(normalized) : isAgentOwnedDirectory(normalized);
  if (!allowed) {
    const areas = [...AGENT_OWNED_DIRECTORIES.map((directory) => `${directory}/`), ...AGENT_OWNED_FILES].join(', ');
    throw new OutsideAgentAreaError(
      `the agent may not write the ${kind} ${JSON.stringify(normalized)}: it only writes inside ${areas}` +
        ' (it never edits code or other human files); choose a path in one of those areas',
    );
  }
  return normalized;
}
