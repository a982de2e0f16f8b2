// The morning digest: the night's cycles ranked by effect size (with CIs), and flags on the ones a
// human should read first. Pure: it gets the cycles, their results and DISCOVERIES.md as data.
import type { ExperimentResults } from '../../core/index.js';
import { formatComparison, formatRatio } from '../findings/format.js';

export type CycleRecord = {
  commit: string;
  date: string;
  subject: string;
  cls: string;
  experiment_id: string | null;
  finding: string | null;
  cost_usd: number;
  results: ExperimentResults | null;
};

export type DigestEntry = { record: CycleRecord; effect: number | null; line: string; flags: string[] };

const DEFAULT_SEEDS = 5;

/** Ranked by |log ratio| of the best arm (largest effect first); cycles without a ratio last. */
export function buildDigest(records: CycleRecord[], discoveriesText: string): DigestEntry[] {
  const entries = records.map((record) => digestEntry(record, discoveriesText));
  return entries.sort((a, b) => (b.effect ?? -1) - (a.effect ?? -1));
}

function digestEntry(record: CycleRecord, discoveriesText: string): DigestEntry {
  const results = record.results;
  const best = results?.summary.arms.find((arm) => arm.name === results.summary.best_arm);
  const comparison = best?.comparison ?? null;
  const ratio = comparison?.ratio ?? null;
  const effect = ratio !== null && ratio > 0 && Number.isFinite(ratio) ? Math.abs(Math.log(ratio)) : null;
  const numbers = ratio !== null && comparison ? ` ${best!.name} ${formatComparison(comparison)}` : '';
  return {
    record,
    effect,
    line: `${record.cls.padEnd(12)} ${record.experiment_id ?? '-'}:${numbers || ` ${record.subject.replace(/^\S+ \S+: /, '')}`}`,
    flags: flagsFor(record, ratio, discoveriesText),
  };
}

function flagsFor(record: CycleRecord, ratio: number | null, discoveriesText: string): string[] {
  const flags: string[] = [];
  const results = record.results;
  if (ratio !== null && (ratio <= 1 / 3 || ratio >= 3)) flags.push(`very large effect (${formatRatio(ratio)}): check it is real`);
  if (results) {
    const limitMs = results.spec.time_limit * 1000;
    const slowest = Math.max(0, ...results.arms.flatMap((arm) => arm.runs.map((run) => run.elapsed_ms)));
    if (slowest >= 0.8 * limitMs) flags.push(`a run took ${(slowest / 1000).toFixed(1)} s of its ${results.spec.time_limit} s limit`);
    if (results.spec.seeds.length < DEFAULT_SEEDS) flags.push(`only ${results.spec.seeds.length} seeds (default ${DEFAULT_SEEDS})`);
    const contradiction = contradictedDiscovery(results, discoveriesText);
    if (contradiction) flags.push(`contradicts DISCOVERIES.md: "${contradiction}"`);
  }
  if (record.cls === 'INVALID') flags.push('cycle failed: read the reason in the finding');
  return flags;
}

/**
 * A discovery line that cites an earlier finding about the same arm, but with the opposite verdict:
 * the line says the method won ("faster", "fewer", "wins", "beats") and this result is a LOSS, or the reverse.
 */
export function contradictedDiscovery(results: ExperimentResults, discoveriesText: string): string | null {
  const verdict = results.summary.class;
  if (verdict !== 'WIN' && verdict !== 'LOSS') return null;
  const arm = results.summary.best_arm;
  if (!arm) return null;
  const positive = /\b(faster|fewer|wins?|beats?|better|solves)\b/i;
  const negative = /\b(slower|more epochs|loses?|worse|fails?|did not|no gain)\b/i;
  for (const line of discoveriesText.split('\n')) {
    if (!line.startsWith('- ') || line.includes(`findings/${results.id}.md`)) continue;
    if (!new RegExp(`\\b${escapeRegExp(arm)}\\b`, 'i').test(line)) continue;
    if (verdict === 'LOSS' && positive.test(line) && !negative.test(line)) return line.slice(2, 120);
    if (verdict === 'WIN' && negative.test(line) && !positive.test(line)) return line.slice(2, 120);
  }
  return null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function renderDigest(entries: DigestEntry[]): string[] {
  if (entries.length === 0) return ['no cycles in this period'];
  return entries.flatMap((entry, index) => [`${String(index + 1).padStart(2)}. ${entry.line}`, ...entry.flags.map((flag) => `      ! ${flag}`)]);
}
