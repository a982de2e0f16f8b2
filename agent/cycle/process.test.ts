// `lab cycle` as a process: kill -9 in the middle of a cycle then a clean resume, SIGINT / SIGTERM,
// two processes and one lock, and the refusals (malformed TODO.md, a human's uncommitted edit) with exit code 2.
import { afterAll, describe, expect, it } from 'vitest';
import { claimedResultsDir, experimentChildOf, isAlive, runLab, startLab, waitFor } from './test-helpers/lab-process.js';
import { createTestWorkspace, defaultSpecs, removeTestWorkspaces, slowSpec, type TestWorkspace } from './test-helpers/workspace.js';

afterAll(removeTestWorkspaces);

const cycleArgs = (workspace: TestWorkspace) => ['cycle', '--workspace', workspace.dir, '--planner', 'builtin', '--workers', '2'];

/** A queue whose top item links a spec that trains for ~3 s: time to act in the middle of the child run. */
async function slowWorkspace(): Promise<TestWorkspace> {
  return createTestWorkspace({
    todo: '# TODO\n\n## Queue\n\n- [ ] A slow one (experiments/slow-1.md) <!-- id: slow-1 -->\n- [ ] Tiny lr (experiments/tiny-lr.md) <!-- id: tiny-lr -->\n',
    specs: [slowSpec('slow-1'), ...defaultSpecs()],
  });
}

/** Starts `lab cycle` and waits until its child run is under way (results/<id> claimed, child alive). */
async function cycleInTheMiddle(workspace: TestWorkspace) {
  const lab = startLab(cycleArgs(workspace), workspace.dir);
  const claimed = await waitFor('the cycle to claim results/slow-1', () => claimedResultsDir(workspace.dir));
  const childPid = await waitFor('the lab run child', () => experimentChildOf(lab.pid));
  return { lab, claimed, childPid };
}

describe('lab cycle as a process', () => {
  it('recovers from kill -9 in the middle of a cycle: the next cycle rolls it back, reports it, and commits cleanly', async () => {
    const workspace = await slowWorkspace();
    const base = workspace.head();
    const { lab, claimed, childPid } = await cycleInTheMiddle(workspace);
    expect(claimed).toBe('results/slow-1');

    lab.child.kill('SIGKILL');
    await lab.exited;
    await waitFor('the orphaned lab run to exit', () => !isAlive(childPid), 3000);
    expect(workspace.exists('.lab/cycle.json')).toBe(true);
    expect(workspace.exists('.lab/lock')).toBe(true);

    const resumed = await runLab(cycleArgs(workspace), workspace.dir);

    expect(resumed.stderr).toContain(`stale lock from pid ${lab.pid}`);
    expect(resumed.stderr).toMatch(/recovered interrupted cycle \S+-slow-1: rolled back/);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/slow-1: .*\(commit [0-9a-f]{8}\)/);
    expect(workspace.git('rev-list', '--count', `${base}..HEAD`).trim()).toBe('1');
    expect(workspace.status()).toBe('');
    expect(workspace.files()).toEqual(workspace.git('ls-files').trim().split('\n').sort());
    expect(workspace.exists('.lab/cycle.json')).toBe(false);
    expect(workspace.exists('.lab/lock')).toBe(false);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'on %s stops the child, rolls the cycle back, releases the lock and exits 130 with a one-line summary',
    async (signal) => {
      const workspace = await slowWorkspace();
      const base = workspace.head();
      const filesBefore = workspace.files();
      const { lab, childPid } = await cycleInTheMiddle(workspace);

      lab.child.kill(signal);
      const exit = await lab.exited;

      expect(exit.code).toBe(130);
      expect(exit.stdout.trim().split('\n')).toEqual(['interrupted: the experiment was stopped and the cycle rolled back']);
      expect(exit.stderr).toContain(`lab: ${signal}: stopping the experiment and rolling the cycle back`);
      expect(isAlive(childPid)).toBe(false);
      expect(workspace.head()).toBe(base);
      expect(workspace.status()).toBe('');
      expect(workspace.files()).toEqual(filesBefore);
      expect(workspace.exists('.lab/lock')).toBe(false);
      expect(workspace.exists('.lab/cycle.json')).toBe(false);
    },
  );

  it('refuses a second lab process while one holds the workspace lock, naming the holder, and changes nothing', async () => {
    const workspace = await slowWorkspace();
    const { lab } = await cycleInTheMiddle(workspace);

    const second = await runLab(cycleArgs(workspace), workspace.dir);

    expect(second.code).toBe(2);
    expect(second.stderr.trim()).toMatch(
      new RegExp(
        `^lab: workspace .+ is locked by pid ${lab.pid} \\("lab cycle"\\) on host .+: only one lab command may run in a workspace at a time\\. Wait for it to finish or stop it \\(kill ${lab.pid}\\)`,
      ),
    );
    expect(second.stdout).toBe('');
    const first = await lab.exited;
    expect(first.code).toBe(0);
    expect(workspace.status()).toBe('');
    expect(workspace.read('TODO.md')).toMatch(/- \[x\] A slow one .*→ \[finding\]\(findings\/slow-1\.md\)/);
  });

  it('refuses a malformed TODO.md with exit code 2 and the file, line and fix, without a stack trace or any change', async () => {
    const workspace = await createTestWorkspace({ todo: '# TODO\n\n## Queue\n\n- [?] Tiny lr (experiments/tiny-lr.md)\n' });
    const filesBefore = workspace.files();

    const exit = await runLab(cycleArgs(workspace), workspace.dir);

    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/^lab: TODO\.md:5: /);
    expect(exit.stderr).toContain('[?]');
    expect(exit.stderr).not.toMatch(/\n\s+at /);
    expect(exit.stdout).toBe('');
    expect(workspace.files()).toEqual(filesBefore);
    expect(workspace.status()).toBe('');
    expect(workspace.exists('.lab/lock')).toBe(false);
  });

  it("refuses to run over a human's uncommitted edit to TODO.md, says how to keep it, and leaves it as it was", async () => {
    const workspace = await createTestWorkspace();
    const edited = `${workspace.read('TODO.md')}- [ ] A human's new idea, not committed yet\n`;
    workspace.write('TODO.md', edited);
    const filesBefore = workspace.files();
    const base = workspace.head();

    const exit = await runLab(cycleArgs(workspace), workspace.dir);

    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('has uncommitted changes in files the agent writes');
    expect(exit.stderr).toMatch(/modified\s+TODO\.md/);
    expect(exit.stderr).toContain('git stash -u');
    expect(exit.stderr).not.toMatch(/\n\s+at /);
    expect(workspace.read('TODO.md')).toBe(edited);
    expect(workspace.head()).toBe(base);
    expect(workspace.files()).toEqual(filesBefore);
    expect(workspace.exists('.lab/lock')).toBe(false);
  });
});
