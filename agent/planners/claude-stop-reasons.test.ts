// How the Claude planner answers each stop_reason and its read tools, through the real SDK against a stub on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { messageReply, refusalReply, toolUseReply, truncatedToolUseReply } from '../llm/test-helpers/anthropic-replies.js';
import { samplePlanningContext, validSpecInput } from '../llm/test-helpers/planning-context.js';
import { startStubServer, type StubScript } from '../llm/test-helpers/stub-server.js';
import { PlannerOutputError, PlannerStopError, createClaudePlanner, defaultMaxTokens, maxTokensCeiling, type ClaudePlannerOptions } from './claude.js';

const apiKey = 'sk-ant-test-stops-0123456789';
const proposal = () => ({ spec: validSpecInput(), body: '## Question\n\nDoes lr 0.3 beat 0.1?', item_id: 'lr-sweep', rationale: 'Top of the queue.' });

async function plannerWith(script: StubScript, options: Partial<ClaudePlannerOptions> = {}) {
  const stub = await startStubServer(script);
  return { stub, planner: createClaudePlanner({ apiKey, baseURL: stub.url, maxRetries: 0, ...options }) };
}

describe('Claude planner: stop reasons', () => {
  it('throws PlannerStopError on a refusal, without continuing the conversation with an empty turn', async () => {
    const { stub, planner } = await plannerWith([refusalReply(), toolUseReply({ name: 'propose_experiment', input: proposal() })]);
    const error = await planner.plan(samplePlanningContext()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlannerStopError);
    expect(error).toMatchObject({ step: 'plan', stopReason: 'refusal' });
    expect(stub.requests).toHaveLength(1);
  });

  it('throws PlannerStopError when the context window is exceeded', async () => {
    const { planner } = await plannerWith([messageReply([], 'model_context_window_exceeded')]);
    await expect(planner.plan(samplePlanningContext())).rejects.toMatchObject({ name: 'PlannerStopError', stopReason: 'model_context_window_exceeded' });
  });

  it('asks again once with more max_tokens when a tool call is cut off, instead of validating the fragment', async () => {
    const cutSpec = { id: 'exp-lr-sweep', title: 'Learning rate' };
    const { stub, planner } = await plannerWith([
      truncatedToolUseReply('propose_experiment', { spec: cutSpec }),
      toolUseReply({ name: 'propose_experiment', input: proposal() }),
    ]);
    const plan = await planner.plan(samplePlanningContext());
    expect(plan.kind).toBe('spec');
    expect(stub.requests.map((request) => request.body.max_tokens)).toEqual([defaultMaxTokens, maxTokensCeiling]);
    expect(stub.requests[1]!.body.messages).toEqual(stub.requests[0]!.body.messages); // the same question, not a rejection
  });

  it('sends a tool call cut off twice back as a problem, then gives up naming the item the model worked on', async () => {
    const cut = truncatedToolUseReply('propose_experiment', { item_id: 'lr-sweep', spec: {} });
    const { stub, planner } = await plannerWith([cut, cut, cut]);
    const error = await planner.plan(samplePlanningContext()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlannerOutputError);
    expect((error as PlannerOutputError).problems[0]).toContain('cut off at max_tokens twice');
    expect((error as PlannerOutputError).itemId).toBe('lr-sweep');
    expect(stub.requests).toHaveLength(3);
  });

  it('continues a paused turn (pause_turn) by sending the partial assistant turn back', async () => {
    const paused = messageReply([{ type: 'text', text: 'Let me think about the queue first.' }], 'pause_turn');
    const { stub, planner } = await plannerWith([paused, toolUseReply({ name: 'propose_experiment', input: proposal() })]);
    expect((await planner.plan(samplePlanningContext())).kind).toBe('spec');
    const messages = stub.requests[1]!.body.messages;
    expect(messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant']);
    expect(messages[1].content).toEqual([{ type: 'text', text: 'Let me think about the queue first.' }]);
  });
});

describe('Claude planner: read tools', () => {
  it('answers read_finding from the reader, then takes the proposal that follows', async () => {
    const read = messageReply([{ type: 'tool_use', id: 'toolu_read_1', name: 'read_finding', input: { id: 'exp-baseline' } }], 'tool_use');
    const asked: unknown[] = [];
    const reader = async (name: string, input: unknown) => {
      asked.push([name, input]);
      return '# Baseline\n\nSolved in a median of 41 epochs.';
    };
    const { stub, planner } = await plannerWith([read, toolUseReply({ name: 'propose_experiment', input: proposal() })], { reader });
    expect((await planner.plan(samplePlanningContext())).kind).toBe('spec');
    expect(asked).toEqual([['read_finding', { id: 'exp-baseline' }]]);
    expect(stub.requests[0]!.body.tools.map((tool: { name: string }) => tool.name)).toEqual([
      'propose_experiment',
      'run_linked_spec',
      'stay_idle',
      'read_finding',
      'read_results',
      'read_spec',
    ]);
    const toolResult = stub.requests[1]!.body.messages[2].content[0];
    expect(toolResult).toEqual({
      type: 'tool_result',
      tool_use_id: 'toolu_read_1',
      content: '# Baseline\n\nSolved in a median of 41 epochs.',
      is_error: false,
    });
  });

  it('stops answering reads after maxReads rounds: a further read counts as a wrong answer', async () => {
    let reads = 0;
    const read = () => messageReply([{ type: 'tool_use', id: `toolu_read_${reads++}`, name: 'read_spec', input: { id: 'exp-baseline' } }], 'tool_use');
    const { stub, planner } = await plannerWith([read(), read(), read(), read()], { reader: async () => 'spec text', maxReads: 2 });
    const error = await planner.plan(samplePlanningContext()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlannerOutputError);
    expect((error as PlannerOutputError).problems[0]).toContain('"read_spec" does not answer this step');
    expect(stub.requests).toHaveLength(4);
  });
});

describe('Claude planner: reasoning and effort', () => {
  it('asks for summarised adaptive thinking at the effort given, and keeps the reasoning in the transcript', async () => {
    const thought = { type: 'thinking', thinking: 'The queue top item is cheap; lr 0.3 is in the space.', signature: 'sig-1' };
    const answer = toolUseReply({ name: 'propose_experiment', input: proposal() });
    const withThinking = { body: { ...(answer.body as object), content: [thought, ...(answer.body as { content: unknown[] }).content] } };
    const { stub, planner } = await plannerWith([withThinking], { effort: 'xhigh' });
    await planner.plan(samplePlanningContext());
    expect(stub.requests[0]!.body).toMatchObject({ thinking: { type: 'adaptive', display: 'summarized' }, output_config: { effort: 'xhigh' } });
    expect(JSON.stringify(planner.transcript().exchanges[0]!.response)).toContain('The queue top item is cheap');
  });
});
