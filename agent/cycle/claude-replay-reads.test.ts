// A Claude cycle whose model read a file first (read_spec) is recorded with what it read, and replays offline.
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../io/clock.js';
import { coreHash } from '../io/provenance.js';
import { messageReply, toolUseReply } from '../llm/test-helpers/anthropic-replies.js';
import { startStubServer } from '../llm/test-helpers/stub-server.js';
import { parseTranscript } from '../llm/transcript.js';
import { workspaceReader } from '../planners/claude-read-tools.js';
import { createClaudePlanner, createClaudeReplayPlanner, type ClaudePlanner } from '../planners/claude.js';
import { runCycle } from './cycle.js';
import { cloneTestWorkspace, createTestWorkspace, removeTestWorkspaces, type TestWorkspace } from './test-helpers/workspace.js';

afterAll(removeTestWorkspaces);

const options = (workspace: TestWorkspace, planner: ClaudePlanner, hash: string) => ({
  workspace: workspace.dir,
  planner,
  clock: manualClock(new Date('2026-11-22T02:00:00Z')),
  expectedCoreHash: hash,
  workers: 2,
  log: () => {},
});

describe('the read tools in a recorded cycle', () => {
  it('answers read_spec from the workspace, records it, and replays the cycle offline from the commit before', async () => {
    const recorded = await createTestWorkspace();
    const stub = await startStubServer([
      messageReply([{ type: 'tool_use', id: 'toolu_read_spec', name: 'read_spec', input: { id: 'tiny-hidden' } }], 'tool_use'),
      toolUseReply({ name: 'run_linked_spec', input: { item_id: 'tiny-lr', rationale: 'Read tiny-hidden; tiny-lr comes first.' } }),
      toolUseReply({
        name: 'record_interpretation',
        input: { narrative: { worked: ['Solved.'], didnt: [], surprise: [], open_questions: [] }, follow_ups: [], discoveries: [] },
      }),
    ]);
    const hash = await coreHash();
    const planner = createClaudePlanner({ apiKey: 'sk-ant-test-reads-0123456789', baseURL: stub.url, maxRetries: 0, reader: workspaceReader(recorded.dir) });

    expect(await runCycle(options(recorded, planner, hash))).toMatchObject({ status: 'committed', experiment_id: 'tiny-lr' });
    const sent = JSON.stringify(stub.requests[1]!.body.messages[2].content[0]);
    expect(sent).toContain('Does hidden 64 solve 8-bit parity (k=2) in fewer epochs than hidden 32?');
    await stub.close();

    const transcript = parseTranscript(recorded.read('results/tiny-lr/llm-transcript.json'));
    const fresh = cloneTestWorkspace(recorded, 'HEAD~1');
    const replay = createClaudeReplayPlanner(transcript, 'llm-transcript.json', workspaceReader(fresh.dir));
    expect(await runCycle(options(fresh, replay, hash))).toMatchObject({ status: 'committed', experiment_id: 'tiny-lr' });
    expect(fresh.read('TODO.md')).toBe(recorded.read('TODO.md'));
  });
});
