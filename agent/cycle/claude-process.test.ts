// `lab cycle` with Claude as a real process against a stub on 127.0.0.1: Ctrl-C during a request that never
// returns, and --budget-usd counting the spend already committed in the workspace.
import { afterAll, describe, expect, it } from 'vitest';
import { toolUseReply } from '../llm/test-helpers/anthropic-replies.js';
import { startStubServer } from '../llm/test-helpers/stub-server.js';
import { runLab, startLab, waitFor } from './test-helpers/lab-process.js';
import { createTestWorkspace, removeTestWorkspaces } from './test-helpers/workspace.js';

afterAll(removeTestWorkspaces);

const claudeEnv = (url: string) => ({ ANTHROPIC_API_KEY: 'sk-ant-test-process-0123456789', ANTHROPIC_BASE_URL: url });

describe('lab cycle with Claude, as a process', () => {
  it('exits within two seconds of SIGINT during a request the API never answers, the workspace clean', async () => {
    const workspace = await createTestWorkspace();
    const stub = await startStubServer(['hang']);
    const head = workspace.head();
    const lab = startLab(['cycle', '--planner', 'claude'], workspace.dir, claudeEnv(stub.url));
    await waitFor('the plan request to reach the stub', () => stub.requests.length > 0);

    const signalledAt = performance.now();
    lab.child.kill('SIGINT');
    const exit = await lab.exited;
    const secondsToExit = (performance.now() - signalledAt) / 1000;

    expect(secondsToExit).toBeLessThan(2);
    expect(exit.code).toBe(130);
    expect(exit.stdout + exit.stderr).toMatch(/interrupted/);
    expect(workspace.head()).toBe(head);
    expect(workspace.status()).toBe('');
  });

  it('refuses to ask Claude once --budget-usd is spent by the cycles already committed (a relaunch counts them)', async () => {
    const workspace = await createTestWorkspace();
    // An earlier cycle's commit, as the loop writes it: $0.0300 in its Cost-USD trailer.
    workspace.write('notes.md', 'an earlier cycle\n');
    workspace.git('add', 'notes.md');
    workspace.git('commit', '--quiet', '-m', 'WIN tiny-old: earlier\n\nClass: WIN\nPlanner: claude\nCost-USD: 0.0300\nTokens: 10 in, 1 out');
    const stub = await startStubServer([toolUseReply({ name: 'run_linked_spec', input: { item_id: 'tiny-lr', rationale: 'Top.' } })]);

    const cycle = await runLab(['cycle', '--planner', 'claude', '--budget-usd', '0.02'], workspace.dir, claudeEnv(stub.url));
    const loop = await runLab(['loop', '--planner', 'claude', '--budget-usd', '0.02', '--cycles', '1'], workspace.dir, claudeEnv(stub.url));

    expect(cycle.code).not.toBe(0);
    expect(cycle.stderr).toMatch(/\$0\.0300 already spent.*\n[^]*LLM budget reached: \$0\.0300 spent of \$0\.0200; no request was sent/);
    expect(loop.stdout).toMatch(/loop stopped \(budget of \$0\.02 spent \(\$0\.0300\)\)/);
    expect(stub.requests).toHaveLength(0);
    expect(workspace.status()).toBe('');
  });
});
