// The cycle budget: the fit rules on measured probe numbers, and a real cycle (real probe on the worker pool, real
// child run) whose experiment would exceed its share of the night, split into experiments queued in TODO.md.
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpec, type ExperimentResults, type SpecInput } from '../../core/index.js';
import { parseSpecText } from '../experiments/spec-file.js';
import { manualClock } from '../io/clock.js';
import { coreHash } from '../io/provenance.js';
import { createBuiltinPlanner } from '../planners/builtin.js';
import { budgetNote, cycleShareSeconds, fitToBudget, type ProbeMeasurement } from './budget.js';
import { fitSpecToBudget } from './budget-probe.js';
import { runCycle } from './cycle.js';
import { createTestWorkspace, removeTestWorkspaces, smallSpec } from './test-helpers/workspace.js';

afterAll(removeTestWorkspaces);

const fiveArms: SpecInput = smallSpec('five-arms', {
  arms: [
    { name: 'lr=0.1', baseline: true, overrides: { lr: 0.1 } },
    { name: 'lr=0.05', overrides: { lr: 0.05 } },
    { name: 'lr=0.2', overrides: { lr: 0.2 } },
    { name: 'lr=0.5', overrides: { lr: 0.5 } },
    { name: 'lr=0.01', overrides: { lr: 0.01 } },
  ],
  seeds: '42-51',
  time_limit: 120,
});

/** Every arm at `msPerEpoch` in a probe of 2 epochs that took `wallMs`. */
function probeOf(input: SpecInput, msPerEpoch: number, wallMs = 0): ProbeMeasurement {
  const arms = (input.arms ?? []).map((arm) => ({ arm: arm.name, epochs: 2, elapsed_ms: 2 * msPerEpoch, crashed: false }));
  return { seed: 42, arms, wall_ms: wallMs };
}

const fit = (input: SpecInput, msPerEpoch: number, shareSeconds: number, workers = 2) =>
  fitToBudget(input as Record<string, unknown>, parseSpec(input), probeOf(input, msPerEpoch), { nightHours: shareSeconds / 3600, share: 1, workers });

describe('fitToBudget', () => {
  it('defaults to 15% of an 8 h night (72 min), or of --hours', () => {
    expect(cycleShareSeconds()).toBe(4320);
    expect(cycleShareSeconds({ nightHours: 2 })).toBe(1080);
  });

  it('leaves a spec that fits as it is, but lowers a time limit that could take the cycle over its share (a ladder step from the estimate)', () => {
    // 5 arms x 10 seeds / 2 workers = 25 waves of (0.25 s + 60 epochs x 10 ms) = 21 s + 5 s of overhead
    const fitted = fit(fiveArms, 10, 600);
    expect(fitted.asked_estimate_s).toBeCloseTo(25 * 0.85 + 5, 5);
    expect(fitted.changes).toEqual([{ key: 'time_limit', from: '120 s', to: '5 s' }]);
    expect(fitted.input).toMatchObject({ seeds: [42, 43, 44, 45, 46, 47, 48, 49, 50, 51], time_limit: 5, arms: fiveArms.arms });
    expect(fitted.queued).toEqual([]);
    // A day's share: 25 waves of runs stopped at the asked 120 s still fit, so the spec runs as written
    const roomy = fit(fiveArms, 10, 24 * 3600);
    expect(roomy.changes).toEqual([]);
    expect(roomy.input).toBe(fiveArms);
  });

  it('never takes seeds from a confirmation (confirm-<id> on ten fresh seeds): its epochs shrink instead', () => {
    const confirmation = smallSpec('confirm-lr', { arms: fiveArms.arms!.slice(0, 2), seeds: '47-56', time_limit: 120 });
    const fitted = fit(confirmation, 10, 9);
    expect(fitted.changes.map((change) => change.key)).not.toContain('seeds');
    expect(fitted.changes.map((change) => change.key)).toContain('max_epochs');
    expect(parseSpec(fitted.input).seeds).toEqual([47, 48, 49, 50, 51, 52, 53, 54, 55, 56]);
    // The same experiment under another id is an ordinary one: it loses seeds first
    expect(fit({ ...confirmation, id: 'lr-pair' }, 10, 9).changes[0]?.key).toBe('seeds');
  });

  it('takes seeds away first, down to the floor of 5', () => {
    // 26.25 s as asked; 8 seeds: 20 waves x 0.85 + 5 = 22 s fits a 22 s share
    const fitted = fit(fiveArms, 10, 22);
    expect(fitted.changes[0]).toEqual({ key: 'seeds', from: '10 seeds', to: '8 seeds' });
    expect(fitted.input['seeds']).toEqual([42, 43, 44, 45, 46, 47, 48, 49]);
    expect(fitted.estimate_s).toBeLessThanOrEqual(22);
    expect(parseSpec(fitted.input).seeds).toHaveLength(8);
  });

  it('splits the arms into experiments of their own, each with the baseline, when the floor of seeds does not fit', () => {
    // 5 seeds x 5 arms = 13 waves = 16 s; the baseline and 2 arms: 8 waves = 11.8 s, fits a 12 s share
    const fitted = fit(fiveArms, 10, 12);
    expect(fitted.changes.find((change) => change.key === 'arms')).toEqual({
      key: 'arms',
      from: 'lr=0.1, lr=0.05, lr=0.2, lr=0.5, lr=0.01',
      to: 'lr=0.1, lr=0.05, lr=0.2',
    });
    const running = parseSpec(fitted.input);
    expect(running.arms.map((arm) => arm.name)).toEqual(['lr=0.1', 'lr=0.05', 'lr=0.2']);
    expect(running.seeds).toHaveLength(5);
    expect(fitted.queued).toHaveLength(1);
    const part = parseSpec(fitted.queued[0]);
    expect(part).toMatchObject({ id: 'five-arms-part-2', motivated_by: 'five-arms', seeds: [42, 43, 44, 45, 46, 47, 48, 49, 50, 51] });
    expect(part.arms.map((arm) => [arm.name, arm.baseline])).toEqual([
      ['lr=0.1', true],
      ['lr=0.5', false],
      ['lr=0.01', false],
    ]);
    expect(fitted.estimate_s).toBeLessThanOrEqual(12);
  });

  it('lowers max_epochs last (never below its floor), and then the time limit bounds every run inside the share', () => {
    const pair = smallSpec('pair', { seeds: '42-46', time_limit: 120 });
    // 5 seeds x 2 arms / 2 workers = 5 waves of 0.25 s + 60 x 100 ms = 31.25 s + 5 s; a 20 s share
    const fitted = fit(pair, 100, 20);
    const epochs = fitted.changes.find((change) => change.key === 'max_epochs');
    expect(epochs?.from).toBe('60');
    expect(Number(epochs?.to)).toBeLessThan(60);
    expect(Number(epochs?.to)).toBeGreaterThanOrEqual(20);
    const running = parseSpec(fitted.input);
    expect(running.base.max_epochs).toBe(Number(epochs?.to));
    expect(running.time_limit).toBeLessThanOrEqual(3);
    expect(fitted.estimate_s).toBeLessThanOrEqual(20);
    // At the floor of 20 epochs it still would not fit 10 s: the time limit censors the runs, 5 waves x 1 s
    const tight = fit(pair, 100, 10);
    expect(tight.over_floor).toBe(true);
    expect(parseSpec(tight.input)).toMatchObject({ time_limit: 1, base: { max_epochs: 20 } });
  });

  it("counts only the runs the ledger does not hold, as long as the time limit (part of a run's key) stays", () => {
    const quick = { ...fiveArms, time_limit: 0.5 };
    const inLedger = new Set(['lr=0.05', 'lr=0.2', 'lr=0.5']);
    const withLedger = fitToBudget(quick as Record<string, unknown>, parseSpec(quick), probeOf(quick, 10), {
      nightHours: 14 / 3600,
      share: 1,
      workers: 2,
      reused: (arm) => inLedger.has(arm),
    });
    // 20 runs to train: 10 waves of at most 0.5 s + 5 s fit 14 s; all 50 would not (30 s)
    expect(withLedger.changes).toEqual([]);
    expect(withLedger.asked_estimate_s).toBe(10);
    expect(fit(quick, 10, 14).changes).toEqual([{ key: 'seeds', from: '10 seeds', to: '7 seeds' }]);
  });

  it('says in a sentence what it changed, from what, and why', () => {
    const fitted = fit(fiveArms, 10, 12);
    expect(budgetNote(fitted, probeOf(fiveArms, 10, 1500))).toBe(
      'The cycle budget changed this experiment: seeds 10 seeds -> 5 seeds; arms lr=0.1, lr=0.05, lr=0.2, lr=0.5, lr=0.01 -> lr=0.1, lr=0.05, lr=0.2; time_limit 120 s -> 0.8 s; ' +
        'the other arms are queued in TODO.md as five-arms-part-2. A probe (2 epochs per arm, seed 42, 1.5 s) put the spec as asked at 26 s with every run to max_epochs, ' +
        "50 min with every run stopped at its time limit, against this cycle's share of 12 s; as run, at most 11 s.",
    );
  });
});

describe('fitSpecToBudget', () => {
  it('does not probe an experiment whose every run the ledger holds: the runner reuses them all', async () => {
    const log: string[] = [];
    const spec = parseSpec(fiveArms);
    const fitted = await fitSpecToBudget(fiveArms as Record<string, unknown>, spec, '', {
      workers: 2,
      now: () => 0,
      log: (line) => log.push(line),
      reused: () => true,
      runner: () => Promise.reject(new Error('the probe ran')),
    });
    expect(fitted).toBeNull();
    expect(log).toEqual(['budget: every run of five-arms is in the ledger and will be reused; no probe']);
  });

  it('leaves the spec as written when a probe run crashes (the experiment then shows the crash)', async () => {
    const log: string[] = [];
    const spec = parseSpec(fiveArms);
    const crashed = (jobs: unknown[]) => Promise.resolve(jobs.map((_, i) => ({ seed: 42, status: 'crashed' as const, message: `job ${i}`, elapsed_ms: 1 })));
    const fitted = await fitSpecToBudget(fiveArms as Record<string, unknown>, spec, '', {
      workers: 2,
      now: () => 0,
      log: (line) => log.push(line),
      runner: crashed,
      nightHours: 1 / 3600,
    });
    expect(fitted).toBeNull();
    expect(log[0]).toMatch(/^budget: the probe run of lr=0\.1, lr=0\.05, .* crashed; five-arms runs as written$/);
  });
});

describe('a cycle over its share of the night', () => {
  it('is split: the baseline and one arm run now, the other arms are queued in TODO.md with their specs, and the spec says why', async () => {
    const spec = smallSpec('four-arms', {
      arms: [
        { name: 'lr=0.1', baseline: true, overrides: { lr: 0.1 } },
        { name: 'lr=0.05', overrides: { lr: 0.05 } },
        { name: 'lr=0.2', overrides: { lr: 0.2 } },
        { name: 'wd=0', overrides: { wd: 0 } },
      ],
      seeds: '42-51',
    });
    const todo = '# TODO\n\n## Queue\n\n- [ ] Four arms (spec: [four-arms](experiments/four-arms.md)) <!-- id: four-arms -->\n';
    const workspace = await createTestWorkspace({ todo, specs: [spec] });
    const log: string[] = [];
    // A 7 s share: 5 seeds x 4 arms on 2 workers is 10 waves of at least 0.25 s + 5 s: it cannot fit whole.
    const outcome = await runCycle({
      workspace: workspace.dir,
      planner: createBuiltinPlanner(),
      clock: manualClock(new Date('2026-11-22T02:00:00Z')),
      expectedCoreHash: await coreHash(),
      workers: 2,
      budget: { nightHours: 7 / 3600, share: 1 },
      log: (line) => log.push(line),
    });

    expect(outcome).toMatchObject({ status: 'committed', experiment_id: 'four-arms' });
    expect(log.find((line) => line.startsWith('budget: probe'))).toMatch(/lr=0\.1 \d+ ms\/epoch/);
    const results = JSON.parse(workspace.read('results/four-arms/results.json')) as ExperimentResults;
    expect(results.arms.map((arm) => arm.name)).toEqual(['lr=0.1', 'lr=0.05']);
    expect(results.arms.map((arm) => arm.runs.length)).toEqual([5, 5]);
    expect(results.spec.time_limit).toBeLessThanOrEqual(spec.time_limit!);
    const { spec: written, body } = parseSpecText(workspace.read('experiments/four-arms.md'), 'four-arms.md');
    expect(written.arms.map((arm) => arm.name)).toEqual(['lr=0.1', 'lr=0.05']);
    expect(body).toMatch(
      /## Budget\n\nThe cycle budget changed this experiment: seeds 10 seeds -> 5 seeds; arms lr=0\.1, lr=0\.05, lr=0\.2, wd=0 -> lr=0\.1, lr=0\.05/,
    );
    const todoText = workspace.read('TODO.md');
    const parts: [string, string][] = [
      ['four-arms-part-2', 'lr=0.2'],
      ['four-arms-part-3', 'wd=0'],
    ];
    for (const [part, arm] of parts) {
      expect(todoText).toMatch(
        new RegExp(`- \\[ \\] .*arms ${arm.replace('.', '\\.')} against the baseline \\(split off four-arms by the cycle budget\\).*experiments/${part}\\.md`),
      );
      const queued = parseSpecText(workspace.read(`experiments/${part}.md`), part).spec;
      expect(queued.arms.map((candidate) => candidate.name)).toEqual(['lr=0.1', arm]);
      expect(queued.seeds).toHaveLength(10);
    }
    expect(workspace.git('log', '-1', '--format=%B')).toContain('The cycle budget changed this experiment');
    expect(workspace.status()).toBe('');
  });
});
