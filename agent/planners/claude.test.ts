import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../core/index.js';
import { overloadedReply, textReply, toolUseReply } from '../llm/test-helpers/anthropic-replies.js';
import { samplePlanningContext, sampleResults, validSpecInput } from '../llm/test-helpers/planning-context.js';
import { startStubServer } from '../llm/test-helpers/stub-server.js';
import { parseTranscript, serializeTranscript } from '../llm/transcript.js';
import { BudgetExceededError, PlannerOutputError, createClaudePlanner, createClaudeReplayPlanner, defaultClaudeModel } from './claude.js';

const apiKey = 'sk-ant-test-planner-0123456789';
const proposal = (spec: unknown = validSpecInput()) => ({
  spec,
  body: '## Question\n\nDoes lr 0.3 beat 0.1?',
  item_id: 'lr-sweep',
  rationale: 'Top of the queue.',
});
const interpretation = (followUps: unknown[] = []) => ({
  narrative: { worked: ['The larger step size solved every seed sooner.'], didnt: [], surprise: [], open_questions: ['Does it hold at n = 30?'] },
  follow_ups: followUps,
  discoveries: [{ topic: 'learning rate', text: 'lr 0.3 solves 20-bit parity sooner than lr 0.1 (exp-lr-sweep).', arm: 'lr=0.3', metric: 'solve_epoch' }],
});
/** What the planner returns for interpretation(): the discoveries without their citation fields. */
const interpreted = (followUps: unknown[] = []) => ({
  ...interpretation(followUps),
  discoveries: [{ topic: 'learning rate', text: 'lr 0.3 solves 20-bit parity sooner than lr 0.1 (exp-lr-sweep).' }],
});
const userText = (body: { messages: { content: { text?: string }[] }[] }) => body.messages[0]!.content.map((block) => block.text ?? '').join('\n');

async function plannerWith(script: Parameters<typeof startStubServer>[0], options: { budgetUsd?: number; spentUsd?: number } = {}) {
  const stub = await startStubServer(script);
  const planner = createClaudePlanner({ apiKey, baseURL: stub.url, ...options });
  return { stub, planner };
}

describe('Claude planner: plan', () => {
  it('turns a good tool call into a Plan and counts its tokens and cost', async () => {
    const { planner } = await plannerWith([
      toolUseReply({ name: 'propose_experiment', input: proposal(), usage: { input_tokens: 20_000, output_tokens: 1_000 } }),
    ]);
    const plan = await planner.plan(samplePlanningContext());
    expect(plan).toEqual({ kind: 'spec', spec: validSpecInput(), body: proposal().body, item_id: 'lr-sweep', rationale: 'Top of the queue.' });
    expect(() => parseSpec(plan.kind === 'spec' ? plan.spec : null)).not.toThrow();
    expect(planner.usage()).toEqual({ input_tokens: 20_000, output_tokens: 1_000, cost_usd: 0.05, requests: 1 });
    expect(planner.transcript().usage.cost_usd).toBeCloseTo(0.05, 12);
  });

  it('sends the lab state, the spec schema and the tools, leaving tool_choice on auto', async () => {
    const { stub, planner } = await plannerWith([toolUseReply({ name: 'propose_experiment', input: proposal() })]);
    await planner.plan(samplePlanningContext());
    const body = stub.requests[0]!.body;
    expect(body.model).toBe(defaultClaudeModel);
    expect(JSON.stringify(body.system)).toContain('sparse parity');
    expect(body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(body.tools.map((tool: { name: string }) => tool.name)).toEqual(['propose_experiment', 'run_linked_spec', 'stay_idle']);
    expect(body.tools[0].input_schema.properties.spec.properties.id.pattern).toBe('^[a-z0-9][a-z0-9-]*$');
    const system = JSON.stringify(body.system);
    expect(system).toContain('lr: 0.03, 0.1, 0.3');
    expect(system).toContain('limits: at most 10 seeds, time_limit <= 300 s per run');
    const user = userText(body);
    for (const expected of [
      'Notes in TODO.md',
      '[lr-sweep] does a larger',
      'SGD with hinge loss solves',
      'baseline solves in a median of 41',
      'exp-baseline',
      '(no experiment has run yet)',
    ]) {
      expect(user).toContain(expected);
    }
  });

  it('sends an invalid spec back once with the zod message and accepts the corrected answer', async () => {
    const badSpec = { ...validSpecInput(), seeds: '42-44' };
    const { stub, planner } = await plannerWith([
      toolUseReply({ name: 'propose_experiment', input: proposal(badSpec) }),
      toolUseReply({ name: 'propose_experiment', input: proposal() }),
    ]);
    const plan = await planner.plan(samplePlanningContext());
    expect(plan.kind).toBe('spec');
    expect(stub.requests).toHaveLength(2);
    const [, assistant, feedback] = stub.requests[1]!.body.messages;
    expect(assistant.role).toBe('assistant');
    expect(assistant.content.at(-1)).toMatchObject({ type: 'tool_use', name: 'propose_experiment' });
    expect(feedback.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: assistant.content.at(-1).id, is_error: true });
    expect(feedback.content[0].content).toContain('3 seeds is fewer than 5; add seeds (e.g. 42-46) or say why in seeds_reason');
    expect(planner.usage().requests).toBe(2);
  });

  it('throws PlannerOutputError quoting the problems when the second answer is invalid too', async () => {
    const outside = { ...validSpecInput(), arms: [{ name: 'lr=0.5', baseline: true, overrides: { lr: 0.5 } }] };
    const { stub, planner } = await plannerWith([
      toolUseReply({ name: 'propose_experiment', input: proposal(outside) }),
      toolUseReply({ name: 'propose_experiment', input: proposal({ ...validSpecInput('exp-baseline') }) }),
      toolUseReply({ name: 'propose_experiment', input: proposal() }),
    ]);
    const error: unknown = await planner.plan(samplePlanningContext()).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PlannerOutputError);
    expect((error as Error).message).toMatch(/invalid twice.*INVALID/);
    expect((error as Error).message).toContain('spec.id (got "exp-baseline"): already used');
    expect(stub.requests[1]!.body.messages[2].content[0].content).toContain(
      'spec.arms.0.overrides.lr (got 0.5): not in the search space; allowed values: 0.03, 0.1, 0.3',
    );
    expect(stub.requests).toHaveLength(2);
  });

  it('holds a spec to the search space limits and to the open queue', async () => {
    const tooBig = { ...validSpecInput(), seeds: '1-12', time_limit: 900, base: { n_bits: 20, k: 3, hidden: 200, max_epochs: 1000 } };
    const { stub, planner } = await plannerWith([
      toolUseReply({ name: 'propose_experiment', input: { ...proposal(tooBig), item_id: 'not-queued' } }),
      toolUseReply({ name: 'stay_idle', input: { reason: 'Nothing left inside the search space.' } }),
    ]);
    expect(await planner.plan(samplePlanningContext())).toEqual({ kind: 'idle', reason: 'Nothing left inside the search space.' });
    const sentBack = stub.requests[1]!.body.messages[2].content[0].content as string;
    expect(sentBack).toContain('spec.seeds: 12 seeds exceed the limit of 10');
    expect(sentBack).toContain('spec.time_limit (got 900): above the limit of 300');
    expect(sentBack).toContain('spec.base.max_epochs (got 1000): above the limit of 500 epochs');
    expect(sentBack).toContain('item_id (got "not-queued"): not an open queue item; use one of lr-sweep or null');
  });

  it("runs a queue item's linked spec as it is, and only an item that links one", async () => {
    const queue = [
      { id: 'bare', text: 'an idea without a spec', section: 'Queue', spec_path: null, motivated_by: null },
      { id: 'egd-lr', text: 'EGD learning rate', section: 'Queue', spec_path: 'experiments/exp-egd-lr.md', motivated_by: null },
    ];
    const { stub, planner } = await plannerWith([
      toolUseReply({ name: 'run_linked_spec', input: { item_id: 'bare', rationale: 'Top item.' } }),
      toolUseReply({ name: 'run_linked_spec', input: { item_id: 'egd-lr', rationale: 'Its spec is ready.' } }),
    ]);
    expect(await planner.plan(samplePlanningContext({ queue }))).toEqual({
      kind: 'linked',
      item_id: 'egd-lr',
      spec_path: 'experiments/exp-egd-lr.md',
      rationale: 'Its spec is ready.',
    });
    expect(stub.requests[1]!.body.messages[2].content[0].content).toContain(
      'item_id (got "bare"): not an open queue item with a linked spec; use one of egd-lr',
    );
  });

  it('asks again in plain text when the answer has no tool call', async () => {
    const { stub, planner } = await plannerWith([
      textReply('I think we should try a larger learning rate.'),
      toolUseReply({ name: 'propose_experiment', input: proposal() }),
    ]);
    expect((await planner.plan(samplePlanningContext())).kind).toBe('spec');
    const feedback = stub.requests[1]!.body.messages[2];
    expect(feedback).toEqual({
      role: 'user',
      content: [{ type: 'text', text: expect.stringContaining('the answer had no tool call: call one of propose_experiment, run_linked_spec, stay_idle') }],
    });
  });

  it('rides out a 529 overload: the SDK retries and the transcript keeps both attempts', async () => {
    const { stub, planner } = await plannerWith([overloadedReply(), toolUseReply({ name: 'propose_experiment', input: proposal() })]);
    expect((await planner.plan(samplePlanningContext())).kind).toBe('spec');
    expect(stub.requests).toHaveLength(2);
    expect(planner.transcript().exchanges.map((e) => [e.label, e.attempt, e.status])).toEqual([
      ['plan', 0, 529],
      ['plan', 1, 200],
    ]);
  });

  it('stops with BudgetExceededError before sending anything once the budget is spent', async () => {
    const { stub, planner } = await plannerWith([toolUseReply({ name: 'propose_experiment', input: proposal() })], { budgetUsd: 2, spentUsd: 2 });
    await expect(planner.plan(samplePlanningContext())).rejects.toBeInstanceOf(BudgetExceededError);
    expect(stub.requests).toHaveLength(0);
    expect(planner.transcript().exchanges).toEqual([]);
  });

  it('never saves the API key in the transcript', async () => {
    const { stub, planner } = await plannerWith([toolUseReply({ name: 'propose_experiment', input: proposal() })]);
    await planner.plan(samplePlanningContext({ todoText: `# TODO\n\nrotate ${apiKey} tomorrow\n` }));
    expect(JSON.stringify(stub.requests[0]!.body)).toContain(apiKey);
    expect(serializeTranscript(planner.transcript())).not.toContain(apiKey);
  });
});

describe('Claude planner: interpret', () => {
  it('returns the narrative, follow-ups with validated specs, and discoveries', async () => {
    const followUp = {
      text: 'Try lr 0.3 at n = 30',
      motivated_by: 'exp-lr-sweep',
      spec: { ...validSpecInput('exp-lr-n30'), base: { n_bits: 30, k: 3 } },
      body: '## Question\n\nAt n = 30?',
    };
    const { stub, planner } = await plannerWith([toolUseReply({ name: 'record_interpretation', input: interpretation([followUp]) })]);
    const result = await planner.interpret(samplePlanningContext(), sampleResults());
    expect(result).toEqual(interpreted([followUp]));
    expect(userText(stub.requests[0]!.body)).toContain('lr=0.3 solves in 0.6x the epochs of lr=0.1');
  });

  it('sends back a follow-up spec without a body or reusing the experiment id, then accepts the fix', async () => {
    const reused = { text: 'Again', motivated_by: 'exp-lr-sweep', spec: validSpecInput('exp-lr-sweep') };
    const { stub, planner } = await plannerWith([
      toolUseReply({ name: 'record_interpretation', input: interpretation([reused]) }),
      toolUseReply({ name: 'record_interpretation', input: interpretation([{ text: 'Again at n = 30', motivated_by: 'exp-lr-sweep' }]) }),
    ]);
    const result = await planner.interpret(samplePlanningContext(), sampleResults());
    expect(result.follow_ups).toEqual([{ text: 'Again at n = 30', motivated_by: 'exp-lr-sweep' }]);
    const sentBack = stub.requests[1]!.body.messages[2].content[0].content as string;
    expect(sentBack).toContain('follow_ups.0.spec.id (got "exp-lr-sweep"): already used');
    expect(sentBack).toContain('follow_ups.0.body: a follow-up with a spec needs a body');
  });
});

describe('Claude planner: replay', () => {
  it('replays a recorded cycle offline and reproduces the same Plan and Interpretation', async () => {
    const { stub, planner } = await plannerWith([
      toolUseReply({ name: 'propose_experiment', input: proposal({ ...validSpecInput(), seeds: '1-3' }) }),
      overloadedReply(),
      toolUseReply({ name: 'propose_experiment', input: proposal() }),
      toolUseReply({ name: 'record_interpretation', input: interpretation() }),
    ]);
    const context = samplePlanningContext();
    const plan = await planner.plan(context);
    const interpreted = await planner.interpret(context, sampleResults());
    const saved = serializeTranscript(planner.transcript());
    await stub.close();

    const replay = createClaudeReplayPlanner(parseTranscript(saved, 'results/exp-lr-sweep/llm-transcript.json'));
    expect(await replay.plan(context)).toEqual(plan);
    expect(await replay.interpret(context, sampleResults())).toEqual(interpreted);
    expect(replay.usage().requests).toBe(3);
  });

  it('refuses to replay a cycle whose planning context changed', async () => {
    const { stub, planner } = await plannerWith([toolUseReply({ name: 'propose_experiment', input: proposal() })]);
    await planner.plan(samplePlanningContext());
    await stub.close();
    const replay = createClaudeReplayPlanner(planner.transcript(), 'rec.json');
    await expect(replay.plan(samplePlanningContext({ today: '2026-10-03' }))).rejects.toThrow(
      /rec\.json: call 0 \("plan"\) differs from the recording: messages\[0\]/,
    );
  });
});

describe('Claude planner: the prompt', () => {
  /** 50 findings as a long night leaves them, each with a long headline and three arms. */
  function nightOfFindings(count: number) {
    return Array.from({ length: count }, (_, i) => ({
      id: `night-exp-${String(i).padStart(3, '0')}`,
      date: '2026-11-22',
      class: 'INCONCLUSIVE' as const,
      question: `Does variant ${i} of the learning rate change the solve epoch of 20-bit parity with k = 3 and hidden 200?`,
      primary_metric: 'solve_epoch',
      headline: `variant ${i}: nothing established between the arms at 5 seeds; the medians differ by ${i}% with a wide interval`.repeat(2),
      path: `findings/night-exp-${i}.md`,
      results_path: `results/night-exp-${i}/results.json`,
      arms: {
        baseline: { solve_epoch: 41, best_test_acc: 1 },
        'lr=0.3': { solve_epoch: 38, best_test_acc: 1 },
        'lr=0.03': { solve_epoch: null, best_test_acc: 0.61 },
      },
      best_arm: null,
    }));
  }

  it('puts the stable parts first with cache_control: the system prompt with the search space, then the night context', async () => {
    const { stub, planner } = await plannerWith([toolUseReply({ name: 'propose_experiment', input: proposal() })]);
    await planner.plan(samplePlanningContext());
    const body = stub.requests[0]!.body;
    expect(body.system).toHaveLength(1);
    expect(body.system[0].cache_control).toEqual({ type: 'ephemeral' });
    const [contextBlock, stepBlock] = body.messages[0].content;
    expect(contextBlock.cache_control).toEqual({ type: 'ephemeral' });
    expect(contextBlock.text).toContain('## Ledger of findings');
    expect(stepBlock.cache_control).toBeUndefined();
    expect(stepBlock.text).toContain('Today is 2026-10-02');
    expect(body.thinking).toEqual({ type: 'adaptive', display: 'summarized' });
  });

  it('stays under 40,000 characters after 50 findings, one ledger line each, and sends TODO.md and the search space once', async () => {
    const findings = nightOfFindings(50);
    const todoText = ['# TODO', '', 'Notes: keep runs short.', '', '## Queue', '', ...findings.map((finding) => `- [x] ${finding.question} → done`)].join('\n');
    const discoveriesText = `# Discoveries\n\n${'- A long established fact about parity that keeps the file growing all night.\n'.repeat(200)}`;
    const agendaText = readFileSync(new URL('../../templates/AGENDA.md', import.meta.url), 'utf8');
    const { stub, planner } = await plannerWith([toolUseReply({ name: 'propose_experiment', input: proposal() })]);
    await planner.plan(samplePlanningContext({ findings, todoText, discoveriesText, agendaText, existingSpecIds: findings.map((finding) => finding.id) }));
    const body = stub.requests[0]!.body;
    const size = JSON.stringify(body.system).length + JSON.stringify(body.messages).length;
    expect(size).toBeLessThan(40_000);
    const user = userText(body);
    expect(user.split('\n').filter((line) => line.startsWith('- night-exp-'))).toHaveLength(50);
    expect(user.match(/Notes: keep runs short\./g)).toHaveLength(1);
    expect(user).toMatch(/## Research agenda[^\n]*\n\nObjective: .+\nBest so far: .+\nQuestions \(\* = ready now\):\n\*/);
    expect((JSON.stringify(body).match(/limits: at most 10 seeds/g) ?? []).length).toBe(1);
  });
});
