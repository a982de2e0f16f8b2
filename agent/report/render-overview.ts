// The page's first two sections: Summary (the night in numbers) and Progress (every experiment in time
// order against the best so far, coloured by class).
import { badge, classColor, escapeHtml, link, table, type Cell } from './html.js';
import { formatDollars, formatDuration, formatPercent, metricInterval, metricLabel, formatMetricValue } from '../findings/format.js';
import type { ReportData, ReportExperiment } from './report-data.js';
import { scatterChartSvg, type ChartPoint } from '../findings/svg-chart.js';

export function renderSummary(data: ReportData): string {
  const { summary } = data;
  const classes = Object.entries(summary.cycles_by_class).sort(([a], [b]) => a.localeCompare(b));
  const tiles: [string, string, string][] = [
    ['cycles', String(summary.cycles), classes.map(([cls, count]) => `${count} ${cls}`).join(', ') || 'none in this window'],
    [
      'experiments per hour',
      summary.experiments_per_hour === null
        ? '—'
        : summary.experiments_per_hour >= 1
          ? summary.experiments_per_hour.toFixed(1)
          : summary.experiments_per_hour.toPrecision(2),
      summary.span_hours === null ? '' : `over ${formatDuration(summary.span_hours * 3_600_000)}`,
    ],
    ['wall time', formatDuration(summary.wall_ms), 'experiments, all workers at once'],
    ['CPU time', formatDuration(summary.cpu_ms), `training loops of ${summary.runs} runs, summed`],
    ['Claude', formatDollars(summary.cost_usd), `${summary.tokens_in.toLocaleString('en-US')} tokens in, ${summary.tokens_out.toLocaleString('en-US')} out`],
  ];
  const tileHtml = tiles
    .map(
      ([name, value, note]) =>
        `<div class="tile" data-tile="${escapeHtml(name)}"><div class="tile-name">${escapeHtml(name)}</div><div class="tile-value">${escapeHtml(value)}</div><div class="tile-note">${escapeHtml(note)}</div></div>`,
    )
    .join('\n');
  const classTable = table({
    caption: 'Cycles by class',
    id: 'cycles-by-class',
    headers: ['class', 'cycles'],
    rows: classes.map(([cls, count]) => [badge(cls), count]),
  });
  return [`<div class="tiles">${tileHtml}</div>`, `<div class="columns">${classTable}${renderNoiseFloor(data)}</div>`, renderBest(data)].join('\n');
}

function renderBest(data: ReportData): string {
  const canonical = data.canonical?.id ?? null;
  return table({
    caption: canonical
      ? `Best result per objective against the canonical baseline (${canonical})`
      : 'Best result per objective (no canonical baseline-only experiment yet)',
    id: 'best-per-objective',
    headers: ['objective', 'best median', 'arm', 'experiment', 'canonical baseline', 'ratio'],
    rows: data.summary.best.map((best) => [
      `${metricLabel(best.metric)} (${best.direction} is better)`,
      formatMetricValue(best.metric, best.value),
      best.arm,
      link(`#exp-${best.experiment_id}`, best.experiment_id),
      formatMetricValue(best.metric, best.canonical_value),
      best.ratio === null ? '—' : `${best.ratio.toFixed(2)}x`,
    ]),
  });
}

function renderNoiseFloor(data: ReportData): string {
  const noise = data.summary.noise_floor;
  if (!noise) return '<p class="note" id="noise-floor">Noise floor: no baseline-only experiment yet, so no measured spread across seeds.</p>';
  const rows: Cell[][] = [
    ['metric', metricLabel(noise.metric)],
    ['seeds', `${noise.seeds}${noise.censored ? ` (${noise.censored} censored at the cap)` : ''}`],
    ['median', formatMetricValue(noise.metric, noise.median)],
    ['range (min–max)', `${formatMetricValue(noise.metric, noise.min)}–${formatMetricValue(noise.metric, noise.max)}`],
    ['standard deviation', noise.sd === null ? '—' : `${formatMetricValue(noise.metric, noise.sd)} (${formatPercent(noise.relative_sd)} of the median)`],
    ['95% CI of the median', metricInterval(noise.metric, noise.ci_low, noise.ci_high)],
  ];
  return table({ caption: `Noise floor: ${noise.arm} in ${noise.experiment_id} across seeds`, id: 'noise-floor', headers: ['', 'value'], rows });
}

/** One chart per primary metric that appears: each experiment's best arm, and the best so far as a step line. */
export function renderProgress(data: ReportData): string {
  const metrics = [...new Set(data.experiments.flatMap((experiment) => (experiment.results ? [experiment.results.summary.primary.metric] : [])))];
  const charts = metrics.map((metric) => progressChart(data.experiments, metric));
  const rows = data.experiments.map((experiment, index) => {
    const best = bestArm(experiment);
    return [
      index + 1,
      experiment.date.slice(0, 16).replace('T', ' '),
      link(`#exp-${experiment.id}`, experiment.id),
      badge(experiment.class),
      best ? `${best.arm}: ${formatMetricValue(best.metric, best.value)} ${metricLabel(best.metric)}` : '—',
      experiment.headline,
    ] as Cell[];
  });
  const legend = `<p class="legend">${[...new Set(data.experiments.map((experiment) => experiment.class))].map((cls) => `<span><span class="swatch" style="background:${classColor(cls)}"></span>${escapeHtml(cls)}</span>`).join(' ')} <span><span class="swatch line"></span>best so far</span></p>`;
  return [
    charts.length ? `${legend}<div class="charts">${charts.join('\n')}</div>` : '<p class="note">No experiment with results in this window.</p>',
    table({
      caption: 'Every experiment in time order',
      id: 'progress-table',
      headers: ['#', 'time (UTC)', 'experiment', 'class', 'best arm', 'headline'],
      rows,
    }),
  ].join('\n');
}

function progressChart(experiments: readonly ReportExperiment[], metric: string): string {
  const points: ChartPoint[] = [];
  const steps: { x: number; y: number }[] = [];
  let bestSoFar: number | null = null;
  experiments.forEach((experiment, index) => {
    const best = bestArm(experiment);
    if (!best || best.metric !== metric) return;
    points.push({
      x: index + 1,
      y: best.value,
      color: classColor(experiment.class),
      label: `#${index + 1} ${experiment.id} (${experiment.class}): ${best.arm} ${formatMetricValue(metric, best.value)}`,
    });
    if (best.solved > 0 && (bestSoFar === null || (best.direction === 'lower' ? best.value < bestSoFar : best.value > bestSoFar))) bestSoFar = best.value;
    if (bestSoFar !== null) steps.push({ x: index + 1, y: bestSoFar });
  });
  return scatterChartSvg({
    title: `${metricLabel(metric)}: best arm of each experiment`,
    xLabel: 'experiment # (time order)',
    yLabel: metricLabel(metric),
    points,
    steps,
    stepsLabel: 'best so far (arms that solved)',
    formatX: (value) => (Number.isInteger(value) ? String(value) : ''),
    xDomain: [1, Math.max(2, experiments.length)],
    width: 600,
  });
}

type BestArm = { arm: string; metric: string; direction: 'lower' | 'higher'; value: number; solved: number };

/** The experiment's best arm by its primary metric's median (the baseline when nothing beat it). */
export function bestArm(experiment: ReportExperiment): BestArm | null {
  const summary = experiment.results?.summary;
  if (!summary) return null;
  const { metric, direction } = summary.primary;
  let best: BestArm | null = null;
  for (const arm of summary.arms) {
    const value = arm.metrics[metric]?.median;
    if (value === null || value === undefined) continue;
    const better =
      best === null ||
      (arm.solved > 0 && best.solved === 0) ||
      (arm.solved > 0 === best.solved > 0 && (direction === 'lower' ? value < best.value : value > best.value));
    if (better) best = { arm: arm.name, metric, direction, value, solved: arm.solved };
  }
  return best;
}
