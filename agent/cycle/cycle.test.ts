// One research cycle with the built-in planner, offline, in a real temp git workspace with the real child
// run: end to end, --dry-run, a human's uncommitted edit, a crashed or timed-out experiment, and `lab status`.
import { afterAll, describe, expect, it } from 'vitest';
import type { ExperimentResults } from '../../core/index.js';
import { runCycleCommand } from '../commands/cycle.js';
import { runStatusCommand } from '../commands/status.js';
import { manualClock } from '../io/clock.js';
import { HumanEditsError } from '../io/git.js';
import { coreHash } from '../io/provenance.js';
import { createBuiltinPlanner } from '../planners/builtin.js';
import { runCycle, type CycleOptions } from './cycle.js';
import { experimentChildOf, waitFor } from './test-helpers/lab-process.js';
import { createTestWorkspace, defaultSpecs, removeTestWorkspaces, slowSpec, type TestWorkspace } from './test-helpers/workspace.js';

afterAll(removeTestWorkspaces);

const startOfNight = new Date('2026-11-22T02:00:00Z');

async function builtinCycle(workspace: TestWorkspace, extra: Partial<CycleOptions> = {}) {
  const log: string[] = [];
  const outcome = await runCycle({
    workspace: workspace.dir,
    planner: createBuiltinPlanner(),
    clock: manualClock(startOfNight),
    expectedCoreHash: await coreHash(),
    workers: 2,
    log: (line) => log.push(line),
    ...extra,
  });
  return { outcome, log };
}

function trailersOf(workspace: TestWorkspace, commit = 'HEAD'): Record<string, string> {
  const text = workspace.git('log', '-1', '--format=%(trailers:unfold,only)', commit);
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
  );
}

const slowQueue =
  '# TODO\n\n## Queue\n\n- [ ] A slow one (experiments/slow-1.md) <!-- id: slow-1 -->\n- [ ] Tiny lr (experiments/tiny-lr.md) <!-- id: tiny-lr -->\n';

describe('an offline cycle', () => {
  it('runs the top queue item end to end: results, a finding with figures, the item checked off, one commit with trailers', async () => {
    const workspace = await createTestWorkspace();
    const base = workspace.head();
    const hash = await coreHash();

    const { outcome } = await builtinCycle(workspace);

    expect(outcome).toMatchObject({ status: 'committed', experiment_id: 'tiny-lr' });
    if (outcome.status !== 'committed') return;
    expect(workspace.git('rev-list', '--count', `${base}..HEAD`).trim()).toBe('1');
    expect(outcome.commit).toBe(workspace.head());
    const results = JSON.parse(workspace.read('results/tiny-lr/results.json')) as ExperimentResults;
    expect(results.arms.map((arm) => arm.runs.length)).toEqual([5, 5]);
    expect(outcome.class).toBe(results.summary.class);
    expect(workspace.git('log', '-1', '--format=%s').trim()).toBe(`${results.summary.class} tiny-lr: ${results.summary.headline}`.slice(0, 120));
    expect(trailersOf(workspace)).toMatchObject({
      Experiment: 'experiments/tiny-lr.md',
      Finding: 'findings/tiny-lr.md',
      Class: results.summary.class,
      Planner: 'builtin',
      'Core-Hash': hash,
      'Results-Hash': results.results_hash,
    });
    expect(trailersOf(workspace)).not.toHaveProperty('Cost-USD');
    const committed = workspace.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n');
    const figures = committed.filter((path) => path.startsWith('findings/tiny-lr/') && path.endsWith('.svg'));
    expect(figures.length).toBeGreaterThan(0);
    expect(committed).toEqual(expect.arrayContaining(['TODO.md', 'findings/tiny-lr.md', 'results/tiny-lr/results.json']));
    const finding = workspace.read('findings/tiny-lr.md');
    for (const figure of figures) expect(finding).toContain(figure.slice('findings/'.length));
    expect(finding).toContain(results.summary.headline);
    expect(workspace.read('TODO.md')).toContain(
      `- [x] Tiny lr: does lr 0.2 beat 0.1 on 8-bit parity? (spec: [tiny-lr](experiments/tiny-lr.md)) → [finding](findings/tiny-lr.md) ${results.summary.class}`,
    );
    expect(workspace.read('TODO.md')).toMatch(/- \[ \] Tiny hidden/);
    expect(workspace.status()).toBe('');
    expect(workspace.exists('.lab/cycle.json')).toBe(false);
  });

  it('regenerates the reproduction table in the cycle commit when the workspace declares one', async () => {
    const workspace = await createTestWorkspace();
    const row = (setting: string, ours: string) =>
      `  - source: test\n    setting: ${setting}\n    published: { text: "5/5", solved: 5/5 }\n    ours: ${ours}\n`;
    workspace.write(
      'findings/reproduction.yaml',
      `rows:\n${row('lr 0.2', '{ experiment: tiny-lr, arm: lr=0.2 }')}${row('h64', '{ experiment: tiny-hidden, arm: h64 }')}`,
    );
    workspace.git('add', '-A');
    workspace.git('commit', '--quiet', '-m', 'Declare the reproduction table');

    const { outcome } = await builtinCycle(workspace);

    expect(outcome).toMatchObject({ status: 'committed', experiment_id: 'tiny-lr' });
    expect(workspace.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n')).toContain('findings/README.md');
    const table = workspace.read('findings/README.md');
    expect(table).toMatch(/\| test \| lr 0\.2 \| 5\/5 \| \d\/5 solved; mean best acc [^|]+ \| solved: [^|]+ \| \[tiny-lr\]\(tiny-lr\.md\) \|/);
    expect(table).toContain('| test | h64 | 5/5 | not run yet |  | [spec](../experiments/tiny-hidden.md) |');
    expect(workspace.status()).toBe('');
  });

  it('writes nothing on --dry-run: it prints the spec it would write and run', async () => {
    // The top item links no spec, so the planner generates one: the file a real cycle would write.
    const workspace = await createTestWorkspace({ todo: `# TODO\n\n## Queue\n\n- [ ] Sign SGD against SGD <!-- id: sign-sgd -->\n` });
    const filesBefore = workspace.files();
    const base = workspace.head();
    const printed: string[] = [];

    const code = await runCycleCommand({
      workspace: workspace.dir,
      choice: { planner: 'builtin' },
      dryRun: true,
      clock: manualClock(startOfNight),
      cancelSignal: new AbortController().signal,
      print: (text) => printed.push(text),
      log: () => {},
    });

    expect(code).toBe(0);
    const [, specPath, id] = /^dry run: would write and run (experiments\/([a-z0-9-]+)\.md)\n\n---\n/.exec(printed.join('\n')) ?? [];
    expect(printed.join('\n')).toContain(`\nid: ${id}\n`);
    expect(workspace.exists(specPath!)).toBe(false);
    expect(workspace.files()).toEqual(filesBefore);
    expect(workspace.head()).toBe(base);
    expect(workspace.status()).toBe('');
    expect(workspace.exists('.lab')).toBe(false);
  });

  it("refuses to run over a human's uncommitted edit to TODO.md and changes nothing", async () => {
    const workspace = await createTestWorkspace();
    const edited = workspace.read('TODO.md').replace('Tiny hidden', 'Tiny hidden (a human is rewording this)');
    workspace.write('TODO.md', edited);
    const filesBefore = workspace.files();
    const base = workspace.head();

    const error = await builtinCycle(workspace).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(HumanEditsError);
    expect((error as Error).message).toMatch(/modified\s+TODO\.md/);
    expect((error as Error).message).toContain("The agent never overwrites or commits a human's uncommitted edits");
    expect(workspace.read('TODO.md')).toBe(edited);
    expect(workspace.files()).toEqual(filesBefore);
    expect(workspace.head()).toBe(base);
  });
});

describe('a failing experiment', () => {
  /** Checks the INVALID record: its own commit, the finding with the reason, the item checked off, nothing else. */
  function expectInvalidRecord(workspace: TestWorkspace, filesBefore: string[], reason: RegExp) {
    expect(workspace.git('log', '-1', '--format=%s').trim()).toMatch(/^INVALID slow-1: lab run experiments\/slow-1\.md /);
    expect(trailersOf(workspace)).toMatchObject({ Experiment: 'experiments/slow-1.md', Finding: 'findings/slow-1.md', Class: 'INVALID', Planner: 'builtin' });
    expect(workspace.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(['TODO.md', 'findings/slow-1.md']);
    expect(workspace.read('findings/slow-1.md')).toMatch(reason);
    expect(workspace.read('TODO.md')).toContain('- [x] A slow one (experiments/slow-1.md) → [finding](findings/slow-1.md) INVALID');
    expect(workspace.exists('results/slow-1')).toBe(false);
    expect(workspace.files()).toEqual([...filesBefore, 'findings/slow-1.md'].sort());
    expect(workspace.status()).toBe('');
  }

  it('rolls back a cycle whose child run crashes and records it INVALID in a commit of its own', async () => {
    const workspace = await createTestWorkspace({ todo: slowQueue, specs: [slowSpec('slow-1'), ...defaultSpecs()] });
    const filesBefore = workspace.files();
    const base = workspace.head();

    const cycle = builtinCycle(workspace);
    const childPid = await waitFor('the lab run child', () => experimentChildOf(process.pid));
    process.kill(childPid, 'SIGKILL'); // what the out-of-memory killer does
    const { outcome } = await cycle;

    expect(outcome).toMatchObject({ status: 'invalid', experiment_id: 'slow-1' });
    expect(workspace.git('rev-list', '--count', `${base}..HEAD`).trim()).toBe('1');
    expectInvalidRecord(workspace, filesBefore, /was killed by a signal/);
  });

  it('stops a child run that outlives its time limit, rolls back and records it INVALID', async () => {
    const workspace = await createTestWorkspace({ todo: slowQueue, specs: [slowSpec('slow-1'), ...defaultSpecs()] });
    const filesBefore = workspace.files();

    const { outcome } = await builtinCycle(workspace, { childTimeoutMs: 1500 });

    expect(outcome).toMatchObject({ status: 'invalid', experiment_id: 'slow-1' });
    if (outcome.status === 'invalid') expect(outcome.reason).toMatch(/^lab run experiments\/slow-1\.md timed out after \d+ s and was stopped/);
    expectInvalidRecord(workspace, filesBefore, /timed out after \d+ s/);
  });
});

describe('lab status', () => {
  it('prints the queue, the last cycles, the best result per objective and the morning digest', async () => {
    const workspace = await createTestWorkspace();
    const { outcome } = await builtinCycle(workspace);
    expect(outcome.status).toBe('committed');
    const results = JSON.parse(workspace.read('results/tiny-lr/results.json')) as ExperimentResults;
    const printed: string[] = [];

    const code = await runStatusCommand({ workspace: workspace.dir, sinceHours: 24, now: () => new Date(), print: (text) => printed.push(text) });

    expect(code).toBe(0);
    const text = printed.join('\n');
    const queue = workspace
      .read('TODO.md')
      .split('\n')
      .filter((line) => line.startsWith('- [ ]')).length;
    expect(text).toContain(`Queue: ${queue} open item${queue === 1 ? '' : 's'}`);
    expect(text).toContain('  1. Tiny hidden: does hidden 64 beat 32? (spec: [tiny-hidden](experiments/tiny-hidden.md))  [tiny-hidden]');
    expect(text).toMatch(new RegExp(`Last cycles:\\n {2}\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d {2}${results.summary.class} +tiny-lr: `));
    expect(text).toMatch(/Best so far \(per objective\):\n {2}solve_epoch \(lower is better\): \d+ — \S+ in tiny-lr, \d\/5 solved/);
    expect(text).toContain('Budget: $0.0000 spent on Claude');
    expect(text).toMatch(/Morning digest: 1 cycle in the last 24 h, largest effect first\n {3}1\. \w+ +tiny-lr: /);
  });
});
