// The page's middle sections: Claims (DISCOVERIES.md joined to findings), Lineage (which finding motivated
// which experiment), Trade-offs (epochs / time to solve against energy and DMC) and Failures.
import { badge, classColor, escapeHtml, link, raw, table, type Cell } from './html.js';
import { formatEnergy, formatPValue, formatMetricValue, ratioWithInterval } from '../findings/format.js';
import type { LineageEdge, ReportData } from './report-data.js';
import { scatterChartSvg } from '../findings/svg-chart.js';

export type LinkOptions = { findingHref: (id: string) => string };

export function renderClaims(data: ReportData, links: LinkOptions): string {
  const rows = data.claims.map((claim): Cell[] => [
    claim.topic || '—',
    claim.text,
    ratioWithInterval(claim.ratio, claim.ratio_ci_low, claim.ratio_ci_high),
    formatPValue(claim.p_value),
    claim.seeds ?? '—',
    claim.conditions ?? '—',
    raw(`<span class="status status-${claim.status.replace(/ /g, '-')}">${escapeHtml(claim.status)}</span>`),
    claim.finding_id ? (claim.finding_exists ? link(links.findingHref(claim.finding_id), claim.finding_id) : `${claim.finding_id} (missing)`) : '—',
  ]);
  return rows.length
    ? table({
        caption: `One row per line of DISCOVERIES.md (${rows.length})`,
        id: 'claims-table',
        headers: ['topic', 'claim', 'effect (95% CI)', 'p', 'seeds', 'conditions', 'status', 'finding'],
        rows,
      })
    : '<p class="note">DISCOVERIES.md holds no claims yet.</p>';
}

export function renderLineage(data: ReportData, links: LinkOptions): string {
  if (data.lineage.length === 0) return '<p class="note">No experiment names a motivating finding (motivated_by) yet.</p>';
  const children = new Map<string, LineageEdge[]>();
  for (const edge of data.lineage) children.set(edge.from, [...(children.get(edge.from) ?? []), edge]);
  const targets = new Set(data.lineage.map((edge) => edge.to));
  const roots = [...children.keys()].filter((id) => !targets.has(id));
  const visited = new Set<string>();
  const node = (id: string): string => {
    if (visited.has(id)) return '';
    visited.add(id);
    const below = (children.get(id) ?? []).map(
      (edge) =>
        `<li>${badge(edge.to_class).html} ${edge.queued ? escapeHtml(`${edge.to} (queued spec)`) : `<a href="#exp-${escapeHtml(edge.to)}">${escapeHtml(edge.to)}</a>`}${node(edge.to) ? `<ul>${node(edge.to)}</ul>` : ''}</li>`,
    );
    return below.join('');
  };
  const trees = (roots.length ? roots : [...children.keys()])
    .map((root) => `<li><a href="${escapeHtml(links.findingHref(root))}">${escapeHtml(root)}</a> motivated<ul>${node(root)}</ul></li>`)
    .join('\n');
  const rows = data.lineage.map((edge): Cell[] => [
    link(links.findingHref(edge.from), edge.from),
    edge.queued ? `${edge.to} (queued)` : link(`#exp-${edge.to}`, edge.to),
    badge(edge.to_class),
  ]);
  return `<ul class="tree" id="lineage-tree">${trees}</ul>\n${table({ caption: 'Follow-up edges: finding → experiment', id: 'lineage-table', headers: ['finding', 'experiment', 'class'], rows })}`;
}

export function renderTradeoffs(data: ReportData): string {
  const points = data.tradeoffs;
  if (points.length === 0)
    return '<p class="note">No experiment in this window tracked memory traffic (track: true or a memory metric), so there is no energy to weigh.</p>';
  const label = (point: (typeof points)[number]) => `${point.experiment_id} / ${point.arm} (${point.class}): ${point.solved}/${point.runs} solved`;
  const energyChart = (x: 'solve_epoch' | 'time_to_solve_ms', title: string, xLabel: string) =>
    scatterChartSvg({
      title,
      xLabel,
      yLabel: 'energy per run (pJ, log)',
      yLog: true,
      width: 600,
      points: points
        .filter((point) => point[x] !== null)
        .map((point) => ({
          x: point[x]!,
          y: point.energy_pj!,
          color: classColor(point.class),
          label: `${label(point)}, ${formatMetricValue(x, point[x])}, ${formatEnergy(point.energy_pj)}`,
          ...(points.length <= 12 ? { tag: point.arm } : {}),
        })),
    });
  const rows = points.map((point): Cell[] => [
    link(`#exp-${point.experiment_id}`, point.experiment_id),
    point.arm,
    badge(point.class),
    `${point.solved}/${point.runs}`,
    formatMetricValue('solve_epoch', point.solve_epoch),
    formatMetricValue('time_to_solve_ms', point.time_to_solve_ms),
    formatEnergy(point.energy_pj),
    formatMetricValue('dmc', point.dmc),
    formatMetricValue('ard', point.ard),
  ]);
  return `<div class="charts">${energyChart('solve_epoch', 'Epochs to solve vs energy', 'epochs to solve (median)')}${energyChart('time_to_solve_ms', 'Time to solve vs energy', 'time to solve (ms, median)')}</div>\n${table({ caption: 'Per method (arm), medians over seeds', id: 'tradeoffs-table', headers: ['experiment', 'arm', 'class', 'solved', 'epochs to solve', 'time to solve', 'energy', 'DMC', 'ARD'], rows })}`;
}

export function renderFailures(data: ReportData): string {
  if (data.failures.length === 0) return '<p class="note">No INVALID cycle and no timed-out, crashed or diverged run in this window.</p>';
  const groups = data.failures.map((group) =>
    table({
      caption: `${group.reason} (${group.items.length})`,
      className: 'failure-group',
      headers: ['experiment', 'arm', 'seed', 'detail'],
      rows: group.items.map((item): Cell[] => [link(`#exp-${item.experiment_id}`, item.experiment_id), item.arm ?? '—', item.seed ?? '—', item.detail || '—']),
    }),
  );
  return groups.join('\n');
}
