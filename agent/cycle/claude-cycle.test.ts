// Cycles planned by Claude through the real Anthropic SDK against a scripted stub server on 127.0.0.1,
// with the real child run: a good answer, an invalid spec twice, a 529 overload, a budget cap, a replay.
import { afterAll, describe, expect, it } from 'vitest';
import type { SpecInput } from '../../core/index.js';
import { manualClock } from '../io/clock.js';
import { coreHash } from '../io/provenance.js';
import { overloadedReply, toolUseReply } from '../llm/test-helpers/anthropic-replies.js';
import { startStubServer, type StubResponse } from '../llm/test-helpers/stub-server.js';
import { parseTranscript } from '../llm/transcript.js';
import { createClaudePlanner, createClaudeReplayPlanner, type ClaudePlanner } from '../planners/claude.js';
import { runCycle } from './cycle.js';
import { isBudgetSpent, runLoop } from './loop.js';
import { cloneTestWorkspace, createTestWorkspace, defaultSpecs, removeTestWorkspaces, smallSpec, type TestWorkspace } from './test-helpers/workspace.js';

afterAll(removeTestWorkspaces);

const apiKey = 'sk-ant-test-cycle-key-0123456789';
const startOfNight = new Date('2026-11-22T02:00:00Z');

/** An open item without a spec on top (Claude writes one), then the linked ones. */
const claudeTodo = [
  '# TODO',
  '',
  '## Queue',
  '',
  '- [ ] Weight decay on tiny parity: does wd 0.01 help? <!-- id: tiny-wd -->',
  '- [ ] Tiny lr: does lr 0.2 beat 0.1? (spec: [tiny-lr](experiments/tiny-lr.md)) <!-- id: tiny-lr -->',
  '',
].join('\n');

function wdSpec(id: string): SpecInput {
  return smallSpec(id, {
    title: 'Weight decay on tiny parity',
    question: 'Does wd 0.01 solve 8-bit parity (k=2) in fewer epochs than wd 0?',
    hypothesis: 'Decay shortens the plateau even on a small problem.',
    arms: [
      { name: 'wd=0', baseline: true, overrides: { wd: 0 } },
      { name: 'wd=0.01', overrides: { wd: 0.01 } },
    ],
  });
}

const proposal = (spec: SpecInput, itemId = 'tiny-wd') => ({
  spec,
  body: '## Question\n\nDoes weight decay help here?',
  item_id: itemId,
  rationale: 'Top of the queue, and cheap.',
});

function interpretation(experimentId: string) {
  return {
    narrative: { worked: ['Both arms solved every seed.'], didnt: [], surprise: [], open_questions: ['Does it hold at 10 bits?'] },
    follow_ups: [
      {
        text: 'Weight decay at 10 bits',
        motivated_by: experimentId,
        spec: smallSpec(`${experimentId}-n10`, { base: { n_bits: 10, k: 2, hidden: 32, n_train: 256, n_test: 128, max_epochs: 60 } }),
        body: '## Question\n\nAt 10 bits?',
      },
      { text: 'Try sign SGD on the same problem', motivated_by: experimentId },
    ],
    // No arm of these tiny runs has a decisive verdict to cite, so a claimed fact would be sent back.
    discoveries: [],
  };
}

async function claudeWorkspace(): Promise<TestWorkspace> {
  return createTestWorkspace({ todo: claudeTodo, specs: defaultSpecs() });
}

function cycleOptions(workspace: TestWorkspace, planner: ClaudePlanner, hash: string, log: string[] = []) {
  return { workspace: workspace.dir, planner, clock: manualClock(startOfNight), expectedCoreHash: hash, workers: 2, log: (line: string) => log.push(line) };
}

function claudePlanner(url: string, options: { budgetUsd?: number } = {}): ClaudePlanner {
  return createClaudePlanner({ apiKey, baseURL: url, maxRetries: 2, ...options });
}

/** git's own trailer parser, so the test does not trust ours. */
function trailersOf(workspace: TestWorkspace, commit: string): Record<string, string> {
  const text = workspace.git('log', '-1', '--format=%(trailers:unfold,only)', commit);
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
  );
}

const goodScript = (id: string): StubResponse[] => [
  toolUseReply({ name: 'propose_experiment', input: proposal(wdSpec(id)) }),
  toolUseReply({ name: 'record_interpretation', input: interpretation(id) }),
];

describe('a cycle planned by Claude', () => {
  it('commits the spec Claude proposed, with its narrative, follow-ups, discoveries, cost trailers and a keyless transcript', async () => {
    const workspace = await claudeWorkspace();
    const stub = await startStubServer(goodScript('claude-wd'));
    const base = workspace.head();

    const outcome = await runCycle(cycleOptions(workspace, claudePlanner(stub.url), await coreHash()));

    expect(outcome).toMatchObject({ status: 'committed', experiment_id: 'claude-wd' });
    if (outcome.status !== 'committed') return;
    expect(stub.requests.map((request) => JSON.stringify(request.headers).includes(apiKey))).toEqual([true, true]);
    expect(workspace.git('rev-list', '--count', `${base}..HEAD`).trim()).toBe('1');
    const trailers = trailersOf(workspace, outcome.commit);
    expect(trailers).toMatchObject({
      Experiment: 'experiments/claude-wd.md',
      Finding: 'findings/claude-wd.md',
      Planner: 'claude',
      'Cost-USD': '0.0080',
      Tokens: '2000 in, 400 out',
    });
    const committed = workspace.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort();
    expect(committed).toEqual(
      expect.arrayContaining([
        'TODO.md',
        'experiments/claude-wd.md',
        'experiments/claude-wd-n10.md',
        'findings/claude-wd.md',
        'results/claude-wd/llm-transcript.json',
        'results/claude-wd/results.json',
      ]),
    );
    expect(workspace.read('findings/claude-wd.md')).toContain('Both arms solved every seed.');
    const todo = workspace.read('TODO.md');
    expect(todo).toMatch(/- \[x\] Weight decay on tiny parity: does wd 0\.01 help\? → \[finding\]\(findings\/claude-wd\.md\) \w+/);
    expect(todo).toContain('Weight decay at 10 bits');
    expect(todo).toContain('experiments/claude-wd-n10.md');
    expect(todo).toContain('Try sign SGD on the same problem');
    expect(workspace.read('findings/claude-wd.md')).toContain('_Written by a language model (claude-sonnet-5-5)');
    // Discoveries wait for a confirmation on fresh seeds (confirm-<id>, seeds 47-56): this experiment is not one.
    expect(committed).not.toContain('DISCOVERIES.md');
    expect(workspace.read('DISCOVERIES.md')).not.toContain('Weight decay was tested');
    const transcriptText = workspace.read('results/claude-wd/llm-transcript.json');
    expect(transcriptText).not.toContain(apiKey);
    expect(parseTranscript(transcriptText).exchanges.map((exchange) => [exchange.label, exchange.status])).toEqual([
      ['plan', 200],
      ['interpret', 200],
    ]);
    expect(workspace.status()).toBe('');
  });

  it('records an INVALID cycle in its own commit when Claude proposes an invalid spec twice', async () => {
    const workspace = await claudeWorkspace();
    const outsideSearchSpace = { ...wdSpec('claude-bad'), base: { n_bits: 40, k: 2 } };
    const tooFewSeeds = { ...wdSpec('claude-bad'), seeds: '42-43' };
    const stub = await startStubServer([
      toolUseReply({ name: 'propose_experiment', input: proposal(outsideSearchSpace) }),
      toolUseReply({ name: 'propose_experiment', input: proposal(tooFewSeeds) }),
    ]);
    const filesBefore = workspace.files();

    const outcome = await runCycle(cycleOptions(workspace, claudePlanner(stub.url), await coreHash()));

    expect(outcome).toMatchObject({ status: 'invalid', class: 'INVALID' });
    if (outcome.status !== 'invalid') return;
    expect(outcome.reason).toContain('seeds is fewer than 5');
    expect(workspace.git('log', '-1', '--format=%s').trim()).toMatch(/^INVALID invalid-\S+: planner failed: Claude's plan answer was invalid twice/);
    expect(trailersOf(workspace, outcome.commit)).toMatchObject({ Class: 'INVALID', Planner: 'claude', 'Cost-USD': '0.0080' });
    const findingPath = `findings/${outcome.experiment_id}.md`;
    expect(workspace.read(findingPath)).toContain('seeds is fewer than 5');
    expect(workspace.read('TODO.md')).toContain(`- [x] Weight decay on tiny parity: does wd 0.01 help? → [finding](${findingPath}) INVALID`);
    expect(workspace.exists('experiments/claude-bad.md')).toBe(false);
    const transcriptPath = `results/${outcome.experiment_id}/llm-transcript.json`;
    const transcript = JSON.parse(workspace.read(transcriptPath)) as { exchanges: unknown[] };
    expect(transcript.exchanges).toHaveLength(2); // both rejected answers are kept for the human to read
    expect(workspace.files()).toEqual([...filesBefore, findingPath, transcriptPath].sort());
    expect(workspace.status()).toBe('');
  });

  it('rides out a 529 overload (the SDK retries) and commits, the transcript keeping both attempts', async () => {
    const workspace = await claudeWorkspace();
    const [plan, interpret] = goodScript('claude-wd');
    const stub = await startStubServer([overloadedReply(), plan!, interpret!]);

    const outcome = await runCycle(cycleOptions(workspace, claudePlanner(stub.url), await coreHash()));

    expect(outcome).toMatchObject({ status: 'committed', experiment_id: 'claude-wd' });
    expect(stub.requests).toHaveLength(3);
    const transcript = parseTranscript(workspace.read('results/claude-wd/llm-transcript.json'));
    expect(transcript.exchanges.map((exchange) => [exchange.label, exchange.attempt, exchange.status])).toEqual([
      ['plan', 0, 529],
      ['plan', 1, 200],
      ['interpret', 0, 200],
    ]);
    expect(workspace.status()).toBe('');
  });

  it('commits a cycle whose budget ran out between plan and interpret with the built-in narrative, then stops the loop', async () => {
    const workspace = await claudeWorkspace();
    // $0.004 a request: cycle 1 costs $0.008; cycle 2's plan brings it to $0.012, past the $0.01 cap, so its
    // interpretation is not asked for: the measured results are kept, with the built-in narrative.
    const stub = await startStubServer([
      ...goodScript('claude-wd'),
      toolUseReply({ name: 'run_linked_spec', input: { item_id: 'tiny-lr', rationale: 'Next.' } }),
    ]);
    const planner = claudePlanner(stub.url, { budgetUsd: 0.01 });
    const base = workspace.head();

    const summary = await runLoop({ ...cycleOptions(workspace, planner, await coreHash()), stopWhen: [isBudgetSpent(0.01)] });

    expect(summary.stopReason).toBe('budget of $0.01 spent ($0.0120)');
    expect(summary.error).toBeNull();
    expect(summary.outcomes.map((outcome) => outcome.status)).toEqual(['committed', 'committed']);
    expect(summary.spentUsd).toBeCloseTo(0.012, 10);
    expect(stub.requests).toHaveLength(3);
    expect(workspace.git('rev-list', '--count', `${base}..HEAD`).trim()).toBe('2');
    expect(workspace.exists('results/tiny-lr/results.json')).toBe(true);
    expect(workspace.read('findings/tiny-lr.md')).toMatch(
      /_Written by the built-in rules from the numbers: the language model's interpretation failed \(LLM budget reached/,
    );
    expect(workspace.read('TODO.md')).toMatch(/- \[x\] Tiny lr.*findings\/tiny-lr\.md/);
    expect(workspace.status()).toBe('');
  });
});

describe('replaying a recorded Claude cycle', () => {
  it('reproduces the same spec and the same results_hash offline, from the commit before the cycle', async () => {
    const recorded = await claudeWorkspace();
    const stub = await startStubServer(goodScript('claude-wd'));
    const hash = await coreHash();
    const first = await runCycle(cycleOptions(recorded, claudePlanner(stub.url), hash));
    expect(first.status).toBe('committed');
    await stub.close();
    const transcript = parseTranscript(recorded.read('results/claude-wd/llm-transcript.json'), 'results/claude-wd/llm-transcript.json');
    const fresh = cloneTestWorkspace(recorded, 'HEAD~1');
    expect(fresh.exists('results/claude-wd')).toBe(false);

    const replayed = await runCycle(cycleOptions(fresh, createClaudeReplayPlanner(transcript), hash));

    expect(replayed).toMatchObject({ status: 'committed', experiment_id: 'claude-wd' });
    const resultsHash = (workspace: TestWorkspace) => JSON.parse(workspace.read('results/claude-wd/results.json')).results_hash as string;
    expect(resultsHash(fresh)).toBe(resultsHash(recorded));
    expect(fresh.read('experiments/claude-wd.md')).toBe(recorded.read('experiments/claude-wd.md'));
    expect(fresh.read('TODO.md')).toBe(recorded.read('TODO.md'));
  });
});
