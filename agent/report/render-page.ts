// Assembles the review page: one self-contained HTML document (inline CSS and SVG, no script, no network).
import { escapeHtml } from './html.js';
import { formatTime } from '../findings/format.js';
import { pageStyle } from './page-style.js';
import { renderExperiment, type ExperimentRenderOptions } from './render-experiment.js';
import { renderClaims, renderFailures, renderLineage, renderTradeoffs } from './render-knowledge.js';
import { renderProgress, renderSummary } from './render-overview.js';
import type { ReportData } from './report-data.js';

export type PageOptions = Omit<ExperimentRenderOptions, 'canonical'>;

function renderExperiments(data: ReportData, options: PageOptions): string {
  const experiments = data.experiments.map((experiment) => renderExperiment(experiment, { ...options, canonical: data.canonical })).join('\n');
  return experiments || '<p class="note">No experiment in this window.</p>';
}

/** The sections in page order: the nav lists them, each renders its body under its own heading. */
const sections: [id: string, title: string, render: (data: ReportData, options: PageOptions) => string][] = [
  ['summary', 'Summary', renderSummary],
  ['progress', 'Progress', renderProgress],
  ['claims', 'Claims', renderClaims],
  ['lineage', 'Lineage', renderLineage],
  ['tradeoffs', 'Trade-offs', renderTradeoffs],
  ['experiments', 'Per experiment', renderExperiments],
  ['failures', 'Failures', renderFailures],
];

function section(id: string, title: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-title">\n<h2 id="${id}-title">${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

export function renderReportPage(data: ReportData, options: PageOptions): string {
  const window = data.window.from === null ? 'all time' : `${data.window.label}: since ${formatTime(data.window.from)}`;
  const nav = sections.map(([id, title]) => `<li><a href="#${id}">${escapeHtml(title)}</a></li>`).join('');
  const problems = data.problems.length
    ? `<div class="problems" role="note"><strong>Files that could not be read:</strong><ul>${data.problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('')}</ul></div>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>parity-lab review: ${escapeHtml(window)}</title>
<style>${pageStyle}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<header class="page">
<h1>parity-lab: the night in review</h1>
<p>${escapeHtml(window)} · generated ${escapeHtml(formatTime(data.generated_at))} · ${data.experiments.length} experiment${data.experiments.length === 1 ? '' : 's'} · numbers from results/*/results.json</p>
</header>
<nav class="toc" aria-label="Sections"><ul>${nav}</ul></nav>
<main id="main">
${problems}
${sections.map(([id, title, render]) => section(id, title, render(data, options))).join('\n')}
</main>
</body>
</html>
`;
}
