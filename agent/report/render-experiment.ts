// One section per experiment: what changed against the baseline, the per-arm table, every seed's test
// accuracy curve, memory per buffer when tracked, the exact reproduce command and the commit.
import { median } from 'simple-statistics';
import type { ArmRuns, ExperimentResults, TrainConfig } from '../../core/index.js';
import { configChanges, describeChanges, formatConfigValue, orderedConfigKeys } from '../findings/config-diff.js';
import { badge, escapeHtml, table, type Cell } from './html.js';
import { formatMetricValue, formatSeeds, formatTime } from '../findings/format.js';
import { buildResultsTable } from '../findings/results-table.js';
import type { LinkOptions } from './render-knowledge.js';
import type { ReportExperiment } from './report-data.js';
import { renderArmReason } from '../findings/verdict-text.js';

export type ExperimentRenderOptions = LinkOptions & {
  /** Inline SVG of test accuracy per epoch (one line per seed), by experiment id. */
  accuracyCharts: ReadonlyMap<string, string>;
  canonical: ReportExperiment | null;
};

export function renderExperiment(experiment: ReportExperiment, options: ExperimentRenderOptions): string {
  const results = experiment.results;
  const facts = [
    `<dt>class</dt><dd>${badge(experiment.class).html}</dd>`,
    `<dt>time</dt><dd>${escapeHtml(formatTime(experiment.date))}</dd>`,
    `<dt>commit</dt><dd><code>${escapeHtml(experiment.commit ?? 'not committed')}</code></dd>`,
    ...(experiment.planner ? [`<dt>planner</dt><dd>${escapeHtml(experiment.planner)}</dd>`] : []),
    ...(experiment.motivated_by
      ? [`<dt>motivated by</dt><dd><a href="${escapeHtml(options.findingHref(experiment.motivated_by))}">${escapeHtml(experiment.motivated_by)}</a></dd>`]
      : []),
    `<dt>finding</dt><dd><a href="${escapeHtml(options.findingHref(experiment.id))}">findings/${escapeHtml(experiment.id)}.md</a></dd>`,
    `<dt>reproduce</dt><dd><code class="reproduce">npx lab reproduce ${escapeHtml(experiment.id)}</code></dd>`,
  ];
  const body = results
    ? renderResults(results, experiment, options)
    : `<p>The cycle failed and left no results. Reason:</p><pre class="reason">${escapeHtml(experiment.invalid_reason ?? experiment.headline)}</pre>`;
  return [
    `<article class="experiment" id="exp-${escapeHtml(experiment.id)}" aria-labelledby="exp-${escapeHtml(experiment.id)}-title">`,
    `<h3 id="exp-${escapeHtml(experiment.id)}-title">${escapeHtml(experiment.id)}: ${escapeHtml(experiment.title)}</h3>`,
    experiment.question ? `<p class="question">${escapeHtml(experiment.question)}</p>` : '',
    `<p class="headline">${escapeHtml(experiment.headline)}</p>`,
    `<dl class="facts">${facts.join('')}</dl>`,
    body,
    '</article>',
  ].join('\n');
}

function renderResults(results: ExperimentResults, experiment: ReportExperiment, options: ExperimentRenderOptions): string {
  const baseline = results.arms.find((arm) => arm.baseline) ?? results.arms[0];
  const chart = options.accuracyCharts.get(results.id);
  return [
    baseline ? renderConfigDiff(results, baseline, options.canonical) : '',
    renderArmTable(results),
    chart
      ? `<figure class="curves">${chart}<figcaption>Test accuracy per epoch, one line per seed (seeds ${escapeHtml(formatSeeds(results.spec.seeds))}).</figcaption></figure>`
      : '',
    renderMemory(results),
    `<p class="provenance">core ${escapeHtml(results.provenance.core_hash.slice(0, 12))}, results_hash ${escapeHtml(results.results_hash.slice(0, 12))}, Node ${escapeHtml(results.provenance.node_version)}, ${results.provenance.workers} workers, ${escapeHtml(experiment.class)}</p>`,
  ].join('\n');
}

function renderConfigDiff(results: ExperimentResults, baseline: ArmRuns, canonical: ReportExperiment | null): string {
  const rows: Cell[][] = results.arms.map((arm) => [
    arm.name + (arm.baseline ? ' (baseline)' : ''),
    arm.baseline ? '—' : describeChanges(configChanges(baseline.config, arm.config)),
  ]);
  const canonicalConfig = canonical && canonical.id !== results.id ? canonical.results?.arms.find((arm) => arm.baseline)?.config : undefined;
  if (canonicalConfig) rows.unshift([`baseline vs canonical (${canonical!.id})`, describeChanges(configChanges(canonicalConfig, baseline.config))]);
  return `${table({ caption: 'Config diff against the baseline', className: 'config-diff', headers: ['arm', 'changes'], rows })}\n<p class="config-line"><span>baseline config:</span> ${escapeHtml(configLine(baseline.config))}</p>`;
}

function configLine(config: TrainConfig): string {
  const values = config as unknown as Record<string, unknown>;
  return orderedConfigKeys(config)
    .map((key) => `${key}=${formatConfigValue(values[key])}`)
    .join(', ');
}

/** The finding's own Results table (one renderer for both), the class as a badge and why it got it. */
function renderArmTable(results: ExperimentResults): string {
  const { header, rows } = buildResultsTable(results);
  const reasons = new Map(results.summary.arms.map((arm) => [arm.name, renderArmReason(arm)]));
  return table({
    caption: `Per arm: ${results.summary.primary.metric} (${results.summary.primary.direction} is better)`,
    className: 'arm-table',
    headers: [...header, 'Why'],
    rows: rows.map((row): Cell[] => [...row.slice(0, -1), badge(row.at(-1)!), reasons.get(row[0]!) ?? '—']),
  });
}

/** One row per buffer, per arm the medians over seeds of floats read and of the mean reuse distance. */
function renderMemory(results: ExperimentResults): string {
  const tracked = results.arms.flatMap((arm) => {
    const reports = arm.runs.flatMap((run) => (run.status !== 'crashed' && run.memory ? [run.memory] : []));
    return reports.length ? [{ name: arm.name, reports }] : [];
  });
  if (tracked.length === 0) return '';
  const buffers = [...new Set(tracked.flatMap((arm) => arm.reports.flatMap((report) => Object.keys(report.buffers))))].sort();
  const rows = buffers.map((buffer): Cell[] => [
    buffer,
    ...tracked.flatMap((arm) => {
      const stats = arm.reports.flatMap((report) => (report.buffers[buffer] ? [report.buffers[buffer]!] : []));
      if (stats.length === 0) return ['—', '—'];
      return [
        formatMetricValue('dmc', median(stats.map((entry) => entry.floats_read))),
        formatMetricValue('ard', median(stats.map((entry) => entry.avg_distance))),
      ];
    }),
  ]);
  const headers = ['buffer', ...tracked.flatMap((arm) => [`${arm.name}: floats read`, `${arm.name}: mean reuse distance`])];
  return table({ caption: 'Memory per buffer (medians over seeds; tracked runs)', className: 'memory-table', headers, rows });
}
