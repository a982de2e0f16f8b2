// Small hand-written SVG charts: points, thin lines, an optional step line, a linear x axis and a linear or log y axis, small multiples.
// Both the findings' figures and the review page draw with it. Static markup, readable without script, one
// <title> per mark for hover and screen readers; same input, same bytes out (no ids, no clock).
import { siPrefixes, trimZeros } from './format.js';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A mark; `cross` is a run without a value, drawn at the top edge. Printed beside the point: `tag`. */
export type ChartPoint = { x: number; y: number; color: string; label: string; tag?: string; shape?: 'circle' | 'cross' };
export type ChartLine = { points: readonly { x: number; y: number }[]; color: string; label: string; opacity?: number; width?: number };

export type ScatterChartOptions = {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  points?: readonly ChartPoint[];
  lines?: readonly ChartLine[];
  /** Drawn as a step line under the points (e.g. the best so far). */
  steps?: readonly { x: number; y: number }[];
  stepsLabel?: string;
  yLog?: boolean;
  /** Always inside the axes (e.g. experiment 1..N on every progress chart, accuracy 0..1). */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Named x positions (arms on a band axis) instead of numeric ticks. */
  xTicks?: readonly { value: number; label: string }[];
  legend?: readonly { label: string; color: string }[];
  /** A file of its own (a finding's figure): white background and the stylesheet inside. */
  standalone?: boolean;
  width?: number;
  height?: number;
  formatX?: (value: number) => string;
  formatY?: (value: number) => string;
};

/** The charts' rules, shared by the review page's stylesheet and every standalone figure. */
export const chartStyle = `svg.chart text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; fill: #333; } svg.chart .chart-title { font-size: 13px; font-weight: 600; }
svg.chart .subtitle { fill: #5f6368; } svg.chart .tag { font-size: 10px; fill: #333; }
svg.chart .grid { stroke: #e6e6e6; } svg.chart .axis { stroke: #666; } svg.chart .label { fill: #444; }
svg.chart .steps { stroke: #222; stroke-width: 1.5; stroke-dasharray: 5 3; }`;

type Axis = { toPixel: (value: number) => number; ticks: number[] };
type Frame = { left: number; right: number; top: number; bottom: number };

export function scatterChartSvg(options: ScatterChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 260;
  const legendWidth = options.legend ? 30 + 6.5 * Math.min(36, Math.max(...options.legend.map((entry) => entry.label.length))) : 0;
  const rotate = (options.xTicks?.length ?? 0) > 6;
  const frame: Frame = { left: 64, right: width - 16 - legendWidth, top: options.subtitle ? 46 : 28, bottom: height - (rotate ? 110 : 44) };
  const points = options.points ?? [];
  const lineValues = (options.lines ?? []).flatMap((line) => line.points);
  const values = [...points.filter((point) => point.shape !== 'cross'), ...lineValues, ...(options.steps ?? [])];
  const x = axis([...values.map((point) => point.x), ...(options.xDomain ?? [])], false, [frame.left, frame.right]);
  const y = axis([...values.map((point) => point.y), ...(options.yDomain ?? [])], options.yLog ?? false, [frame.bottom, frame.top]);
  const parts = [...axesSvg(options, frame, x, y, rotate, height)];
  if (options.steps && options.steps.length > 0) parts.push(stepPath(options.steps, x, y, options.stepsLabel ?? ''));
  for (const line of options.lines ?? []) parts.push(linePath(line, x, y));
  for (const point of points) parts.push(...pointSvg(point, x, y, frame));
  if (options.legend) parts.push(...legendSvg(options.legend, frame.right + 16, frame.top));
  return svgDocument({ ...options, width, height }, parts);
}

function svgDocument(options: ScatterChartOptions & { width: number; height: number }, parts: readonly string[]): string {
  const title = escapeHtml(options.title);
  const { width, height } = options;
  return [
    `<svg class="chart" role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${title}</title>`,
    ...(options.standalone ? [`<style>${chartStyle}</style>`, `<rect width="${width}" height="${height}" fill="white"/>`] : []),
    `<text x="${options.subtitle === undefined ? 64 : 8}" y="16" class="chart-title">${title}</text>`,
    ...(options.subtitle === undefined ? [] : [`<text x="8" y="32" class="subtitle">${escapeHtml(options.subtitle)}</text>`]),
    ...parts,
    '</svg>',
  ].join('\n');
}

function axesSvg(options: ScatterChartOptions, frame: Frame, x: Axis, y: Axis, rotate: boolean, height: number): string[] {
  const formatX = options.formatX ?? shortNumber;
  const formatY = options.formatY ?? shortNumber;
  const parts: string[] = [];
  for (const tick of y.ticks) {
    const py = round(y.toPixel(tick));
    parts.push(`<line x1="${frame.left}" x2="${frame.right}" y1="${py}" y2="${py}" class="grid"/>`);
    parts.push(`<text x="${frame.left - 6}" y="${py + 4}" text-anchor="end">${escapeHtml(formatY(tick))}</text>`);
  }
  const xTicks = options.xTicks ?? x.ticks.map((value) => ({ value, label: formatX(value) }));
  for (const tick of xTicks) {
    const px = round(x.toPixel(tick.value));
    const label = rotate
      ? `<text transform="translate(${px} ${frame.bottom + 14}) rotate(-40)" text-anchor="end">${escapeHtml(tick.label)}</text>`
      : `<text x="${px}" y="${frame.bottom + 16}" text-anchor="middle">${escapeHtml(tick.label)}</text>`;
    parts.push(`<line x1="${px}" x2="${px}" y1="${frame.bottom}" y2="${frame.bottom + 4}" class="axis"/>`, label);
  }
  parts.push(`<line x1="${frame.left}" x2="${frame.right}" y1="${frame.bottom}" y2="${frame.bottom}" class="axis"/>`);
  parts.push(`<text x="${(frame.left + frame.right) / 2}" y="${height - 8}" text-anchor="middle" class="label">${escapeHtml(options.xLabel)}</text>`);
  parts.push(
    `<text transform="translate(14 ${(frame.top + frame.bottom) / 2}) rotate(-90)" text-anchor="middle" class="label">${escapeHtml(options.yLabel)}</text>`,
  );
  return parts;
}

function pointSvg(point: ChartPoint, x: Axis, y: Axis, frame: Frame): string[] {
  const cx = round(x.toPixel(point.x));
  const title = `<title>${escapeHtml(point.label)}</title>`;
  if (point.shape === 'cross') {
    const d = `M${cx - 4},${frame.top - 4} l8,8 m0,-8 l-8,8`;
    return [`<path d="${d}" stroke="${point.color}" stroke-width="2" class="cross">${title}</path>`];
  }
  const cy = round(y.toPixel(point.y));
  const tag = point.tag ? [`<text x="${cx + 7}" y="${cy - 6}" class="tag">${escapeHtml(point.tag)}</text>`] : [];
  return [`<circle cx="${cx}" cy="${cy}" r="5" fill="${point.color}" stroke="#222" stroke-width="0.6">${title}</circle>`, ...tag];
}

function linePath(line: ChartLine, x: Axis, y: Axis): string {
  const d = line.points.map((point, index) => `${index === 0 ? 'M' : 'L'}${round(x.toPixel(point.x))},${round(y.toPixel(point.y))}`).join(' ');
  const opacity = line.opacity === undefined ? '' : ` stroke-opacity="${line.opacity}"`;
  return `<path d="${d}" fill="none" stroke="${line.color}" stroke-width="${line.width ?? 1.1}"${opacity}><title>${escapeHtml(line.label)}</title></path>`;
}

function stepPath(steps: readonly { x: number; y: number }[], x: Axis, y: Axis, label: string): string {
  let d = `M${round(x.toPixel(steps[0]!.x))},${round(y.toPixel(steps[0]!.y))}`;
  for (const step of steps.slice(1)) d += ` H${round(x.toPixel(step.x))} V${round(y.toPixel(step.y))}`;
  return `<path d="${d}" class="steps" fill="none"><title>${escapeHtml(label)}</title></path>`;
}

function legendSvg(entries: readonly { label: string; color: string }[], left: number, top: number): string[] {
  return entries.map((entry, index) => {
    const py = top + 8 + index * 16;
    return `<g class="legend-entry"><line x1="${left}" x2="${left + 16}" y1="${py}" y2="${py}" stroke="${entry.color}" stroke-width="2"/><text x="${left + 22}" y="${py + 4}">${escapeHtml(entry.label)}</text></g>`;
  });
}

/** Panels (each a chart of its own) in a grid under one title: small multiples. */
export function chartGridSvg(options: {
  title: string;
  subtitle: string;
  panels: readonly string[];
  columns: number;
  panelWidth: number;
  panelHeight: number;
}): string {
  const rows = Math.ceil(options.panels.length / options.columns);
  const [width, height] = [options.columns * options.panelWidth, 46 + rows * options.panelHeight];
  const panels = options.panels.map((panel, index) => {
    const [column, row] = [index % options.columns, Math.floor(index / options.columns)];
    return `<g transform="translate(${column * options.panelWidth} ${46 + row * options.panelHeight})">\n${panel.replace(' xmlns="http://www.w3.org/2000/svg"', '')}\n</g>`;
  });
  return svgDocument({ title: options.title, subtitle: options.subtitle, xLabel: '', yLabel: '', standalone: true, width, height }, panels);
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
  for (const [limit, suffix] of siPrefixes) {
    if (magnitude >= limit) return `${trimZeros((value / limit).toFixed(1))}${suffix}`;
  }
  return trimZeros(magnitude >= 100 || Number.isInteger(value) ? value.toFixed(0) : magnitude >= 10 ? value.toFixed(1) : value.toFixed(2));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
