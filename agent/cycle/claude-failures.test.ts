// What a night planned by Claude survives, through the real SDK against a stub on 127.0.0.1 and the real child
// run: false claims, a failed interpretation, a two-minute 529 storm, a refusal, a dry run whose planner fails.
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../io/clock.js';
import { coreHash } from '../io/provenance.js';
import { overloadedReply, refusalReply, toolUseReply } from '../llm/test-helpers/anthropic-replies.js';
import { startStubServer, type StubResponse } from '../llm/test-helpers/stub-server.js';
import { createClaudePlanner, type ClaudePlannerOptions } from '../planners/claude.js';
import { runCycle } from './cycle.js';
import { isCycleCount, runLoop } from './loop.js';
import { createTestWorkspace, removeTestWorkspaces, smallSpec, type TestWorkspace } from './test-helpers/workspace.js';

afterAll(removeTestWorkspaces);

const apiKey = 'sk-ant-test-failures-0123456789';
const falseClaim = 'Sign SGD is 12x faster than SGD on 8-bit parity (p<0.001)';

const runLinked = (itemId = 'tiny-lr') => toolUseReply({ name: 'run_linked_spec', input: { item_id: itemId, rationale: 'Top of the queue.' } });
const interpretationReply = (worked: string[], discoveries: unknown[] = []) =>
  toolUseReply({
    name: 'record_interpretation',
    input: { narrative: { worked, didnt: [], surprise: [], open_questions: [] }, follow_ups: [], discoveries },
  });

function setup(workspace: TestWorkspace, url: string, extra: Partial<ClaudePlannerOptions> = {}) {
  const clock = manualClock(new Date('2026-11-22T02:00:00Z'));
  const log: string[] = [];
  const planner = createClaudePlanner({ apiKey, baseURL: url, maxRetries: 1, log: (line) => log.push(line), ...extra });
  return { clock, log, planner, options: { workspace: workspace.dir, planner, clock, workers: 2, log: (line: string) => log.push(line) } };
}

describe('a Claude cycle that goes wrong after the run', () => {
  it('keeps a false claim out of DISCOVERIES.md and the finding: sent back once, then the built-in narrative', async () => {
    const workspace = await createTestWorkspace();
    const claim = [{ topic: 'Sign SGD', text: falseClaim, arm: 'lr=0.2', metric: 'solve_epoch' }];
    const stub = await startStubServer([runLinked(), interpretationReply([falseClaim], claim), interpretationReply([falseClaim], claim)]);
    const { options } = setup(workspace, stub.url);

    const outcome = await runCycle({ ...options, expectedCoreHash: await coreHash() });

    expect(outcome).toMatchObject({ status: 'committed', experiment_id: 'tiny-lr' });
    expect(stub.requests).toHaveLength(3);
    const sentBack = JSON.stringify(stub.requests[2]!.body.messages.at(-1));
    expect(sentBack).toContain('narrative.worked.0: \\"12\\" is not a number of these results');
    expect(workspace.read('DISCOVERIES.md')).not.toContain('12x'); // the built-in rules' own discoveries, if any, stand
    const finding = workspace.read('findings/tiny-lr.md');
    expect(finding).not.toContain('12x faster');
    expect(finding).toContain("_Written by the built-in rules from the numbers: the language model's interpretation failed");
    expect(workspace.git('show', '--format=', '--name-only', 'HEAD')).toContain('results/tiny-lr/results.json');
    expect(workspace.status()).toBe('');
  });

  it('commits the classified finding with its results when the interpret request fails with an API error', async () => {
    const workspace = await createTestWorkspace();
    const badRequest: StubResponse = { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'messages: bad block' } } };
    const stub = await startStubServer([runLinked(), badRequest]);
    const { options } = setup(workspace, stub.url);

    const outcome = await runCycle({ ...options, expectedCoreHash: await coreHash() });

    expect(outcome.status).toBe('committed');
    if (outcome.status !== 'committed') return;
    expect(workspace.git('log', '-1', '--format=%s')).toMatch(new RegExp(`^${outcome.class} tiny-lr: `));
    expect(workspace.exists('results/tiny-lr/results.json')).toBe(true);
    expect(workspace.read('findings/tiny-lr.md')).toContain('messages: bad block');
    expect(workspace.git('log', '-1', '--format=%(trailers:key=Narrative,valueonly)').trim()).toBe('builtin (claude failed)');
    expect(workspace.read('TODO.md')).toMatch(/- \[x\] Tiny lr.*findings\/tiny-lr\.md\) (WIN|LOSS|MIXED|INCONCLUSIVE|BASELINE)/);
  });
});

describe('a Claude cycle and the API', () => {
  it('pauses through a two-minute 529 storm and then goes on, with no INVALID commit', async () => {
    const workspace = await createTestWorkspace();
    const answers = [runLinked(), interpretationReply(['The larger step solved its seeds.'])];
    let clockNow = () => 0;
    const stub = await startStubServer(() => (clockNow() < 120_000 ? overloadedReply() : answers.shift()));
    const clock = manualClock(new Date('2026-11-22T02:00:00Z'));
    clockNow = clock.now;
    const outage = { now: clock.now, sleep: async (ms: number) => clock.advance(ms) };
    const { options, log } = setup(workspace, stub.url, { outage });
    const base = workspace.head();

    const summary = await runLoop({ ...options, clock, expectedCoreHash: await coreHash(), stopWhen: [isCycleCount(1)] });

    expect(summary.outcomes.map((outcome) => outcome.status)).toEqual(['committed']);
    expect(clock.now()).toBeGreaterThanOrEqual(120_000);
    expect(log.filter((line) => line.startsWith('Claude API unavailable')).length).toBeGreaterThanOrEqual(3);
    expect(workspace.git('log', '--format=%s', `${base}..HEAD`).trim().split('\n')).toEqual([expect.stringMatching(/^\w+ tiny-lr: /)]);
    expect(stub.requests.length - 2).toBeGreaterThanOrEqual(6); // the 529s before the two answers
  });

  it('skips a cycle whose outage outlasts the wait (no record, not counted by the circuit breaker), then commits the next', async () => {
    const workspace = await createTestWorkspace();
    const answers = [runLinked(), interpretationReply(['Solved.'])];
    const clock = manualClock(new Date('2026-11-22T02:00:00Z'));
    const stub = await startStubServer(() => (clock.now() < 120_000 ? overloadedReply() : answers.shift()));
    const outage = { now: clock.now, sleep: async (ms: number) => clock.advance(ms), firstPauseMs: 20_000, maxWaitMs: 60_000 };
    const { options } = setup(workspace, stub.url, { outage });
    const base = workspace.head();

    const summary = await runLoop({ ...options, clock, expectedCoreHash: await coreHash(), stopWhen: [isCycleCount(2)] });

    // Cycle 1 waits 20 + 40 s and gives up at its 60 s bound; cycle 2 waits until the storm ends at 120 s.
    expect(summary.outcomes.map((outcome) => outcome.status)).toEqual(['outage', 'committed']);
    expect(workspace.git('log', '--format=%s', `${base}..HEAD`)).not.toContain('INVALID');
  });

  it('lets the built-in planner plan a cycle Claude refused, and still asks Claude to interpret it', async () => {
    const workspace = await createTestWorkspace();
    const stub = await startStubServer([refusalReply(), interpretationReply(['Both arms solved.'])]);
    const { options, log } = setup(workspace, stub.url);

    const outcome = await runCycle({ ...options, expectedCoreHash: await coreHash() });

    expect(outcome).toMatchObject({ status: 'committed', experiment_id: 'tiny-lr' });
    expect(log.some((line) => line.includes('refused the plan request') && line.includes('built-in planner plans this cycle'))).toBe(true);
    expect(workspace.read('findings/tiny-lr.md')).toContain('Both arms solved.');
    expect(stub.requests).toHaveLength(2);
  });

  it('closes as INVALID only the item the model named when its answer fails twice, not the top of the queue', async () => {
    const workspace = await createTestWorkspace();
    const badSpec = { spec: smallSpec('tiny-bad', { seeds: '42-43' }), body: '## Q', item_id: 'tiny-hidden', rationale: 'Second item.' };
    const stub = await startStubServer([
      toolUseReply({ name: 'propose_experiment', input: badSpec }),
      toolUseReply({ name: 'propose_experiment', input: badSpec }),
    ]);
    const { options } = setup(workspace, stub.url);

    const outcome = await runCycle({ ...options, expectedCoreHash: await coreHash() });

    expect(outcome.status).toBe('invalid');
    const todo = workspace.read('TODO.md');
    expect(todo).toMatch(/- \[ \] Tiny lr/);
    expect(todo).toMatch(/- \[x\] Tiny hidden.*INVALID/);
  });

  it('writes nothing on --dry-run when the planner fails (no INVALID record either)', async () => {
    const workspace = await createTestWorkspace();
    const unqueued = () => toolUseReply({ name: 'run_linked_spec', input: { item_id: 'no-such-item', rationale: '?' } });
    const stub = await startStubServer([unqueued(), unqueued()]);
    const { options } = setup(workspace, stub.url);
    const [head, files] = [workspace.head(), workspace.files()];

    await expect(runCycle({ ...options, expectedCoreHash: await coreHash(), dryRun: true })).rejects.toThrow(/plan answer was invalid twice/);

    expect(workspace.head()).toBe(head);
    expect(workspace.files()).toEqual(files);
    expect(workspace.status()).toBe('');
  });
});
