// The finding's figures as SVG, drawn with Vega (headless, renderer 'none'): test accuracy and hidden
// progress per epoch (one colour per arm, one thin line per seed) and the primary metric per arm.
// Same results in, same SVG bytes out: no random ids, no clock, no clip paths (Vega numbers those globally).
import * as vega from 'vega';
import type { EpochRecord, ExperimentResults } from '../../core/index.js';
import { hasAnyHistory, historySeries, metricPoints, type SeriesPoint } from './chart-data.js';
import { formatSeeds, metricLabel } from './format.js';

/** Up to this many arms share one panel; more get one small panel each (small multiples). */
const MAX_ARMS_OVERLAID = 4;

type HistoryChartOptions = {
  title: string;
  yTitle: string;
  pick: (record: EpochRecord) => number;
  /** Fixed y domain (accuracy: [0, 1]); otherwise from the data, starting at zero. */
  yDomain?: [number, number];
  yFormat?: string;
};

async function renderSpec(spec: vega.Spec): Promise<string> {
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return roundGeometry(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Two decimals in geometry attributes (Vega writes 62.999999999999986); text content is left alone. */
function roundGeometry(svg: string): string {
  return svg.replace(/ (d|transform|x|y|x1|y1|x2|y2|width|height)="([^"]*)"/g, (_match, name: string, value: string) => {
    const rounded = value.replace(/-?\d+\.\d{3,}/g, (number) => String(Math.round(Number(number) * 100) / 100));
    return ` ${name}="${rounded}"`;
  });
}

function armNames(results: ExperimentResults): string[] {
  return results.arms.map((arm) => arm.name);
}

function colorScale(names: string[]): vega.Scale {
  return { name: 'color', type: 'ordinal', domain: names, range: { scheme: names.length <= 10 ? 'tableau10' : 'tableau20' } };
}

/** Thin lines get fainter as seeds get more numerous, so 50 overlaid seeds still show a density. */
function lineOpacity(seedsPerArm: number): number {
  return Math.round(Math.min(0.85, Math.max(0.2, 1.6 / Math.sqrt(Math.max(1, seedsPerArm)))) * 100) / 100;
}

function subtitle(results: ExperimentResults): string {
  return `${results.id}: ${results.arms.length} arm(s), seeds ${formatSeeds(results.spec.seeds)}, one line per seed`;
}

function historySpec(results: ExperimentResults, options: HistoryChartOptions): vega.Spec {
  const names = armNames(results);
  const overlaid = names.length <= MAX_ARMS_OVERLAID;
  const columns = overlaid ? 1 : Math.min(4, Math.ceil(Math.sqrt(names.length)));
  const [width, height] = overlaid ? [560, 300] : [200, 130];
  const rows: (SeriesPoint & { panel: string; panel_order: number })[] = historySeries(results, options.pick).map((point) => ({
    ...point,
    panel: overlaid ? 'all arms' : point.arm,
    panel_order: overlaid ? 0 : names.indexOf(point.arm),
  }));
  const maxEpoch = rows.reduce((max, row) => Math.max(max, row.epoch), 1);
  const seedsPerArm = Math.max(1, ...results.arms.map((arm) => arm.runs.length));
  const yDomain: vega.ScaleData | number[] = options.yDomain ?? { data: 'points', field: 'value' };
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    background: 'white',
    padding: 10,
    title: { text: options.title, subtitle: subtitle(results), anchor: 'start', offset: 12 },
    data: [{ name: 'points', values: rows }],
    layout: { columns, padding: 24, bounds: 'full', align: 'all' },
    scales: [
      { name: 'x', type: 'linear', domain: [0, maxEpoch], range: [0, width], zero: true, nice: true },
      { name: 'y', type: 'linear', domain: yDomain, range: [height, 0], zero: true, nice: options.yDomain === undefined },
      colorScale(names),
    ],
    legends: [{ stroke: 'color', title: 'arm', symbolType: 'stroke', orient: 'right', labelLimit: 240 }],
    marks: [
      {
        type: 'group',
        name: 'panel',
        from: { facet: { name: 'panel_points', data: 'points', groupby: ['panel_order', 'panel'] } },
        sort: { field: 'datum.panel_order' },
        encode: { enter: { width: { value: width }, height: { value: height } } },
        ...(overlaid ? {} : { title: { text: { signal: 'parent.panel' }, fontSize: 11, limit: width } }),
        axes: [
          { orient: 'bottom', scale: 'x', title: 'epoch', grid: true, gridScale: 'y', gridOpacity: 0.35, tickCount: overlaid ? 10 : 4 },
          { orient: 'left', scale: 'y', title: options.yTitle, grid: true, gridScale: 'x', gridOpacity: 0.35, tickCount: 5, ...(options.yFormat ? { format: options.yFormat } : {}) },
        ],
        marks: [
          {
            type: 'group',
            from: { facet: { name: 'series_points', data: 'panel_points', groupby: ['arm', 'seed', 'series'] } },
            marks: [
              {
                type: 'line',
                name: 'seed-line',
                from: { data: 'series_points' },
                sort: { field: 'datum.epoch' },
                encode: {
                  enter: {
                    x: { scale: 'x', field: 'epoch' },
                    y: { scale: 'y', field: 'value' },
                    stroke: { scale: 'color', field: { parent: 'arm' } },
                    strokeWidth: { value: 1.1 },
                    strokeOpacity: { value: lineOpacity(seedsPerArm) },
                    description: { signal: 'parent.series' },
                  },
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

/** Test accuracy vs epoch, every arm and seed. */
export async function renderAccuracyChart(results: ExperimentResults): Promise<string> {
  return renderSpec(
    historySpec(results, { title: 'Test accuracy per epoch', yTitle: 'test accuracy', pick: (record) => record.test_acc, yDomain: [0, 1], yFormat: '.0%' }),
  );
}

/** Hidden progress ||w_t - w_0||_1 vs epoch: weights move long before accuracy shows it (Barak et al. 2022). */
export async function renderHiddenProgressChart(results: ExperimentResults): Promise<string> {
  return renderSpec(
    historySpec(results, { title: 'Hidden progress ||w_t - w_0||_1 per epoch', yTitle: '||w_t - w_0||_1', pick: (record) => record.weight_movement_l1, yFormat: '~s' }),
  );
}

/** The primary metric per arm: one dot per seed, a bar at the judged median; runs without a value as crosses on top. */
export async function renderMetricChart(results: ExperimentResults): Promise<string> {
  const metric = results.summary.primary.metric;
  const names = armNames(results);
  const points = metricPoints(results, metric);
  const measured = points.filter((point) => point.value !== null && Number.isFinite(point.value));
  const missing = points.filter((point) => point.value === null);
  const medians = names.flatMap((name) => {
    const value = results.summary.arms.find((arm) => arm.name === name)?.metrics[metric]?.median;
    return value === null || value === undefined || !Number.isFinite(value) ? [] : [{ arm: name, value }];
  });
  const bandWidth = Math.min(120, Math.max(36, Math.floor(600 / Math.max(1, names.length))));
  const width = Math.max(320, bandWidth * names.length);
  const height = 260;
  const missingNote = missing.length > 0 ? [`× at the top: ${missing.length} run(s) that never reached it (censored)`] : [];
  const spec: vega.Spec = {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    background: 'white',
    padding: 10,
    width,
    height,
    title: {
      text: `${metricLabel(metric)} per arm (${results.summary.primary.direction} is better)`,
      subtitle: [`${results.id}: dots are seeds, bars are the judged medians`, ...missingNote],
      anchor: 'start',
      offset: 12,
    },
    data: [
      { name: 'measured', values: measured },
      { name: 'missing', values: missing },
      { name: 'medians', values: medians },
    ],
    scales: [
      { name: 'x', type: 'band', domain: names, range: [0, width], padding: 0.2 },
      { name: 'y', type: 'linear', domain: { fields: [{ data: 'measured', field: 'value' }, { data: 'medians', field: 'value' }] }, range: [height, 0], zero: true, nice: true },
      colorScale(names),
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'arm', labelAngle: names.length > 6 ? -40 : 0, labelAlign: names.length > 6 ? 'right' : 'center', labelLimit: 160 },
      { orient: 'left', scale: 'y', title: metricLabel(metric), grid: true, gridOpacity: 0.35, format: '~s' },
    ],
    marks: [
      {
        type: 'rect',
        name: 'median-bar',
        from: { data: 'medians' },
        encode: {
          enter: {
            x: { scale: 'x', field: 'arm' },
            width: { scale: 'x', band: 1 },
            y: { scale: 'y', field: 'value', offset: -1.5 },
            height: { value: 3 },
            fill: { scale: 'color', field: 'arm' },
            description: { signal: "datum.arm + ' median ' + datum.value" },
          },
        },
      },
      {
        type: 'symbol',
        name: 'seed-dot',
        from: { data: 'measured' },
        encode: {
          enter: {
            x: { signal: "scale('x', datum.arm) + bandwidth('x') * (0.5 + datum.offset)" },
            y: { scale: 'y', field: 'value' },
            size: { value: 36 },
            fill: { scale: 'color', field: 'arm' },
            fillOpacity: { value: 0.75 },
            stroke: { value: 'white' },
            strokeWidth: { value: 0.5 },
            description: { signal: "datum.arm + ' seed ' + datum.seed + ': ' + datum.value" },
          },
        },
      },
      {
        type: 'symbol',
        name: 'missing-cross',
        from: { data: 'missing' },
        encode: {
          enter: {
            x: { signal: "scale('x', datum.arm) + bandwidth('x') * (0.5 + datum.offset)" },
            y: { value: 0 },
            shape: { value: 'cross' },
            angle: { value: 45 },
            size: { value: 40 },
            fill: { scale: 'color', field: 'arm' },
            description: { signal: "datum.arm + ' seed ' + datum.seed + ': no value'" },
          },
        },
      },
    ],
  };
  return renderSpec(spec);
}

/** The figures of a finding, or none when no run recorded a history (e.g. every run crashed). */
export async function renderAllCharts(results: ExperimentResults): Promise<{ name: string; title: string; svg: string }[]> {
  if (!hasAnyHistory(results)) return [];
  return [
    { name: 'test-accuracy.svg', title: 'Test accuracy per epoch, every arm and seed', svg: await renderAccuracyChart(results) },
    { name: 'hidden-progress.svg', title: 'Hidden progress ||w_t - w_0||_1 per epoch', svg: await renderHiddenProgressChart(results) },
    { name: `${results.summary.primary.metric}-per-arm.svg`, title: `${metricLabel(results.summary.primary.metric)} per arm`, svg: await renderMetricChart(results) },
  ];
}
