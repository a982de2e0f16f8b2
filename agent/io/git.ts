// Git for the workspace (simple-git): one commit per cycle staging exactly the agent's paths, the
// uncommitted-changes check that protects a human's edits, and the cycle log `lab status` shows.
import { lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { isAgentOwnedFile, normalizeWorkspacePath } from './agent-areas.js';
import { isErrorCode } from './atomic-write.js';
import { commitSubject, parseTrailers } from './commit-message.js';
import { UserError } from '../user-error.js';

export { commitSubject, formatCommitMessage, parseTrailers, type CommitMessageParts } from './commit-message.js';

/** Used only for the identity parts git has no configuration for (fresh machines, CI, containers). */
export const AGENT_FALLBACK_IDENTITY = { name: 'parity-lab agent', email: 'agent@parity-lab.local' } as const;

export type DirtyPath = {
  /** Relative to the workspace directory, forward slashes. */
  path: string;
  change: 'modified' | 'added' | 'deleted' | 'renamed' | 'type_changed' | 'unmerged' | 'untracked';
};

export type OpenRepoOptions = {
  /**
   * The whole environment for git processes (default: inherited); tests use it to hide the global
   * config. Keep it minimal: simple-git refuses EDITOR, PAGER, GIT_CONFIG_GLOBAL and similar here.
   */
  env?: Record<string, string | undefined>;
};

export class NotAGitRepositoryError extends UserError {}

export class HumanEditsError extends UserError {
  constructor(
    message: string,
    readonly workspace: string,
    readonly paths: DirtyPath[],
  ) {
    super(message);
  }
}

export class WorkspaceRepo {
  constructor(
    readonly directory: string,
    private readonly git: SimpleGit,
    /** The workspace's path inside the repository ("" at the top, "lab/" for a subdirectory). */
    private readonly prefix: string,
  ) {}

  /** The commit HEAD points to, or null in a repository without commits. */
  async headCommit(): Promise<string | null> {
    const head = (await this.git.raw(['rev-parse', '--verify', '-q', 'HEAD'])).trim();
    return head === '' ? null : head;
  }

  /**
   * Stages exactly `paths` (new, modified and deleted files; directories whole) and commits only
   * them, leaving anything else a human staged untouched. Returns the new commit, or null when
   * those paths hold no change.
   */
  async commitFiles(paths: string[], message: string): Promise<string | null> {
    const pathspecs = (await this.existingOrTracked(paths.map(normalizeWorkspacePath))).map(literalPathspec);
    if (pathspecs.length === 0) return null;
    await this.git.raw(['add', '--all', '--', ...pathspecs]);
    const staged = await this.git.raw(['diff', '--cached', '--name-only', '-z', '--', ...pathspecs]);
    if (staged === '') return null;
    const identity = await this.fallbackIdentityConfig();
    await this.git.raw([...identity, 'commit', '--only', '--quiet', '--message', message, '--', ...pathspecs]);
    return this.headCommit();
  }

  /** Puts `tracked` back (index and work tree) as they are in `base`, and deletes the `untracked` paths. */
  async restorePaths(base: string | null, tracked: string[], untracked: string[]): Promise<void> {
    if (tracked.length > 0) {
      if (base === null) await this.git.raw(['rm', '--cached', '--quiet', '-r', '--ignore-unmatch', '--', ...tracked.map(literalPathspec)]);
      else await this.git.raw(['restore', `--source=${base}`, '--staged', '--worktree', '--', ...tracked.map(literalPathspec)]);
    }
    const leftovers = base === null ? [...tracked, ...untracked] : untracked;
    if (leftovers.length > 0) await this.git.raw(['clean', '-f', '-d', '-q', '--', ...leftovers.map(literalPathspec)]);
  }

  /** Uncommitted changes in the workspace (staged or not, untracked included, ignored files excluded). */
  async dirtyPaths(): Promise<DirtyPath[]> {
    const output = await this.git.raw(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.']);
    const records = output.split('\0');
    const dirty: DirtyPath[] = [];
    for (let index = 0; index < records.length; index++) {
      const record = records[index]!;
      if (record.length < 4) continue;
      const code = record.slice(0, 2);
      dirty.push({ path: this.fromRepositoryRoot(record.slice(3)), change: describeStatusCode(code) });
      // A rename or copy is followed by its source path, which is gone (rename) from the work tree.
      if (code.includes('R') || code.includes('C')) {
        const source = records[++index] ?? '';
        if (code.includes('R')) dirty.push({ path: this.fromRepositoryRoot(source), change: 'deleted' });
      }
    }
    return dirty;
  }

  /** `-c user.name=...`/`-c user.email=...` for each identity part git has no configuration for. */
  private async fallbackIdentityConfig(): Promise<string[]> {
    const name = (await this.git.raw(['config', '--get', 'user.name'])).trim();
    const email = (await this.git.raw(['config', '--get', 'user.email'])).trim();
    return [
      ...(name === '' ? ['-c', `user.name=${AGENT_FALLBACK_IDENTITY.name}`] : []),
      ...(email === '' ? ['-c', `user.email=${AGENT_FALLBACK_IDENTITY.email}`] : []),
    ];
  }

  /** `git add` fails on a path that neither exists nor is tracked (e.g. a file created and deleted in one cycle). */
  private async existingOrTracked(paths: string[]): Promise<string[]> {
    const kept: string[] = [];
    for (const path of paths) {
      if (await pathExists(join(this.directory, path))) kept.push(path);
      else if ((await this.git.raw(['ls-files', '-z', '--', literalPathspec(path)])) !== '') kept.push(path);
    }
    return kept;
  }

  private fromRepositoryRoot(repositoryPath: string): string {
    return repositoryPath.startsWith(this.prefix) ? repositoryPath.slice(this.prefix.length) : repositoryPath;
  }
}

/** Opens the git repository containing `directory`; throws NotAGitRepositoryError when there is none. */
export async function openRepo(directory: string, options: OpenRepoOptions = {}): Promise<WorkspaceRepo> {
  if (!(await pathExists(directory))) {
    throw new NotAGitRepositoryError(`${directory} does not exist: create the workspace with "lab init ${directory}"`);
  }
  const git = createGit(directory, options);
  const insideWorkTree = (await git.raw(['rev-parse', '--is-inside-work-tree']).catch(() => '')).trim() === 'true';
  if (!insideWorkTree) {
    throw new NotAGitRepositoryError(`${directory} is not inside a git repository: run "lab init" there (or "git init -b main") first`);
  }
  const prefix = (await git.raw(['rev-parse', '--show-prefix'])).trim();
  return new WorkspaceRepo(directory, git, prefix);
}

/** Opens the repository containing `directory`, creating one (`git init -b main`) when there is none. */
export async function ensureRepo(directory: string, options: OpenRepoOptions = {}): Promise<WorkspaceRepo> {
  try {
    return await openRepo(directory, options);
  } catch (error) {
    if (!(error instanceof NotAGitRepositoryError)) throw error;
  }
  await mkdir(directory, { recursive: true });
  await createGit(directory, options).raw(['init', '--quiet', '-b', 'main']);
  return openRepo(directory, options);
}

/**
 * Throws HumanEditsError when a file in the agent's areas (TODO.md, DISCOVERIES.md, experiments/,
 * findings/, results/) has uncommitted changes, except `ownedPaths`: files or directories the agent
 * itself wrote and has not committed yet. Uncommitted files elsewhere (code, notes) are fine.
 */
export async function assertNoHumanEdits(workspace: string, ownedPaths: string[] = [], options: OpenRepoOptions = {}): Promise<void> {
  const owned = ownedPaths.map(normalizeWorkspacePath);
  const isOwned = (path: string) => owned.some((ownedPath) => path === ownedPath || path.startsWith(`${ownedPath}/`));
  const dirty = await (await openRepo(workspace, options)).dirtyPaths();
  const humanEdits = dirty.filter((entry) => isAgentOwnedFile(entry.path) && !isOwned(entry.path));
  if (humanEdits.length === 0) return;
  const listing = humanEdits.map((entry) => `  ${entry.change.padEnd(12)} ${entry.path}`).join('\n');
  const quotedPaths = humanEdits.map((entry) => JSON.stringify(entry.path)).join(' ');
  throw new HumanEditsError(
    `${workspace} has uncommitted changes in files the agent writes:\n${listing}\n` +
      "The agent never overwrites or commits a human's uncommitted edits. Commit them " +
      `(git add -A -- ${quotedPaths} && git commit) or stash them (git stash -u), then run lab again.`,
    workspace,
    humanEdits,
  );
}

export type CycleCommit = {
  commit: string;
  authorName: string;
  authorEmail: string;
  /** ISO 8601 author date. */
  date: string;
  subject: string;
  message: string;
  /** Empty for commits without trailers (usually a human's). */
  trailers: Record<string, string>;
};

/** The most recent `limit` commits, newest first, with their trailers parsed (for `lab status`). */
export async function logCycles(directory: string, limit: number, options: OpenRepoOptions = {}): Promise<CycleCommit[]> {
  const repo = await openRepo(directory, options);
  if ((await repo.headCommit()) === null) return [];
  const fieldSeparator = '\x1f';
  const format = ['%H', '%an', '%ae', '%aI', '%B'].join(fieldSeparator);
  const maxCount = `--max-count=${Math.max(0, Math.floor(limit))}`;
  const output = await createGit(directory, options).raw(['log', maxCount, '-z', `--format=${format}`]);
  return output
    .split('\0')
    .filter((record) => record.trim() !== '')
    .map((record) => {
      const [commit = '', authorName = '', authorEmail = '', date = '', ...messageParts] = record.split(fieldSeparator);
      const message = messageParts.join(fieldSeparator).trimEnd();
      return { commit, authorName, authorEmail, date, subject: commitSubject(message), message, trailers: parseTrailers(message) };
    });
}

function createGit(directory: string, options: OpenRepoOptions): SimpleGit {
  const git = simpleGit({ baseDir: directory });
  return options.env === undefined ? git : git.env(options.env as Record<string, string>);
}

/** Pathspec magic so "exp[1].md" or "*.md" name a file, not a glob. */
function literalPathspec(path: string): string {
  return `:(literal)${path}`;
}

function describeStatusCode(code: string): DirtyPath['change'] {
  if (code === '??') return 'untracked';
  if (code.includes('U') || code === 'AA' || code === 'DD') return 'unmerged';
  if (code.includes('R') || code.includes('C')) return 'renamed';
  if (code.includes('D')) return 'deleted';
  if (code.includes('A')) return 'added';
  if (code.includes('T')) return 'type_changed';
  return 'modified';
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return false;
    throw error;
  }
}
