// The Claude planner and the ledger of runs: a proposal whose every run already exists is sent back.
import { describe, expect, it } from 'vitest';
import { ledgerOf } from '../experiments/ledger.js';
import { toolUseReply } from '../llm/test-helpers/anthropic-replies.js';
import { samplePlanningContext, sampleResults, validSpecInput } from '../llm/test-helpers/planning-context.js';
import { startStubServer } from '../llm/test-helpers/stub-server.js';
import { createClaudePlanner } from './claude.js';

const apiKey = 'sk-ant-test-ledger-0123456789';

/** sampleResults() with its five runs per arm filled in, as the ledger needs them. */
function ranResults() {
  const results = sampleResults();
  const run = (seed: number) => ({ seed, status: 'ok', solved: true, epochs: 40, elapsed_ms: 100, history: [] }) as never;
  return { ...results, arms: results.arms.map((arm) => ({ ...arm, runs: results.spec.seeds.map(run) })) };
}

describe('Claude planner: the ledger', () => {
  it('sends back a proposal whose every run is already in the ledger, naming the experiment that made them', async () => {
    const results = ranResults();
    const context = samplePlanningContext({ ledger: ledgerOf([results]), coreHash: results.provenance.core_hash, existingSpecIds: ['exp-baseline'] });
    const again = { spec: validSpecInput('exp-lr-again'), body: '## Question\n\nAgain?', item_id: 'lr-sweep', rationale: 'Once more.' };
    const changed = { ...again, spec: { ...validSpecInput('exp-lr-again'), seeds: '47-51' } };
    const stub = await startStubServer([
      toolUseReply({ name: 'propose_experiment', input: again }),
      toolUseReply({ name: 'propose_experiment', input: changed }),
    ]);
    const planner = createClaudePlanner({ apiKey, baseURL: stub.url, maxRetries: 0 });

    const plan = await planner.plan(context);

    expect(plan).toMatchObject({ kind: 'spec', spec: { seeds: '47-51' } });
    expect(JSON.stringify(stub.requests[1]!.body.messages[2])).toContain('every run of it is already in the ledger (exp-lr-sweep)');
  });
});
