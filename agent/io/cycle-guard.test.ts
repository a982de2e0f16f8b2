import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutsideAgentAreaError } from './agent-areas.js';
import { atomicWriteTempName } from './atomic-write.js';
import { beginCycle, CycleGuardError, recoverInterruptedCycle } from './cycle-guard.js';
import { openRepo } from './git.js';

let workspace: string;
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: workspace, encoding: 'utf8' });
const now = () => new Date('2026-12-01T00:00:00Z');

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'lab-guard-'));
  git('init', '-q', '-b', 'main');
  await writeFile(join(workspace, 'TODO.md'), '# TODO\n- [ ] try EGD\n');
  await writeFile(join(workspace, 'DISCOVERIES.md'), '# Discoveries\r\n- fact \u00e9 with odd bytes\r\n');
  await mkdir(join(workspace, 'findings'));
  await writeFile(join(workspace, 'findings', 'old.md'), 'an old finding\n');
  await mkdir(join(workspace, 'src'));
  await writeFile(join(workspace, 'src', 'code.ts'), 'export const human = 1;\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
});
afterEach(() => rm(workspace, { recursive: true, force: true }));

async function startCycle() {
  const head = await (await openRepo(workspace)).headCommit();
  return beginCycle(workspace, { cycleId: 'c1', baseCommit: head, now });
}

describe('the git-based cycle guard', () => {
  it('rolls back every file a cycle wrote or created, and the directory it claimed, to the base commit', async () => {
    const tx = await startCycle();
    await tx.writeFile('TODO.md', '# TODO\n- [x] try EGD\n');
    await tx.writeFile('findings/new.md', 'new\n');
    await tx.claimDir('results/new');
    await writeFile(join(workspace, 'results', 'new', 'results.json'), '{}');
    const result = await tx.rollback();
    expect(result.restored).toEqual(['TODO.md']);
    expect(result.removed.sort()).toEqual(['findings/new.md', 'results/new/results.json']);
    expect(await readFile(join(workspace, 'TODO.md'), 'utf8')).toBe('# TODO\n- [ ] try EGD\n');
    expect(git('status', '--porcelain')).toBe('');
    expect(existsSync(join(workspace, 'results', 'new'))).toBe(false);
    expect(existsSync(join(workspace, '.lab', 'cycle.json'))).toBe(false);
  });

  it('removes the temp file a write killed mid-way left beside a file the cycle touched', async () => {
    const tx = await startCycle();
    await tx.writeFile('findings/new.md', 'new\n');
    const leftover = `findings/${atomicWriteTempName('new.md')}`;
    await writeFile(join(workspace, leftover), 'half a finding');
    await writeFile(join(workspace, 'findings', atomicWriteTempName('old.md')), 'not this cycle');
    const result = await tx.rollback();
    expect(result.removed.sort()).toEqual(['findings/new.md', leftover].sort());
    expect(existsSync(join(workspace, leftover))).toBe(false);
    expect(git('status', '--porcelain')).toMatch(/^\?\? findings\/\.old\.md\.[0-9a-f]{12}\.lab-tmp\n$/);
  });

  it('leaves a human edit to a path the cycle did not touch alone when it rolls back', async () => {
    const tx = await startCycle();
    await tx.writeFile('findings/new.md', 'new\n');
    await writeFile(join(workspace, 'DISCOVERIES.md'), 'a human edit during the cycle\n');
    await tx.rollback();
    expect(await readFile(join(workspace, 'DISCOVERIES.md'), 'utf8')).toBe('a human edit during the cycle\n');
    expect(existsSync(join(workspace, 'findings', 'new.md'))).toBe(false);
  });

  it('recovers a cycle a killed process left: rolled back while HEAD is the base commit', async () => {
    const tx = await startCycle();
    await tx.writeFile('findings/old.md', 'overwritten\n');
    await tx.writeFile('experiments/e.md', 'spec\n');
    // the process dies here: no rollback, no commit
    const recovery = await recoverInterruptedCycle(workspace);
    expect(recovery).toMatchObject({ recovered: true, cycleId: 'c1', outcome: 'rolled_back' });
    expect(await readFile(join(workspace, 'findings', 'old.md'), 'utf8')).toBe('an old finding\n');
    expect(git('status', '--porcelain')).toBe('');
    expect((await recoverInterruptedCycle(workspace)).outcome).toBe('nothing_to_recover');
  });

  it('keeps the files of a cycle killed after its commit landed', async () => {
    const tx = await startCycle();
    await tx.writeFile('findings/new.md', 'new\n');
    await tx.markCommitting();
    await (await openRepo(workspace)).commitFiles(tx.touchedPaths(), 'cycle');
    const recovery = await recoverInterruptedCycle(workspace);
    expect(recovery.outcome).toBe('completed');
    expect(await readFile(join(workspace, 'findings', 'new.md'), 'utf8')).toBe('new\n');
  });

  it('rolls back a cycle killed in the middle of its commit (staged, not committed)', async () => {
    const tx = await startCycle();
    await tx.writeFile('findings/new.md', 'new\n');
    await tx.markCommitting();
    git('add', '--', 'findings/new.md');
    expect((await recoverInterruptedCycle(workspace)).outcome).toBe('rolled_back');
    expect(git('status', '--porcelain')).toBe('');
  });

  it('refuses a marker that is not JSON with the file and the fix, not a stack trace', async () => {
    await mkdir(join(workspace, '.lab'), { recursive: true });
    await writeFile(join(workspace, '.lab', 'cycle.json'), '{"version": 2, "cyc');
    await expect(recoverInterruptedCycle(workspace)).rejects.toThrow(
      /cycle\.json is not a cycle marker this version writes.*delete it after checking 'git status'/,
    );
  });

  it('refuses to begin a cycle over an unrecovered one, and to write outside the agent areas', async () => {
    const tx = await startCycle();
    await expect(startCycle()).rejects.toBeInstanceOf(CycleGuardError);
    await expect(tx.writeFile('src/code.ts', 'x')).rejects.toBeInstanceOf(OutsideAgentAreaError);
    await expect(tx.writeFile('../escape.md', 'x')).rejects.toBeInstanceOf(OutsideAgentAreaError);
    await tx.commit();
    await expect(tx.writeFile('TODO.md', 'late')).rejects.toThrow(/committed/);
  });
});
