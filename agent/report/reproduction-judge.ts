// Ours against a published figure, from numbers: "same" within 25% of a published value, "consistent" inside a
// published range (or when our bound allows the published value), "differs" otherwise. A figure of ours is a value,
// a bound (an arm that ran to max_epochs without getting there is censored there: its epochs are "> max"), or none.
import { formatRatio } from '../findings/format.js';
import type { PublishedFigure } from './reproduction-file.js';

/** Within this relative distance of a published value, ours is "same". */
export const SAME_WITHIN = 0.25;

export type Status = 'same' | 'consistent' | 'differs';
export type Judged = { text: string; status: Status };
/** A figure of ours: exact, known only to lie below / above `value`, or never reached (null). */
export type Measured = { value: number; bound: '<' | '>' | null } | null;

export const exact = (value: number | null): Measured => (value === null ? null : { value, bound: null });

/** a / b of two figures of ours; a censored side turns the ratio into a bound; both censored: nothing. */
export function ratioOf(a: Measured, b: Measured): Measured {
  if (!a || !b || (a.bound && b.bound)) return null;
  return { value: a.value / b.value, bound: a.bound ? '>' : b.bound ? '<' : null };
}

export function measuredText(measured: Measured, show: (value: number) => string): string {
  if (measured === null) return 'never';
  return `${measured.bound ? `${measured.bound} ` : ''}${show(measured.value)}`;
}

function publishedText(published: PublishedFigure, show: (value: number) => string): string {
  if (typeof published === 'number') return show(published);
  if (published.low !== undefined && published.high !== undefined) return `${show(published.low)}–${show(published.high)}`;
  return published.low !== undefined ? `> ${show(published.low)}` : `< ${show(published.high!)}`;
}

/**
 * "90% 35.2 vs 33, 1.07x (same)": ours vs published, their ratio for a plain value, and the status. `change` compares
 * signed relative changes (-0.04 is 4% lower): the same sign and within 25% of each other is "same".
 */
export function judgeFigure(
  label: string,
  ours: Measured,
  published: PublishedFigure,
  show: (value: number) => string,
  mode: 'value' | 'change' = 'value',
): Judged {
  const shown = `${label} ${measuredText(ours, show)} vs ${publishedText(published, show)}`;
  if (ours === null) return { text: `${shown} (differs)`, status: 'differs' };
  const status = statusOf(ours, published, mode);
  const point = typeof published === 'number' && ours.bound === null;
  const ratio = point && mode === 'value' ? `, ${formatRatio(ours.value / published)}` : '';
  const direction =
    point && mode === 'change' && status === 'differs' ? (Math.sign(ours.value) === Math.sign(published) ? ', same direction' : ', opposite direction') : '';
  return { text: `${shown}${ratio} (${status}${direction})`, status };
}

function statusOf(ours: NonNullable<Measured>, published: PublishedFigure, mode: 'value' | 'change'): Status {
  const [low, high] = typeof published === 'number' ? [published, published] : [published.low ?? -Infinity, published.high ?? Infinity];
  if (ours.bound === '<') return low <= ours.value ? 'consistent' : 'differs';
  if (ours.bound === '>') return high >= ours.value ? 'consistent' : 'differs';
  if (typeof published !== 'number') return ours.value >= low && ours.value <= high ? 'consistent' : 'differs';
  if (mode === 'change' && Math.sign(ours.value) !== Math.sign(published)) return 'differs';
  return Math.abs(ours.value / published - 1) <= SAME_WITHIN ? 'same' : 'differs';
}

/** "solved: same", or "solved: 2/5 vs 5/5 (differs)"; a published "all" / "none" is any number of runs. */
export function judgeCount(label: string, count: number, runs: number, published: string): Judged {
  const [publishedCount, publishedRuns] = published === 'all' ? [1, 1] : published === 'none' ? [0, 1] : published.split('/').map(Number);
  if (count * publishedRuns! === publishedCount! * runs) return { text: `${label}: same`, status: 'same' };
  return { text: `${label}: ${count}/${runs} vs ${published} (differs)`, status: 'differs' };
}
