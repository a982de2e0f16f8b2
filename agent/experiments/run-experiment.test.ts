// `lab run` and `lab reproduce` end to end, as real child processes on worker threads, in temp dirs:
// results with provenance and a hash that repeats across runs, a finding whose numbers come from them,
// figures beside it, and a malformed spec refused with nothing written.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExperimentResults } from '../../core/index.js';
import { runLab } from '../cycle/test-helpers/lab-process.js';
import { smallSpec } from '../cycle/test-helpers/workspace.js';
import { renderSpecText } from './spec-file.js';

const directories: string[] = [];
afterAll(() => directories.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

function workspaceWith(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'parity-lab-run-'));
  directories.push(directory);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, path)), { recursive: true });
    writeFileSync(join(directory, path), text);
  }
  return directory;
}

function allFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true }).map(String).sort();
}

const spec = renderSpecText(
  smallSpec('tiny-lr', { seeds: '42-45', seeds_reason: 'kept small so the test stays fast' }),
  '\nA tiny experiment for the end-to-end test.\n',
);

describe('lab run', () => {
  const first = workspaceWith({ 'experiments/tiny-lr.md': spec });
  const second = workspaceWith({ 'experiments/tiny-lr.md': spec });
  let results: ExperimentResults;

  it('runs every arm x seed, writes results with provenance, a finding from them and its figures', async () => {
    const run = await runLab(['run', 'experiments/tiny-lr.md', '--workspace', first], first);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/running tiny-lr: 8 runs/);
    expect(run.stderr).toMatch(/\[8\/8\] .*seed \d+: .*left\)/); // plain progress lines when not a terminal
    results = JSON.parse(readFileSync(join(first, 'results/tiny-lr/results.json'), 'utf8')) as ExperimentResults;
    expect(results.arms.map((arm) => [arm.name, arm.runs.length])).toEqual([
      ['lr=0.1', 4],
      ['lr=0.2', 4],
    ]);
    expect(Object.keys(results.provenance)).toEqual(
      expect.arrayContaining(['spec_hash', 'core_hash', 'package_version', 'node_version', 'git_commit', 'started_at']),
    );
    expect(results.results_hash).toMatch(/^[0-9a-f]{64}$/);
    const finding = readFileSync(join(first, 'findings/tiny-lr.md'), 'utf8');
    expect(finding).toContain(`results_hash: ${results.results_hash}`);
    for (const arm of results.summary.arms) {
      // The Results row of each arm shows the solved count recorded in results.json.
      expect(finding).toMatch(new RegExp(`\\| ${arm.name.replace('.', '\\.')} +\\| +${arm.solved}/${arm.runs} \\|`));
    }
    const links = [...finding.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThanOrEqual(2);
    for (const link of links) expect(readFileSync(join(first, 'findings', link), 'utf8')).toMatch(/^<svg/);
    expect(allFiles(first).filter((file) => file.includes('lab-tmp'))).toEqual([]);
  });

  it('gives the same results_hash when the spec runs again elsewhere', async () => {
    const run = await runLab(['run', 'experiments/tiny-lr.md', '--workspace', second, '--json', '--workers', '1'], second);
    expect(run.code).toBe(0);
    const again = JSON.parse(run.stdout) as ExperimentResults;
    expect(again.results_hash).toBe(results.results_hash);
    expect(again.provenance.workers).toBe(1);
  });

  it('reproduces a finished experiment, and names what differs when the record was changed', async () => {
    const ok = await runLab(['reproduce', 'tiny-lr', '--workspace', first], first);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('results_hash: match');
    expect(ok.stdout).toContain('reproduced: identical results');
    const path = join(second, 'results/tiny-lr/results.json');
    const tampered = JSON.parse(readFileSync(path, 'utf8')) as ExperimentResults;
    tampered.results_hash = 'f'.repeat(64);
    tampered.summary.arms[1]!.solved = 0;
    writeFileSync(path, JSON.stringify(tampered));
    const bad = await runLab(['reproduce', 'tiny-lr', '--workspace', second], second);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('results_hash: DIFFERENT');
    expect(bad.stdout).toMatch(/DIFF lr=0\.2 solved: 0\/4 ->/);
    expect(bad.stdout).toContain('NOT reproduced');
  });

  it('refuses a malformed spec with the file, field, value and fix, and writes nothing', async () => {
    const broken = spec.replace('lr: 0.2', 'lr: -1');
    const workspace = workspaceWith({ 'experiments/broken.md': broken });
    const run = await runLab(['run', 'experiments/broken.md', '--workspace', workspace], workspace);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/experiments\/broken\.md: invalid experiment spec/);
    expect(run.stderr).toMatch(/arms\.1\.overrides\.lr \(got -1\): Too small: expected number to be >0/);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/); // a message, not a stack trace
    expect(allFiles(workspace)).toEqual(['experiments', 'experiments/broken.md']);
  });
});
