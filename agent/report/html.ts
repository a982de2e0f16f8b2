// Small HTML helpers for the review page: escaping, tables with a caption and header row, links.
import { escapeHtml } from '../findings/svg-chart.js';

export { escapeHtml };

/** Raw HTML a cell may hold (a link, a badge); anything else is text and escaped. */
export type Html = { html: string };

export function raw(html: string): Html {
  return { html };
}

export type Cell = string | number | Html;

function cellHtml(cell: Cell): string {
  if (typeof cell === 'object') return cell.html;
  return escapeHtml(String(cell));
}

export type TableOptions = { caption: string; headers: readonly string[]; rows: readonly (readonly Cell[])[]; className?: string; id?: string };

/** Columns whose header ends in "#" or that hold numbers are right-aligned by the stylesheet's .num class. */
export function table(options: TableOptions): string {
  const numeric = options.headers.map(
    (_, column) =>
      options.rows.length > 0 &&
      options.rows.every(
        (row) => typeof row[column] === 'number' || /^[-−+<]?[\d.,]+(x|%| ms| s)?$/.test(String(typeof row[column] === 'object' ? '' : row[column])),
      ),
  );
  const head = options.headers.map((header, column) => `<th scope="col"${numeric[column] ? ' class="num"' : ''}>${escapeHtml(header)}</th>`).join('');
  const body = options.rows
    .map((row) => `<tr>${row.map((cell, column) => `<td${numeric[column] ? ' class="num"' : ''}>${cellHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  const attributes = `${options.id ? ` id="${escapeHtml(options.id)}"` : ''}${options.className ? ` class="${escapeHtml(options.className)}"` : ''}`;
  return `<div class="table-wrap"><table${attributes}><caption>${escapeHtml(options.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

export function link(href: string, text: string): Html {
  return raw(`<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`);
}

/** A class label as a coloured badge (text stays readable in print and without colour). */
export function badge(label: string): Html {
  return raw(`<span class="badge cls-${escapeHtml(label.toLowerCase().replace(/[^a-z0-9]+/g, '-'))}">${escapeHtml(label)}</span>`);
}

/** Stable colours per class; an unknown (future) class gets a neutral one. */
const classColors: Record<string, string> = {
  WIN: '#2e7d32',
  LOSS: '#c62828',
  INCONCLUSIVE: '#9e9e9e',
  INVALID: '#ef6c00',
  BASELINE: '#1565c0',
  MIXED: '#6a1b9a',
  QUEUED: '#e0e0e0',
};

export function classColor(label: string): string {
  return classColors[label] ?? '#607d8b';
}
