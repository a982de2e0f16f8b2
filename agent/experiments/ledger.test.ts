// The ledger: every run of a workspace keyed by (config, seed, limits, tracking, core hash). A second
// experiment that shares runs with a recorded one takes them from the ledger (same results_hash as training
// them), and only what is new is trained; a different core, a timeout or a crash is never reused.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpec, type ExperimentResults } from '../../core/index.js';
import { runLab } from '../cycle/test-helpers/lab-process.js';
import { smallSpec } from '../cycle/test-helpers/workspace.js';
import { knownRun, ledgerOf, readLedger, reusableRun, specJobs, specRunKeys } from './ledger.js';
import { renderSpecText } from './spec-file.js';

const directories: string[] = [];
afterAll(() => directories.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

function workspace(): string {
  const directory = mkdtempSync(join(tmpdir(), 'parity-lab-ledger-'));
  directories.push(directory);
  mkdirSync(join(directory, 'experiments'));
  return directory;
}

const first = smallSpec('first', { seeds: '42-44', seeds_reason: 'a test of the ledger, kept small' });
// Shares the lr=0.1 arm and seeds 42-44 with `first`, adds lr=0.3 and seed 45.
const second = smallSpec('second', {
  seeds: '42-45',
  seeds_reason: 'a test of the ledger, kept small',
  arms: [
    { name: 'base', baseline: true, overrides: { lr: 0.1 } },
    { name: 'lr=0.3', overrides: { lr: 0.3 } },
  ],
});

const readResults = (directory: string, id: string) => JSON.parse(readFileSync(join(directory, `results/${id}/results.json`), 'utf8')) as ExperimentResults;

describe('the ledger', () => {
  const shared = workspace();
  const alone = workspace();

  it('takes identical runs from earlier experiments instead of training them, and says so', async () => {
    writeFileSync(join(shared, 'experiments/first.md'), renderSpecText(first, '\nfirst\n'));
    writeFileSync(join(shared, 'experiments/second.md'), renderSpecText(second, '\nsecond\n'));
    const firstRun = await runLab(['run', 'experiments/first.md', '--workspace', shared, '--no-finding'], shared);
    expect(firstRun.code, firstRun.stderr).toBe(0);
    const run = await runLab(['run', 'experiments/second.md', '--workspace', shared, '--no-finding'], shared);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/running second: 5 runs \(3 identical runs taken from the ledger\)/);
    const results = readResults(shared, 'second');
    expect(results.provenance.reused_runs).toEqual([42, 43, 44].map((seed) => ({ arm: 'base', seed, from: 'first' })));
    const ledger = await readLedger(shared);
    expect(ledger.runs).toHaveLength(6 + 8);
    expect(ledger.byKey.size).toBe(6 + 5); // the three shared runs have one key each
    expect(ledger.problems).toEqual([]);
  });

  it('gives the same results_hash as training every run (--fresh), in a workspace without the earlier runs', async () => {
    writeFileSync(join(alone, 'experiments/second.md'), renderSpecText(second, '\nsecond\n'));
    const run = await runLab(['run', 'experiments/second.md', '--workspace', alone, '--no-finding', '--fresh'], alone);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/running second: 8 runs\n/);
    const fresh = readResults(alone, 'second');
    expect(fresh.provenance.reused_runs).toBeUndefined();
    expect(fresh.results_hash).toBe(readResults(shared, 'second').results_hash);
  });

  it('never reuses a run of another core, a timed-out run or a crashed one', () => {
    const results = readResults(shared, 'first');
    const spec = parseSpec(results.spec);
    const job = specJobs(spec)[0]!;
    const core = results.provenance.core_hash;
    const ledger = ledgerOf([results]);
    expect(reusableRun(ledger, job, core)?.experiment_id).toBe('first');
    expect(reusableRun(ledger, job, 'f'.repeat(64))).toBeNull();
    expect(specRunKeys(spec, core)).toEqual(ledger.runs.map((entry) => entry.key));
    const timedOut = structuredClone(results);
    timedOut.arms[0]!.runs[0] = { ...timedOut.arms[0]!.runs[0]!, status: 'timeout' } as never;
    expect(reusableRun(ledgerOf([timedOut]), job, core)).toBeNull();
    const crashed = structuredClone(results);
    crashed.arms[0]!.runs[0] = { seed: 42, status: 'crashed', message: 'boom', elapsed_ms: 1 };
    expect(reusableRun(ledgerOf([crashed]), job, core)).toBeNull();
  });

  it('reuses a run that ended on its own under another time limit when it fits this one, and only then', () => {
    const results = readResults(shared, 'first');
    const job = specJobs(parseSpec(results.spec))[0]!;
    const core = results.provenance.core_hash;
    const ledger = ledgerOf([results]);
    const elapsed = ledger.runs[0]!.run.elapsed_ms;
    const lower = { ...job, timeLimitMs: Math.ceil(elapsed) + 1 };
    expect(lower.timeLimitMs).toBeLessThan(job.timeLimitMs);
    expect(reusableRun(ledger, lower, core)?.experiment_id).toBe('first');
    expect(reusableRun(ledger, { ...job, timeLimitMs: job.timeLimitMs * 2 }, core)?.experiment_id).toBe('first');
    // A limit the recorded run would have crossed: it might have stopped earlier, so it is trained again.
    const tooShort = { ...job, timeLimitMs: elapsed / 2 };
    expect(reusableRun(ledger, tooShort, core)).toBeNull();
    expect(knownRun(ledger, tooShort, core)).toBeNull();
    const timedOut = structuredClone(results);
    timedOut.arms[0]!.runs[0] = { ...timedOut.arms[0]!.runs[0]!, status: 'timeout' } as never;
    expect(reusableRun(ledgerOf([timedOut]), { ...job, timeLimitMs: job.timeLimitMs * 2 }, core)).toBeNull();
    // Still a known run under its own key (the planners do not propose it again), though never reused.
    expect(knownRun(ledgerOf([timedOut]), job, core)?.experiment_id).toBe('first');
    expect(reusableRun(ledger, { ...lower, track: !lower.track }, core)).toBeNull();
  });

  it('names an unreadable results file instead of failing', async () => {
    const directory = workspace();
    mkdirSync(join(directory, 'results/broken'), { recursive: true });
    writeFileSync(join(directory, 'results/broken/results.json'), '{"schema_version": 2');
    const ledger = await readLedger(directory);
    expect(ledger.runs).toEqual([]);
    expect(ledger.problems).toEqual([expect.stringMatching(/^results\/broken\/results\.json: not valid JSON/)]);
  });
});
