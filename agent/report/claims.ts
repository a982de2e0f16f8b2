// Claims: one row per DISCOVERIES.md line, joined to the finding it cites and that finding's numbers.
// A claim is shown whatever its state: confirmed, measured, not significant, contested, refuted, unsupported.
import type { DiscoveryLine } from '../workspace/discoveries.js';
import type { FrontMatterFile } from './read-workspace.js';
import type { ReportExperiment } from './report-experiment.js';

export type ClaimStatus = 'confirmed' | 'measured' | 'not significant' | 'contested' | 'refuted' | 'unsupported' | 'no finding';

export type ReportClaim = {
  topic: string;
  text: string;
  /** 1-based line in DISCOVERIES.md. */
  line: number;
  finding_id: string | null;
  /** The cited finding file exists. */
  finding_exists: boolean;
  finding_class: string | null;
  arm: string | null;
  ratio: number | null;
  ratio_ci_low: number | null;
  ratio_ci_high: number | null;
  p_value: number | null;
  seeds: number | null;
  conditions: string | null;
  status: ClaimStatus;
};

export function buildClaims(
  lines: readonly DiscoveryLine[],
  findings: ReadonlyMap<string, FrontMatterFile>,
  experiments: ReadonlyMap<string, ReportExperiment>,
): ReportClaim[] {
  return lines.map((line) => {
    const finding = line.finding_id ? (findings.get(line.finding_id) ?? null) : null;
    const results = line.finding_id ? (experiments.get(line.finding_id)?.results ?? null) : null;
    const findingClass = typeof finding?.data['class'] === 'string' ? finding.data['class'] : (results?.summary.class ?? null);
    const armName = results?.summary.best_arm ?? null;
    const comparison = results?.summary.arms.find((arm) => arm.name === armName)?.comparison ?? null;
    const baseline = results?.arms.find((arm) => arm.baseline)?.config;
    return {
      topic: line.topic,
      text: line.text,
      line: line.line,
      finding_id: line.finding_id,
      finding_exists: finding !== null,
      finding_class: findingClass,
      arm: armName,
      ratio: comparison?.ratio ?? null,
      ratio_ci_low: comparison?.ratio_ci_low ?? null,
      ratio_ci_high: comparison?.ratio_ci_high ?? null,
      p_value: comparison?.p_value ?? null,
      seeds: results ? results.spec.seeds.length : null,
      conditions: baseline
        ? `${baseline.task} n=${baseline.n_bits} k=${baseline.k}, hidden ${baseline.hidden}, lr ${baseline.lr}, wd ${baseline.wd}, batch ${baseline.batch_size}`
        : null,
      status: claimStatus(line, finding, findingClass),
    };
  });
}

/** Words in the line or a `status` in the finding's front matter win; otherwise the finding's class decides. */
function claimStatus(line: DiscoveryLine, finding: FrontMatterFile | null, findingClass: string | null): ClaimStatus {
  const marked = `${line.text} ${String(finding?.data['status'] ?? '')} ${String(finding?.data['claim_status'] ?? '')}`.toLowerCase();
  if (/\brefuted\b/.test(marked)) return 'refuted';
  if (/\bcontested\b/.test(marked)) return 'contested';
  if (finding === null) return 'no finding';
  if (findingClass === 'WIN' || findingClass === 'LOSS') return 'confirmed';
  if (findingClass === 'BASELINE') return 'measured';
  if (findingClass === 'INVALID') return 'unsupported';
  return 'not significant';
}
