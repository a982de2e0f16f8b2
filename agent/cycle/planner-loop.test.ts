// The built-in planner doing research in a real temp workspace (real cycles, real child runs, tiny configs):
// a WIN is confirmed on fresh seeds before DISCOVERIES.md has it, the climb establishes the baseline at the new
// size before the comparison there, no run is trained twice (the ledger reuses it), and an optimizer's LOSS
// brings its learning-rate ladder first.
import { afterAll, describe, expect, it } from 'vitest';
import { readLedger } from '../experiments/ledger.js';
import { readResultsFile } from '../experiments/results-file.js';
import { manualClock } from '../io/clock.js';
import { coreHash } from '../io/provenance.js';
import { createBuiltinPlanner } from '../planners/builtin.js';
import { isCycleCount, runLoop } from './loop.js';
import { createTestWorkspace, removeTestWorkspaces, smallSpec, type TestWorkspace } from './test-helpers/workspace.js';

afterAll(removeTestWorkspaces);

async function loop(workspace: TestWorkspace, cycles: number): Promise<string[]> {
  const summary = await runLoop({
    workspace: workspace.dir,
    planner: createBuiltinPlanner(),
    clock: manualClock(new Date('2026-11-22T02:00:00Z')),
    expectedCoreHash: await coreHash(),
    workers: 2,
    log: () => {},
    stopWhen: [isCycleCount(cycles)],
  });
  expect(summary.error).toBeNull();
  return summary.outcomes.map((outcome) => (outcome.status === 'committed' ? outcome.experiment_id : `(${outcome.status})`));
}

const queueOf = (id: string) => `# TODO\n\n## Queue\n\n- [ ] ${id} (experiments/${id}.md) <!-- id: ${id} -->\n`;

describe('the built-in planner in a temp workspace', () => {
  it('confirms a WIN on seeds 47-56 before DISCOVERIES.md has it, climbs with the baseline first, and trains no run twice', async () => {
    const spec = smallSpec('tiny-lr', {
      arms: [
        { name: 'lr=0.02', baseline: true, overrides: { lr: 0.02 } },
        { name: 'lr=0.2', overrides: { lr: 0.2 } },
      ],
    });
    const workspace = await createTestWorkspace({ todo: queueOf('tiny-lr'), specs: [spec] });
    const base = workspace.head();
    const ids = await loop(workspace, 5);
    const results = await Promise.all(ids.map((id) => readResultsFile(workspace.dir, id)));
    expect(results[0]!.summary.class).toBe('WIN');

    // The WIN's own cycle adds nothing to DISCOVERIES.md; the confirmation (seeds 47-56, the two arms) does.
    expect(ids[1]).toBe('confirm-tiny-lr');
    expect(results[1]!.spec.seeds).toEqual([47, 48, 49, 50, 51, 52, 53, 54, 55, 56]);
    expect(results[1]!.arms.map((arm) => arm.name)).toEqual(['lr=0.02', 'lr=0.2']);
    const commits = workspace.git('rev-list', '--reverse', `${base}..HEAD`).trim().split('\n');
    expect(workspace.git('show', '--name-only', '--format=', commits[0]!)).not.toContain('DISCOVERIES.md');
    expect(workspace.git('show', `${commits[1]}:DISCOVERIES.md`)).toMatch(
      /- lr=0\.2 helps against lr=0\.02: .*confirmed on seeds 47-56\) \(\[finding\]\(findings\/confirm-tiny-lr\.md\)\)/,
    );
    expect(workspace.read('AGENDA.md')).toContain(
      '- lr=0.2: WIN at n_bits=8, k=2, hidden=32, lr=0.02, n_train=256, n_test=128, max_epochs=60 [held] (findings/confirm-tiny-lr.md)',
    );

    // One size up (n_bits 10): the baseline alone, then the comparison, whose baseline runs are the same runs.
    const atTen = (index: number) => results[index]!.arms.every((arm) => arm.config.n_bits === 10);
    const baselineAt = results.findIndex((entry, index) => atTen(index) && entry.arms.length === 1);
    const comparisonAt = results.findIndex((entry, index) => atTen(index) && entry.arms.length === 2);
    expect(baselineAt).toBeGreaterThan(1);
    expect(comparisonAt).toBeGreaterThan(baselineAt);
    expect(results[comparisonAt]!.provenance.reused_runs).toEqual(
      results[comparisonAt]!.spec.seeds.map((seed) => ({ arm: 'lr=0.02', seed, from: ids[baselineAt] })),
    );

    // Across the whole night, a run key that appears twice was taken from the ledger the second time.
    const ledger = await readLedger(workspace.dir);
    const seen = new Set<string>();
    for (const run of ledger.runs) {
      if (seen.has(run.key)) {
        const reused = results.find((entry) => entry.id === run.experiment_id)!.provenance.reused_runs ?? [];
        expect(reused).toContainEqual(expect.objectContaining({ arm: run.arm, seed: run.seed }));
      }
      seen.add(run.key);
    }
    expect(workspace.status()).toBe('');
  }, 240_000);

  it("answers an optimizer's LOSS with its learning-rate ladder (x0.1, x0.5, x2 of the base lr) before anything else", async () => {
    const spec = smallSpec('tiny-sign', {
      arms: [
        { name: 'sgd', baseline: true, overrides: { lr: 0.5 } },
        { name: 'sign-sgd', overrides: { lr: 0.5, optimizer: 'sign-sgd' } },
      ],
    });
    const workspace = await createTestWorkspace({ todo: queueOf('tiny-sign'), specs: [spec] });
    const ids = await loop(workspace, 2);
    const [loss, ladder] = await Promise.all(ids.map((id) => readResultsFile(workspace.dir, id)));
    expect(loss!.summary.class).toBe('LOSS');
    expect(ladder!.id).toMatch(/^ladder-optimizer-sign-sgd/);
    const arms = ladder!.arms.map((arm) => [arm.baseline, arm.config.optimizer, arm.config.lr]);
    expect(arms).toEqual([
      [true, 'sgd', 0.5],
      [false, 'sign-sgd', 0.05],
      [false, 'sign-sgd', 0.25],
      [false, 'sign-sgd', 0.5],
      [false, 'sign-sgd', 1],
    ]);
    // The rung at the base lr is the LOSS's own arm: taken from the ledger, not trained again.
    expect(ladder!.provenance.reused_runs?.filter((run) => run.from === 'tiny-sign').length).toBe(10);
    expect(workspace.read('DISCOVERIES.md')).not.toContain('sign-sgd');
  }, 240_000);
});
