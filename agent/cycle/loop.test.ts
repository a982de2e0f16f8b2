// The overnight loop with the built-in planner, offline: three cycles, the later ones running follow-ups
// the planner wrote itself (spec and TODO item committed by the cycle before), one commit each.
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../io/clock.js';
import { coreHash } from '../io/provenance.js';
import { createBuiltinPlanner } from '../planners/builtin.js';
import { isCircuitOpen, isCycleCount, runLoop, type LoopState } from './loop.js';
import type { CycleOutcome } from './cycle-types.js';
import { createTestWorkspace, removeTestWorkspaces, smallSpec } from './test-helpers/workspace.js';

afterAll(removeTestWorkspaces);

describe('the loop with the built-in planner', () => {
  it('runs three cycles, the second and third on follow-ups it wrote itself, one commit each', async () => {
    const workspace = await createTestWorkspace({
      todo: '# TODO\n\n## Queue\n\n- [ ] Tiny lr (experiments/tiny-lr.md) <!-- id: tiny-lr -->\n',
      specs: [smallSpec('tiny-lr')],
    });
    const base = workspace.head();

    const summary = await runLoop({
      workspace: workspace.dir,
      planner: createBuiltinPlanner(),
      clock: manualClock(new Date('2026-11-22T02:00:00Z')),
      expectedCoreHash: await coreHash(),
      workers: 2,
      log: () => {},
      stopWhen: [isCycleCount(3)],
    });

    expect(summary).toMatchObject({ stopReason: '3 cycles done', error: null, spentUsd: 0 });
    const committed = summary.outcomes.map((outcome) => (outcome.status === 'committed' ? outcome : null));
    expect(committed.every((outcome) => outcome !== null)).toBe(true);
    const ids = committed.map((outcome) => outcome!.experiment_id);
    expect(ids[0]).toBe('tiny-lr');
    expect(new Set(ids).size).toBe(3);
    const commits = workspace.git('rev-list', '--reverse', `${base}..HEAD`).trim().split('\n');
    expect(commits).toEqual(committed.map((outcome) => outcome!.commit));
    const todo = workspace.read('TODO.md');
    for (const [cycle, id] of ids.entries()) {
      const trailers = workspace.git('log', '-1', '--format=%(trailers:key=Experiment,key=Planner,valueonly,separator=%x2C)', commits[cycle]!).trim();
      expect(trailers).toBe(`experiments/${id}.md,builtin`);
      expect(todo).toContain(`→ [finding](findings/${id}.md) ${committed[cycle]!.class}`);
      if (cycle === 0) continue;
      // A follow-up: an earlier cycle wrote its spec and its TODO item, citing that cycle's finding (a WIN writes
      // two follow-ups, so the third cycle may run the first cycle's second one).
      const writer = commits
        .slice(0, cycle)
        .findIndex((commit) => workspace.git('show', '--name-only', '--format=', commit).split('\n').includes(`experiments/${id}.md`));
      expect(writer).toBeGreaterThanOrEqual(0);
      const previous = ids[writer]!;
      const item = todo.split('\n').find((line) => line.includes(`<!-- id: ${id} -->`))!;
      expect(item).toMatch(new RegExp(`^- \\[x\\] .*\\(from \\[${previous}\\]\\(findings/${previous}\\.md\\)\\) → \\[finding\\]`));
    }
    // Follow-ups the cycles wrote and did not run yet stay open, each citing its finding.
    expect(todo.slice(todo.indexOf('## Follow-ups'))).toMatch(/- \[ \] .*\(from \[[a-z0-9-]+\]\(findings\/[a-z0-9-]+\.md\)\)/);
    expect(workspace.status()).toBe('');
  });
});

describe('the circuit breaker', () => {
  const usage = { input_tokens: 0, output_tokens: 0, cost_usd: 0, requests: 0 };
  const invalid: CycleOutcome = { status: 'invalid', class: 'INVALID', experiment_id: 'x', commit: 'c', reason: 'bad spec', usage };
  const outage: CycleOutcome = { status: 'outage', reason: 'the Claude API was unavailable', usage };
  const state = (outcomes: CycleOutcome[]): LoopState => ({ outcomes, startedAtMs: 0, nowMs: 0, spentUsd: 0 });

  it('opens after three INVALID cycles in a row and never counts an API outage, not even between them', () => {
    expect(isCircuitOpen(state([invalid, invalid, invalid]))).toBe('circuit breaker: 3 INVALID cycles in a row');
    expect(isCircuitOpen(state([outage, outage, outage, outage, outage]))).toBeNull();
    expect(isCircuitOpen(state([invalid, outage, invalid, outage, invalid]))).toBe('circuit breaker: 3 INVALID cycles in a row');
  });
});
