import { posix } from 'node:path';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { parseSpec, type CrashedRun, type ExperimentResults, type RunResult } from '../../core/index.js';
import type { Narrative } from '../domain.js';
import { parseFindingFrontMatter } from '../workspace/findings-index.js';
import { findingSections, renderFinding, renderInvalidFinding, type RenderFindingOptions } from './render.js';
import { buildFixtureResults, fixtureSpecInput } from './test-helpers/fixture.js';

const options: RenderFindingOptions = {
  date: '2026-03-16',
  resultsPath: 'results/exp-egd-vs-sgd/results.json',
  figureDir: 'exp-egd-vs-sgd',
  reproduceCommand: 'npx lab run experiments/exp-egd-vs-sgd.md',
};

/** The Results section's table as header + rows of trimmed cells. */
function resultsTable(markdown: string): { header: string[]; rows: Record<string, string>[] } {
  const section = markdown.split('## Results')[1]!.split('\n## ')[0]!;
  const lines = section.split('\n').filter((line) => line.startsWith('|'));
  const cells = (line: string) =>
    line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
  const header = cells(lines[0]!);
  const rows = lines.slice(2).map((line) => Object.fromEntries(cells(line).map((cell, i) => [header[i]!, cell])));
  return { header, rows };
}

/** Independent arithmetic (not the renderer's helpers) for what a cell must say. */
function plainMedian(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function runsOf(results: ExperimentResults, armName: string): RunResult[] {
  return results.arms.find((arm) => arm.name === armName)!.runs as RunResult[];
}

describe('renderFinding', () => {
  it('renders every Results number from the runs and the summary of the results file', async () => {
    const results = buildFixtureResults();
    const { rows, header } = resultsTable((await renderFinding(results, options)).markdown);
    expect(header).toEqual([
      'Arm',
      'Solved',
      'Mean best acc',
      'Epochs to 90%',
      'Epochs to solve',
      'Time',
      'ARD',
      'DMC',
      'Energy',
      'Failed runs',
      'Median epochs to solve [95% CI]',
      'vs sgd: ratio [95% CI], p',
      'Class',
    ]);
    expect(rows.map((row) => row.Arm)).toEqual(['sgd', 'egd', 'egd-lr0.005']);
    for (const row of rows) {
      const runs = runsOf(results, row.Arm!);
      const summary = results.summary.arms.find((arm) => arm.name === row.Arm)!;
      const meanBest = runs.reduce((sum, run) => sum + run.best_test_acc, 0) / runs.length;
      expect(row.Solved).toBe(`${runs.filter((run) => run.best_test_acc >= 0.95).length}/${runs.length}`);
      expect(row['Mean best acc']).toBe(`${Number((meanBest * 100).toFixed(1))}%`);
      const solveEpochs = runs.flatMap((run) => (run.solve_epoch === null ? [] : [run.solve_epoch]));
      const solveCell = `${plainMedian(solveEpochs)}${solveEpochs.length < runs.length ? ` (${solveEpochs.length}/${runs.length})` : ''}`;
      expect(row['Epochs to solve']).toBe(solveCell);
      const epoch90 = runs.flatMap((run) => (run.epoch_90 === null ? [] : [run.epoch_90]));
      expect(row['Epochs to 90%']!.split(' ')[0]).toBe(String(plainMedian(epoch90)));
      expect(row.Time).toBe(`${Math.round(plainMedian(runs.map((run) => run.elapsed_ms))).toLocaleString('en-US')} ms`);
      expect(row.Class).toBe(summary.class);
    }
    const [sgd, egd, slow] = rows as [Record<string, string>, Record<string, string>, Record<string, string>];
    expect(sgd['Median epochs to solve [95% CI]']).toBe('40 [37, 44]');
    expect(egd['Median epochs to solve [95% CI]']).toBe('21 [19, 23]');
    expect(slow['Median epochs to solve [95% CI]']).toBe('150 [120, —]');
    expect(sgd['vs sgd: ratio [95% CI], p']).toBe('baseline');
    expect(egd['vs sgd: ratio [95% CI], p']).toBe('0.53x [0.45, 0.60], p=0.008');
    expect(slow['vs sgd: ratio [95% CI], p']).toBe('3.75x [3.00, —], p=0.008');
    const egdArd = plainMedian(runsOf(results, 'egd').map((run) => run.memory!.ard));
    expect(egd.ARD).toBe(`${(egdArd / 1000).toFixed(1)}k floats`);
    expect(egd.Energy).toBe(`${(plainMedian(runsOf(results, 'egd').map((run) => run.memory!.energy_pj)) / 1e6).toFixed(1)} µJ`);
    expect(sgd.ARD).toBe('—');
    expect(slow['Failed runs']).toBe('1 diverged');
    expect(sgd['Failed runs']).toBe('0');
  });

  it('writes the sections in order, under front matter that parses back with the stable keys', async () => {
    const results = buildFixtureResults();
    const { markdown } = await renderFinding(results, options);
    const headings = [...markdown.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual([...findingSections]);
    expect(markdown).toMatch(/### What worked[\s\S]*### What didn't work[\s\S]*### Surprise/);
    const { data } = matter(markdown);
    expect(Object.keys(data)).toEqual([
      'id',
      'title',
      'date',
      'class',
      'question',
      'primary_metric',
      'direction',
      'headline',
      'best_arm',
      'results',
      'results_hash',
      'arms',
    ]);
    expect(data).toMatchObject({
      id: 'exp-egd-vs-sgd',
      date: '2026-03-16',
      class: 'WIN',
      primary_metric: 'solve_epoch',
      direction: 'lower',
      best_arm: 'egd',
      results: 'results/exp-egd-vs-sgd/results.json',
      results_hash: results.results_hash,
    });
    expect(data.arms.egd).toEqual({
      solved: '5/5',
      solve_rate: 1,
      median_solve_epoch: 21,
      ratio: 0.525,
      ratio_ci_low: 0.45,
      ratio_ci_high: 0.6,
      p_value: 0.00793651,
      class: 'WIN',
    });
    expect(data.arms['egd-lr0.005']).toMatchObject({ solved: '3/5', solve_rate: 0.6, ratio_ci_high: null, class: 'LOSS' });
    expect(markdown).toContain('```sh\nnpx lab run experiments/exp-egd-vs-sgd.md\n```');
  });

  it('writes front matter the findings index accepts, valid and invalid findings alike', async () => {
    const { markdown } = await renderFinding(buildFixtureResults(), options);
    const summary = parseFindingFrontMatter(markdown, 'findings/exp-egd-vs-sgd.md');
    expect(summary).toMatchObject({ id: 'exp-egd-vs-sgd', class: 'WIN', best_arm: 'egd', results_path: 'results/exp-egd-vs-sgd/results.json' });
    expect(summary.arms.sgd).toMatchObject({ solved: '5/5', median_solve_epoch: 40, class: 'BASELINE' });
    const invalid = renderInvalidFinding({ id: 'exp-broken', date: '2026-03-17', question: 'Does it run?', reason: 'boom' });
    expect(parseFindingFrontMatter(invalid.markdown, 'findings/exp-broken.md')).toMatchObject({ class: 'INVALID', date: '2026-03-17' });
  });

  it('links every figure by a relative path that is one of the returned figures', async () => {
    const { markdown, figures } = await renderFinding(buildFixtureResults(), { ...options, figureDir: 'exp-egd-vs-sgd/' });
    const links = [...markdown.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => match[1]!);
    expect(links).toHaveLength(3);
    const findingDir = 'findings';
    const figurePaths = figures.map((figure) => posix.join(findingDir, figure.path));
    for (const link of links) {
      expect(posix.isAbsolute(link)).toBe(false);
      expect(figurePaths).toContain(posix.join(findingDir, link));
    }
    expect(figures.map((figure) => figure.path)).toEqual([
      'exp-egd-vs-sgd/test-accuracy.svg',
      'exp-egd-vs-sgd/hidden-progress.svg',
      'exp-egd-vs-sgd/solve_epoch-per-arm.svg',
    ]);
    for (const figure of figures) expect(figure.svg.startsWith('<svg')).toBe(true);
  });

  it('renders the same markdown and figures twice from the same results', async () => {
    const first = await renderFinding(buildFixtureResults(), options);
    const second = await renderFinding(buildFixtureResults(), options);
    expect(second).toEqual(first);
  });

  it("uses the planner's narrative when given, and the template's open questions when it has none", async () => {
    const narrative: Narrative = { worked: ['EGD whitening pays off.'], didnt: [], surprise: ['The plateau vanished.'], open_questions: [] };
    const { markdown } = await renderFinding(buildFixtureResults(), { ...options, narrative });
    expect(markdown).toContain('- EGD whitening pays off.');
    expect(markdown).toContain('- The plateau vanished.');
    expect(markdown).toContain("### What didn't work\n\n- Nothing failed.");
    expect(markdown).not.toContain('egd (optimizer=egd) beats sgd');
    expect(markdown).toContain("- Does egd's 0.53x on epochs to solve hold one step further");
  });

  it('renders an experiment whose every run crashed as INVALID without figures', async () => {
    const results = buildFixtureResults();
    for (const arm of results.arms) {
      arm.runs = arm.runs.map((run): CrashedRun => ({ seed: run.seed, status: 'crashed', message: 'worker exited with code 137', elapsed_ms: 5 }));
    }
    results.summary = {
      ...results.summary,
      class: 'INVALID',
      best_arm: 'egd',
      headline: 'INVALID: 5 crashed of 5 runs of sgd (baseline)',
      arms: results.summary.arms.map((arm) => ({
        ...arm,
        solved: 0,
        solve_rate: 0,
        crashed: 5,
        mean_best_test_acc: null,
        metrics: {},
        comparison: null,
        class: arm.baseline ? 'BASELINE' : 'INVALID',
      })),
    };
    const { markdown, figures } = await renderFinding(results, options);
    expect(figures).toEqual([]);
    expect(matter(markdown).data.class).toBe('INVALID');
    expect(markdown).toContain('nothing to plot');
    expect(markdown).toContain('Every run crashed (15 runs, seeds 42-46): worker exited with code 137.');
    expect(resultsTable(markdown).rows[0]).toMatchObject({ Solved: '0/5', 'Mean best acc': '—', 'Failed runs': '5 crashed' });
  });
});

describe('renderInvalidFinding', () => {
  it('renders a cycle that failed before running, with class INVALID, the reason and the same sections', () => {
    const spec = parseSpec(fixtureSpecInput, 'fixture');
    const { markdown, figures } = renderInvalidFinding({
      id: spec.id,
      date: '2026-03-17',
      question: spec.question,
      reason: 'runner: child process timed out after 600 s\n  at runExperiment',
      spec,
      reproduceCommand: 'npx lab run experiments/exp-egd-vs-sgd.md',
    });
    expect(figures).toEqual([]);
    const { data } = matter(markdown);
    expect(data).toMatchObject({
      id: 'exp-egd-vs-sgd',
      class: 'INVALID',
      date: '2026-03-17',
      primary_metric: 'solve_epoch',
      best_arm: null,
      results_hash: null,
      arms: {},
    });
    expect(data.headline).toBe('INVALID: runner: child process timed out after 600 s');
    expect([...markdown.matchAll(/^## (.+)$/gm)].map((match) => match[1])).toEqual([...findingSections]);
    expect(markdown).toContain('```\nrunner: child process timed out after 600 s\n  at runExperiment\n```');
    expect(markdown).toContain('| egd-lr0.005 | arm      | lr=0.005, optimizer=egd |');
  });

  it('renders without a spec', () => {
    const { markdown } = renderInvalidFinding({
      id: 'exp-broken',
      date: '2026-03-17',
      question: 'Does it parse?',
      reason: 'experiments/exp-broken.md: invalid experiment spec',
    });
    const { data } = matter(markdown);
    expect(data).toMatchObject({ id: 'exp-broken', class: 'INVALID', question: 'Does it parse?', primary_metric: null, results: null });
    expect(markdown).toContain('No valid spec.');
  });
});
