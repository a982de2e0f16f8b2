/// <reference lib="dom" />
// The review page of a real small night: five built-in cycles in a temp git workspace (a baseline-only
// experiment, two comparisons, one tracked, runs that time out, a cycle that fails), then the page opened
// in Debian's headless Chromium with the network shut, checked section by section against results.json.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentResults } from '../../core/index.js';
import { writeReport, type WriteReportResult } from '../commands/report.js';
import { runCycle } from '../cycle/cycle.js';
import { createTestWorkspace, removeTestWorkspaces, slowSpec, smallSpec, type TestWorkspace } from '../cycle/test-helpers/workspace.js';
import { manualClock } from '../io/clock.js';
import { openOfflinePage, type OfflinePage } from '../io/headless-browser.js';
import { coreHash } from '../io/provenance.js';
import { createBuiltinPlanner } from '../planners/builtin.js';

const queue = [
  '# TODO',
  '',
  '## Queue',
  '',
  '- [ ] Tiny baseline (experiments/tiny-base.md) <!-- id: tiny-base -->',
  '- [ ] Tiny lr (experiments/tiny-lr.md) <!-- id: tiny-lr -->',
  '- [ ] Tiny hidden, tracked (experiments/tiny-hidden.md) <!-- id: tiny-hidden -->',
  '- [ ] Slow runs (experiments/slow-runs.md) <!-- id: slow-runs -->',
  '- [ ] Slow cycle (experiments/slow-cycle.md) <!-- id: slow-cycle -->',
  '',
].join('\n');

const specs = [
  smallSpec('tiny-base', { title: 'Tiny baseline', arms: [{ name: 'lr=0.1', baseline: true, overrides: { lr: 0.1 } }] }),
  smallSpec('tiny-lr'),
  smallSpec('tiny-hidden', {
    title: 'Hidden width, tracked',
    arms: [
      { name: 'h32', baseline: true, overrides: { hidden: 32 } },
      { name: 'h64', overrides: { hidden: 64 } },
    ],
    track: true,
    motivated_by: 'tiny-lr',
  }),
  {
    ...slowSpec('slow-runs'),
    time_limit: 1,
    arms: [
      { name: 'baseline', baseline: true, overrides: {} },
      { name: 'lr=0.02', overrides: { lr: 0.02 } },
    ],
  },
  slowSpec('slow-cycle'),
];

const discoveries = [
  '# Discoveries',
  '',
  '## Learning rate',
  '',
  '- lr 0.2 against 0.1 on 8-bit parity ([finding](findings/tiny-lr.md))',
  '- Contested: a wider layer helps on 8-bit parity ([finding](findings/tiny-hidden.md))',
  '- Refuted: weight decay is never needed (findings/no-such-finding.md)',
  '',
].join('\n');

let workspace: TestWorkspace;
let report: WriteReportResult;
let opened: OfflinePage;
let shots: string;
const results = (id: string) => JSON.parse(workspace.read(`results/${id}/results.json`)) as ExperimentResults;
const text = (selector: string) => opened.page.$eval(selector, (element) => (element as HTMLElement).innerText);
const rowsOf = (selector: string) =>
  opened.page.$$eval(`${selector} tbody tr`, (rows) => rows.map((row) => Array.from(row.querySelectorAll('td')).map((cell) => cell.innerText.trim())));

beforeAll(async () => {
  workspace = await createTestWorkspace({ todo: queue, specs });
  const hash = await coreHash();
  for (let cycle = 0; cycle < specs.length; cycle++) {
    const last = cycle === specs.length - 1;
    await runCycle({
      workspace: workspace.dir,
      planner: createBuiltinPlanner(),
      clock: manualClock(new Date()),
      expectedCoreHash: hash,
      workers: 2,
      log: () => {},
      ...(last ? { childTimeoutMs: 1500 } : {}),
    });
  }
  workspace.write('DISCOVERIES.md', discoveries);
  workspace.git('commit', '--quiet', '-am', 'Human notes on the claims');
  shots = mkdtempSync(join(tmpdir(), 'lab-report-shots-'));
  report = await writeReport({ workspace: workspace.dir, since: '24h', out: join(shots, 'report.html') });
  opened = await openOfflinePage(report.path, { viewport: { width: 1366, height: 800 } });
}, 240_000);

afterAll(async () => {
  await opened?.close();
  removeTestWorkspaces();
  if (shots) rmSync(shots, { recursive: true, force: true });
});

describe('the review page of a real small night, in headless Chromium', () => {
  it('renders every section, with no console error, no network request and no script', async () => {
    const headings = await opened.page.$$eval('main > section > h2', (elements) =>
      elements.map((element) => [element.parentElement!.id, (element as HTMLElement).innerText]),
    );
    expect(headings).toEqual([
      ['summary', 'Summary'],
      ['progress', 'Progress'],
      ['claims', 'Claims'],
      ['lineage', 'Lineage'],
      ['tradeoffs', 'Trade-offs'],
      ['experiments', 'Per experiment'],
      ['failures', 'Failures'],
    ]);
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.blockedRequests).toEqual([]);
    expect(await opened.page.evaluate(() => document.scripts.length)).toBe(0);
    expect(readFileSync(report.path, 'utf8')).not.toMatch(/(src|href)="https?:/);
  });

  it('summarizes the cycles by class, the best result against the canonical baseline and the noise floor from results.json', async () => {
    const classes = ['tiny-base', 'tiny-lr', 'tiny-hidden', 'slow-runs'].map((id) => results(id).summary.class);
    expect(classes[0]).toBe('BASELINE');
    expect(classes[3]).not.toBe('INVALID'); // timed-out runs are censored at the epoch they reached, not a harness failure
    const expectedCounts: Record<string, number> = { INVALID: 1 };
    for (const cls of classes) expectedCounts[cls] = (expectedCounts[cls] ?? 0) + 1;
    const counted = Object.fromEntries((await rowsOf('#cycles-by-class')).map(([cls, count]) => [cls, Number(count)]));
    expect(counted).toEqual(expectedCounts);
    expect(await text('[data-tile="cycles"] .tile-value')).toBe('5');

    const base = results('tiny-base');
    const solveEpochs = base.arms[0]!.runs.map((run) => (run.status === 'crashed' ? null : (run.solve_epoch ?? base.arms[0]!.config.max_epochs))) as number[];
    const sorted = [...solveEpochs].sort((a, b) => a - b);
    const noise = Object.fromEntries((await rowsOf('#noise-floor')).map(([name, value]) => [name, value]));
    expect(noise['seeds']).toMatch(/^5\b/);
    expect(noise['median']).toBe(String(sorted[2]));
    expect(noise['range (min–max)']).toBe(`${sorted[0]}–${sorted[4]}`);

    const candidates = ['tiny-base', 'tiny-lr', 'tiny-hidden'].flatMap((id) =>
      results(id)
        .summary.arms.filter((arm) => arm.solved > 0)
        .map((arm) => ({ id, arm: arm.name, median: arm.metrics.solve_epoch!.median! })),
    );
    const best = candidates.reduce((a, b) => (b.median < a.median ? b : a));
    const [row] = await rowsOf('#best-per-objective');
    expect(row!.slice(0, 5)).toEqual([
      'epochs to solve (lower is better)',
      String(best.median),
      best.arm,
      best.id,
      String(base.summary.arms[0]!.metrics.solve_epoch!.median),
    ]);
  });

  it('shows every experiment in time order on the progress chart, coloured by class', async () => {
    expect((await rowsOf('#progress-table')).map((row) => row[2])).toEqual(['tiny-base', 'tiny-lr', 'tiny-hidden', 'slow-runs', 'slow-cycle']);
    const dots = await opened.page.$$eval('#progress svg:first-of-type circle', (circles) =>
      circles.map((circle) => [circle.getAttribute('fill'), circle.querySelector('title')!.textContent]),
    );
    expect(await opened.page.$eval('#progress svg:first-of-type .chart-title', (title) => title.textContent)).toBe(
      'epochs to solve: best arm of each experiment',
    );
    expect(dots.map(([, title]) => title!.split(' ')[1])).toEqual(['tiny-base', 'tiny-lr', 'tiny-hidden']);
    expect(dots[0]).toEqual(['#1565c0', expect.stringContaining('tiny-base (BASELINE)')]);
    expect(await opened.page.$$eval('#progress svg:first-of-type path.steps', (paths) => paths.length)).toBe(1);
  });

  it('lists one claim per DISCOVERIES.md line with its finding link, contested and refuted ones included', async () => {
    const rows = await rowsOf('#claims-table');
    expect(rows.map((row) => row[6])).toEqual([
      results('tiny-lr').summary.class === 'INCONCLUSIVE' ? 'not significant' : results('tiny-lr').summary.class === 'BASELINE' ? 'measured' : 'confirmed',
      'contested',
      'refuted',
    ]);
    expect(rows[2]![7]).toBe('no-such-finding (missing)');
    const href = await opened.page.$eval('#claims-table tbody tr a', (anchor) => (anchor as HTMLAnchorElement).href);
    expect(href).toBe(`file://${join(workspace.dir, 'findings', 'tiny-lr.md')}`);
    expect(existsSync(new URL(href))).toBe(true);
  });

  it('draws the lineage from the motivating finding to the follow-up experiment', async () => {
    expect((await rowsOf('#lineage-table')).filter((row) => row[0] === 'tiny-lr').map((row) => row.slice(0, 2))).toContainEqual(['tiny-lr', 'tiny-hidden']);
  });

  it('weighs epochs and time to solve against energy for the tracked experiment', async () => {
    const tracked = results('tiny-hidden');
    const rows = await rowsOf('#tradeoffs-table');
    expect(rows.map((row) => [row[0], row[1]])).toEqual(tracked.arms.map((arm) => ['tiny-hidden', arm.name]));
    expect(await opened.page.$$eval('#tradeoffs svg circle', (circles) => circles.length)).toBeGreaterThan(0);
  });

  it('gives each experiment its arm table, seed curves, memory per buffer when tracked, reproduce command and commit', async () => {
    const commits = workspace.git('log', '--format=%H %s').trim().split('\n');
    for (const id of ['tiny-base', 'tiny-lr', 'tiny-hidden', 'slow-runs']) {
      const article = `#exp-${id}`;
      const recorded = results(id);
      expect((await rowsOf(`${article} .arm-table`)).map((row) => [row[0], row[1]])).toEqual(
        recorded.summary.arms.map((arm) => [arm.name, `${arm.solved}/${arm.runs}`]),
      );
      expect(await text(`${article} code.reproduce`)).toBe(`npx lab reproduce ${id}`);
      const commit = commits.find((line) => line.includes(` ${id}: `))!.split(' ')[0]!;
      expect(await text(`${article} dl.facts`)).toContain(commit);
      const lines = await opened.page.$$eval(`${article} figure.curves svg path`, (paths) => paths.length);
      expect(lines).toBeGreaterThanOrEqual(recorded.arms.reduce((count, arm) => count + arm.runs.length, 0));
    }
    expect(await opened.page.$$eval('#exp-tiny-hidden .memory-table tbody tr', (rows) => rows.length)).toBeGreaterThan(0);
    expect(await opened.page.$$('#exp-tiny-lr .memory-table')).toHaveLength(0);
    expect(await text('#exp-slow-cycle pre.reason')).toMatch(/timed out after \d+ s/);
  });

  it('groups the failures by reason: timed-out runs and the failed cycle', async () => {
    const captions = await opened.page.$$eval('#failures caption', (elements) => elements.map((element) => (element as HTMLElement).innerText));
    const timedOut = results('slow-runs')
      .arms.flatMap((arm) => arm.runs)
      .filter((run) => run.status === 'timeout').length;
    expect(timedOut).toBeGreaterThan(0);
    expect(captions).toContain(`run timed out (${timedOut})`);
    expect(captions.some((caption) => /^cycle failed: lab run experiments\/slow-cycle\.md timed out .*\(1\)$/.test(caption))).toBe(true);
  });

  it('fits a laptop screen, is keyboard-navigable, hides the navigation in print, and is saved as a screenshot', async () => {
    expect(await opened.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    await opened.page.keyboard.press('Tab');
    expect(await opened.page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the report');
    await opened.page.keyboard.press('Tab');
    expect(await opened.page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#summary');
    await opened.page.keyboard.press('Enter');
    expect(await opened.page.evaluate(() => location.hash)).toBe('#summary');
    await opened.page.emulateMediaType('print');
    expect(await opened.page.$eval('nav.toc', (nav) => getComputedStyle(nav).display)).toBe('none');
    await opened.page.emulateMediaType('screen');
    const screenshot = join(shots, 'report.png');
    await opened.page.screenshot({ path: screenshot });
    expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('the offline page opener', () => {
  it('aborts and reports a request to the network', async () => {
    const page = join(shots, 'fetches.html');
    writeFileSync(page, '<!doctype html><title>x</title><img src="http://127.0.0.1:9/pixel.png" alt="">');
    const probe = await openOfflinePage(page);
    try {
      expect(probe.blockedRequests).toEqual(['http://127.0.0.1:9/pixel.png']);
    } finally {
      await probe.close();
    }
  });
});
