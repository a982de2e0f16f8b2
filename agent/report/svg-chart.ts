// A small hand-written SVG scatter chart (optional step line, linear or log axes) for the review page:
// static markup, readable without script, one <title> per point for hover and screen readers.
import { escapeHtml } from './html.js';

export type ChartPoint = { x: number; y: number; color: string; label: string; /** Printed beside the point when set. */ tag?: string };

export type ScatterChartOptions = {
  title: string;
  xLabel: string;
  yLabel: string;
  points: readonly ChartPoint[];
  /** Drawn as a step line under the points (e.g. the best so far). */
  steps?: readonly { x: number; y: number }[];
  stepsLabel?: string;
  xLog?: boolean;
  /** Fixed x extent (e.g. experiment 1..N on every progress chart). */
  xDomain?: [number, number];
  yLog?: boolean;
  width?: number;
  height?: number;
  formatX?: (value: number) => string;
  formatY?: (value: number) => string;
};

const margin = { top: 28, right: 16, bottom: 44, left: 64 };

type Axis = { toPixel: (value: number) => number; ticks: number[] };

export function scatterChartSvg(options: ScatterChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 260;
  const values = [...options.points, ...(options.steps ?? [])];
  const x = axis([...values.map((point) => point.x), ...(options.xDomain ?? [])], options.xLog ?? false, [margin.left, width - margin.right]);
  const y = axis(
    values.map((point) => point.y),
    options.yLog ?? false,
    [height - margin.bottom, margin.top],
  );
  const formatX = options.formatX ?? shortNumber;
  const formatY = options.formatY ?? shortNumber;
  const parts: string[] = [];
  for (const tick of y.ticks) {
    const py = round(y.toPixel(tick));
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${py}" y2="${py}" class="grid"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${py + 4}" text-anchor="end">${escapeHtml(formatY(tick))}</text>`);
  }
  for (const tick of x.ticks) {
    const px = round(x.toPixel(tick));
    parts.push(`<line x1="${px}" x2="${px}" y1="${height - margin.bottom}" y2="${height - margin.bottom + 4}" class="axis"/>`);
    parts.push(`<text x="${px}" y="${height - margin.bottom + 16}" text-anchor="middle">${escapeHtml(formatX(tick))}</text>`);
  }
  parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}" class="axis"/>`);
  parts.push(`<text x="${(margin.left + width - margin.right) / 2}" y="${height - 8}" text-anchor="middle" class="label">${escapeHtml(options.xLabel)}</text>`);
  parts.push(
    `<text transform="translate(14 ${(margin.top + height - margin.bottom) / 2}) rotate(-90)" text-anchor="middle" class="label">${escapeHtml(options.yLabel)}</text>`,
  );
  if (options.steps && options.steps.length > 0) parts.push(stepPath(options.steps, x, y, options.stepsLabel ?? ''));
  for (const point of options.points) {
    const [cx, cy] = [round(x.toPixel(point.x)), round(y.toPixel(point.y))];
    parts.push(`<circle cx="${cx}" cy="${cy}" r="5" fill="${point.color}" stroke="#222" stroke-width="0.6"><title>${escapeHtml(point.label)}</title></circle>`);
    if (point.tag) parts.push(`<text x="${cx + 7}" y="${cy - 6}" class="tag">${escapeHtml(point.tag)}</text>`);
  }
  const title = escapeHtml(options.title);
  return [
    `<svg class="chart" role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${title}</title>`,
    `<text x="${margin.left}" y="16" class="chart-title">${title}</text>`,
    ...parts,
    '</svg>',
  ].join('\n');
}

function stepPath(steps: readonly { x: number; y: number }[], x: Axis, y: Axis, label: string): string {
  let d = `M${round(x.toPixel(steps[0]!.x))},${round(y.toPixel(steps[0]!.y))}`;
  for (const step of steps.slice(1)) d += ` H${round(x.toPixel(step.x))} V${round(y.toPixel(step.y))}`;
  return `<path d="${d}" class="steps" fill="none"><title>${escapeHtml(label)}</title></path>`;
}

function axis(values: readonly number[], log: boolean, range: [number, number]): Axis {
  const usable = values.filter((value) => Number.isFinite(value) && (!log || value > 0));
  let low = usable.length ? Math.min(...usable) : 0;
  let high = usable.length ? Math.max(...usable) : 1;
  if (log) {
    low = 10 ** Math.floor(Math.log10(low));
    high = 10 ** Math.ceil(Math.log10(high));
    if (high === low) high = low * 10;
    const ticks: number[] = [];
    for (let tick = low; tick <= high * 1.0001; tick *= 10) ticks.push(tick);
    const span = Math.log10(high) - Math.log10(low);
    return { ticks, toPixel: (value) => range[0] + ((Math.log10(Math.max(value, low)) - Math.log10(low)) / span) * (range[1] - range[0]) };
  }
  if (low > 0 && low < high / 2) low = 0;
  if (high === low) [low, high] = low === 0 ? [0, 1] : [Math.min(0, low * 0.9), Math.max(0, high * 1.1)];
  const step = niceStep((high - low) / 5);
  const start = Math.floor(low / step) * step;
  const end = Math.ceil(high / step) * step;
  const ticks: number[] = [];
  for (let tick = start; tick <= end + step / 1000; tick += step) ticks.push(Math.round(tick / step) * step);
  return { ticks, toPixel: (value) => range[0] + ((value - start) / (end - start)) * (range[1] - range[0]) };
}

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/** 1200 -> "1.2k", 3.4e9 -> "3.4G", 0.25 -> "0.25". */
export function shortNumber(value: number): string {
  const magnitude = Math.abs(value);
  for (const [limit, suffix] of [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (magnitude >= limit) return `${trim((value / limit).toFixed(1))}${suffix}`;
  }
  return trim(magnitude >= 100 || Number.isInteger(value) ? value.toFixed(0) : magnitude >= 10 ? value.toFixed(1) : value.toFixed(2));
}

function trim(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
