// `lab report`: the morning review page, one self-contained HTML file (default .lab/report.html, not committed).
import { dirname, join, relative, resolve, sep } from 'node:path';
import { hasAnyHistory, renderAccuracyChart } from '../findings/charts.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { screenshotHtml } from '../io/headless-browser.js';
import { labStatePath } from '../io/lab-state-dir.js';
import { readReportInputs } from '../report/read-workspace.js';
import { buildReportData, type ReportData, type ReportWindow } from '../report/report-data.js';
import { renderReportPage } from '../report/render-page.js';

export type WriteReportOptions = {
  workspace: string;
  /** '24h', '90m', '7d', 'all', or an ISO date; default '24h'. */
  since?: string;
  /** Default: <workspace>/.lab/report.html. */
  out?: string;
  now?: () => Date;
  /** Also save a PNG of the page's first laptop screen (1366x900) here, taken in headless Chromium. */
  screenshot?: string;
};

export type WriteReportResult = { path: string; bytes: number; data: ReportData; screenshot: string | null };

export async function writeReport(options: WriteReportOptions): Promise<WriteReportResult> {
  const workspace = resolve(options.workspace);
  const now = (options.now ?? (() => new Date()))();
  const out = options.out ? resolve(options.out) : labStatePath(workspace, 'report.html');
  const data = buildReportData(await readReportInputs(workspace), { now, window: parseSince(options.since ?? '24h', now) });
  const accuracyCharts = new Map<string, string>();
  for (const experiment of data.experiments) {
    if (experiment.results && hasAnyHistory(experiment.results)) accuracyCharts.set(experiment.id, renderAccuracyChart(experiment.results));
  }
  const findingHref = (id: string) =>
    relative(dirname(out), join(workspace, 'findings', `${id}.md`))
      .split(sep)
      .join('/');
  const html = renderReportPage(data, { accuracyCharts, findingHref });
  await writeFileAtomic(out, html);
  const screenshot = options.screenshot ? resolve(options.screenshot) : null;
  if (screenshot) {
    const { consoleErrors, blockedRequests } = await screenshotHtml(out, screenshot);
    if (consoleErrors.length + blockedRequests.length > 0)
      throw new Error(`${out}: the page logged errors or tried the network in Chromium: ${[...consoleErrors, ...blockedRequests].join('; ')}`);
  }
  return { path: out, bytes: Buffer.byteLength(html), data, screenshot };
}

/** The report's time window: a duration back from now ('24h', '30m', '7d'), 'all', or a start date. */
export function parseSince(since: string, now: Date): ReportWindow {
  const text = since.trim();
  if (text === 'all') return { label: 'all', from: null, to: now.toISOString() };
  const duration = /^(\d+(?:\.\d+)?)\s*(m|h|d)$/.exec(text);
  if (duration) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[duration[2] as 'm' | 'h' | 'd'];
    return { label: `last ${text}`, from: new Date(now.getTime() - Number(duration[1]) * unit).toISOString(), to: now.toISOString() };
  }
  const date = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && Number.isFinite(date)) return { label: `since ${text}`, from: new Date(date).toISOString(), to: now.toISOString() };
  throw new Error(`--since ${JSON.stringify(since)}: use a duration (24h, 90m, 7d), a date (2026-03-16 or an ISO time) or "all"`);
}
