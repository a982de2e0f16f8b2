import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AGENT_FALLBACK_IDENTITY,
  assertNoHumanEdits,
  ensureRepo,
  formatCommitMessage,
  HumanEditsError,
  logCycles,
  NotAGitRepositoryError,
  openRepo,
} from './git.js';
import { ensureLabStateIgnored } from './lab-state-dir.js';

let workspace: string;
beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'lab-git-'));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

function git(directory: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: directory, encoding: 'utf8' });
}

/** A repository with a local identity and one commit holding TODO.md, DISCOVERIES.md and code. */
async function seedRepository(directory: string): Promise<void> {
  await ensureRepo(directory);
  git(directory, 'config', 'user.name', 'Test Human');
  git(directory, 'config', 'user.email', 'human@example.test');
  await writeFile(join(directory, 'TODO.md'), '# TODO\n');
  await writeFile(join(directory, 'DISCOVERIES.md'), '# Discoveries\n');
  await mkdir(join(directory, 'src'));
  await writeFile(join(directory, 'src', 'code.ts'), 'export {};\n');
  git(directory, 'add', '-A');
  git(directory, 'commit', '-q', '-m', 'seed');
}

describe('ensureRepo and openRepo', () => {
  it('initialises a repository on branch main, and opening a plain directory fails with a fix', async () => {
    await expect(openRepo(workspace)).rejects.toBeInstanceOf(NotAGitRepositoryError);
    const repo = await ensureRepo(workspace);
    expect(git(workspace, 'symbolic-ref', '--short', 'HEAD').trim()).toBe('main');
    expect(await repo.headCommit()).toBeNull();
  });
});

describe('WorkspaceRepo.commitFiles', () => {
  it("commits exactly the given paths, including a deletion, and leaves a human's staged file staged", async () => {
    await seedRepository(workspace);
    const repo = await openRepo(workspace);
    const base = await repo.headCommit();
    await writeFile(join(workspace, 'TODO.md'), '# TODO\n- [x] done\n');
    await rm(join(workspace, 'DISCOVERIES.md'));
    await mkdir(join(workspace, 'findings', 'exp[1]'), { recursive: true });
    await writeFile(join(workspace, 'findings', 'exp[1]', 'finding.md'), 'found\n');
    await writeFile(join(workspace, 'src', 'code.ts'), 'export const staged = 1;\n');
    git(workspace, 'add', 'src/code.ts');

    const commit = await repo.commitFiles(['TODO.md', 'DISCOVERIES.md', 'findings/exp[1]', 'findings/never-existed.md'], 'cycle 1');
    expect(commit).not.toBeNull();
    expect(commit).not.toBe(base);
    const changed = git(workspace, 'show', '--name-status', '--format=', 'HEAD').trim().split('\n').sort();
    expect(changed).toEqual(['A\tfindings/exp[1]/finding.md', 'D\tDISCOVERIES.md', 'M\tTODO.md']);
    expect(git(workspace, 'status', '--porcelain').trim()).toBe('M  src/code.ts');
    expect(git(workspace, 'log', '-1', '--format=%an <%ae>').trim()).toBe('Test Human <human@example.test>');
  });

  it('returns null and makes no commit when the paths hold no change', async () => {
    await seedRepository(workspace);
    const repo = await openRepo(workspace);
    const base = await repo.headCommit();
    expect(await repo.commitFiles(['TODO.md'], 'nothing')).toBeNull();
    expect(await repo.headCommit()).toBe(base);
  });

  it('commits as the parity-lab agent when git has no identity configured anywhere', async () => {
    const home = await mkdtemp(join(tmpdir(), 'lab-git-home-'));
    try {
      // A minimal environment: no global or system config, no GIT_AUTHOR_* or EMAIL variables.
      const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
      const repo = await ensureRepo(workspace, { env });
      await writeFile(join(workspace, 'TODO.md'), '# TODO\n');
      expect(await repo.commitFiles(['TODO.md'], 'first cycle')).not.toBeNull();
      const expected = `${AGENT_FALLBACK_IDENTITY.name} <${AGENT_FALLBACK_IDENTITY.email}>`;
      expect(git(workspace, 'log', '-1', '--format=%an <%ae>|%cn <%ce>').trim()).toBe(`${expected}|${expected}`);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('WorkspaceRepo.dirtyPaths', () => {
  it('lists modified, deleted, staged, renamed and untracked files but not ignored ones', async () => {
    await seedRepository(workspace);
    expect(await ensureLabStateIgnored(workspace)).toBe(true);
    expect(await ensureLabStateIgnored(workspace)).toBe(false);
    git(workspace, 'add', '.gitignore');
    git(workspace, 'commit', '-q', '-m', 'ignore .lab');
    await mkdir(join(workspace, '.lab'));
    await writeFile(join(workspace, '.lab', 'lock'), '{}');
    await writeFile(join(workspace, 'TODO.md'), 'changed\n');
    await rm(join(workspace, 'DISCOVERIES.md'));
    await mkdir(join(workspace, 'findings'));
    await writeFile(join(workspace, 'findings', 'new file.md'), 'x');
    await writeFile(join(workspace, 'staged.md'), 'y');
    git(workspace, 'add', 'staged.md');
    git(workspace, 'mv', 'src/code.ts', 'src/renamed.ts');

    const dirty = await (await openRepo(workspace)).dirtyPaths();
    expect(dirty.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'DISCOVERIES.md', change: 'deleted' },
      { path: 'findings/new file.md', change: 'untracked' },
      { path: 'src/code.ts', change: 'deleted' },
      { path: 'src/renamed.ts', change: 'renamed' },
      { path: 'staged.md', change: 'added' },
      { path: 'TODO.md', change: 'modified' },
    ]);
  });

  it('reports paths relative to a workspace that is a subdirectory of the repository', async () => {
    await seedRepository(workspace);
    const subdirectory = join(workspace, 'lab');
    await mkdir(join(subdirectory, 'findings'), { recursive: true });
    await writeFile(join(subdirectory, 'findings', 'a.md'), 'x');
    expect(await (await openRepo(subdirectory)).dirtyPaths()).toEqual([{ path: 'findings/a.md', change: 'untracked' }]);
  });
});

describe('assertNoHumanEdits', () => {
  it('refuses a modified TODO.md, listing it and telling the human to commit or stash', async () => {
    await seedRepository(workspace);
    await writeFile(join(workspace, 'TODO.md'), '# TODO\n- [ ] my own idea\n');
    await writeFile(join(workspace, 'notes.txt'), "untracked, not the agent's");
    const check = assertNoHumanEdits(workspace);
    await expect(check).rejects.toBeInstanceOf(HumanEditsError);
    await expect(check).rejects.toThrow(/modified\s+TODO\.md/);
    await expect(check).rejects.toThrow(/commit.*stash/s);
    const error = (await check.catch((caught: unknown) => caught)) as HumanEditsError;
    expect(error.paths).toEqual([{ path: 'TODO.md', change: 'modified' }]);
  });

  it("accepts uncommitted files outside the agent's areas and the agent's own uncommitted paths", async () => {
    await seedRepository(workspace);
    await writeFile(join(workspace, 'src', 'code.ts'), 'export const edited = 1;\n');
    await mkdir(join(workspace, 'results', 'exp-1'), { recursive: true });
    await writeFile(join(workspace, 'results', 'exp-1', 'results.json'), '{}');
    await writeFile(join(workspace, 'DISCOVERIES.md'), 'agent wrote this\n');
    await expect(assertNoHumanEdits(workspace, ['results/exp-1', 'DISCOVERIES.md'])).resolves.toBeUndefined();
    await expect(assertNoHumanEdits(workspace, ['results/exp-1'])).rejects.toThrow('DISCOVERIES.md');
  });
});

describe('logCycles', () => {
  it('reads recent commits newest first with their trailers', async () => {
    await seedRepository(workspace);
    const repo = await openRepo(workspace);
    for (const id of ['exp-1', 'exp-2']) {
      await writeFile(join(workspace, 'TODO.md'), `# TODO\n- [x] ${id}\n`);
      const message = formatCommitMessage({ subject: `${id}: WIN`, body: 'Details.', trailers: { Experiment: id, Class: 'WIN' } });
      await repo.commitFiles(['TODO.md'], message);
    }
    const cycles = await logCycles(workspace, 2);
    expect(cycles.map((cycle) => [cycle.subject, cycle.trailers])).toEqual([
      ['exp-2: WIN', { Experiment: 'exp-2', Class: 'WIN' }],
      ['exp-1: WIN', { Experiment: 'exp-1', Class: 'WIN' }],
    ]);
    expect(cycles[0]!.commit).toBe(await repo.headCommit());
    expect(cycles[0]!.authorName).toBe('Test Human');
    expect((await logCycles(workspace, 10)).at(-1)).toMatchObject({ subject: 'seed', trailers: {} });
  });

  it('returns no cycles for a repository without commits', async () => {
    await ensureRepo(workspace);
    expect(await logCycles(workspace, 5)).toEqual([]);
  });
});

describe('ensureLabStateIgnored', () => {
  it('appends .lab/ to an existing .gitignore without a trailing newline, keeping its lines', async () => {
    await writeFile(join(workspace, '.gitignore'), 'node_modules');
    await ensureLabStateIgnored(workspace);
    expect(await readFile(join(workspace, '.gitignore'), 'utf8')).toBe('node_modules\n.lab/\n');
  });
});
