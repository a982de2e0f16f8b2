// The review page's data: one typed ReportData built from the workspace's files by plain functions.
// Classes and labels are strings, not the core's enum, so new verdicts (MIXED, outcome labels) pass through.
import type { ExperimentResults } from '../../core/index.js';
import type { CycleCommit } from '../io/git.js';
import { parseDiscoveries } from '../workspace/discoveries.js';
import { buildClaims, type ReportClaim } from './claims.js';
import { buildFailures, type FailureGroup } from './failures.js';
import type { FrontMatterFile, ReportInputs } from './read-workspace.js';
import { buildSummary, type ReportSummary } from './summary.js';
import { buildTradeoffs, type TradeoffPoint } from './tradeoffs.js';

export type { LineageEdge, ReportExperiment, ReportWindow } from './report-experiment.js';
import type { LineageEdge, ReportExperiment, ReportWindow } from './report-experiment.js';

export type ReportData = {
  generated_at: string;
  workspace: string;
  window: ReportWindow;
  summary: ReportSummary;
  /** In the window, oldest first. */
  experiments: ReportExperiment[];
  /** The canonical baseline (the newest BASELINE-only experiment, at any time), or null. */
  canonical: ReportExperiment | null;
  claims: ReportClaim[];
  lineage: LineageEdge[];
  tradeoffs: TradeoffPoint[];
  failures: FailureGroup[];
  problems: string[];
};

export type ReportDataOptions = { now: Date; window: ReportWindow };

export function buildReportData(inputs: ReportInputs, options: ReportDataOptions): ReportData {
  const all = collectExperiments(inputs);
  const from = options.window.from === null ? -Infinity : Date.parse(options.window.from);
  const experiments = all.filter((experiment) => Date.parse(experiment.date) >= from);
  const canonical = findCanonical(all);
  const findings = new Map(inputs.findings.map((file) => [file.id, file]));
  return {
    generated_at: options.now.toISOString(),
    workspace: inputs.workspace,
    window: options.window,
    summary: buildSummary(experiments, canonical),
    experiments,
    canonical,
    claims: buildClaims(parseDiscoveries(inputs.discoveriesText), findings, new Map(all.map((experiment) => [experiment.id, experiment]))),
    lineage: buildLineage(all, inputs.specs),
    tradeoffs: buildTradeoffs(experiments),
    failures: buildFailures(experiments),
    problems: inputs.problems,
  };
}

/** One experiment per results file or cycle commit, oldest first; a later commit of the same id wins. */
export function collectExperiments(inputs: ReportInputs): ReportExperiment[] {
  const byId = new Map<string, ReportExperiment>();
  const resultsById = new Map(inputs.results.map((results) => [results.id, results]));
  for (const commit of [...inputs.commits].reverse()) {
    const cls = commit.trailers['Class'];
    if (!cls) continue;
    const id = experimentIdOf(commit);
    if (id === null) continue;
    // An INVALID experiment keeps its results when its runs timed out; a failed cycle left none.
    const results = resultsById.get(id) ?? null;
    byId.set(id, fromCommit(id, commit, cls, results, inputs.findings.find((file) => file.id === id) ?? null));
  }
  for (const results of inputs.results) {
    if (!byId.has(results.id)) byId.set(results.id, fromResults(results));
  }
  return [...byId.values()].sort((a, b) => Date.parse(a.date) - Date.parse(b.date) || a.id.localeCompare(b.id));
}

function experimentIdOf(commit: CycleCommit): string | null {
  const finding = commit.trailers['Finding'];
  const experiment = commit.trailers['Experiment'];
  // An INVALID cycle's finding id is unique (it may differ from the spec id it failed on).
  const path = commit.trailers['Class'] === 'INVALID' ? (finding ?? experiment) : (experiment ?? finding);
  if (!path) return null;
  return path.replace(/^.*\//, '').replace(/\.md$/, '');
}

function fromCommit(id: string, commit: CycleCommit, cls: string, results: ExperimentResults | null, finding: FrontMatterFile | null): ReportExperiment {
  const tokens = /(\d+)\s*in\D+(\d+)\s*out/.exec(commit.trailers['Tokens'] ?? '');
  const base = results ? fromResults(results) : null;
  return {
    id,
    title: base?.title ?? stringField(finding?.data['title']) ?? id,
    question: base?.question ?? stringField(finding?.data['question']) ?? '',
    date: commit.date,
    class: cls,
    headline: base?.headline ?? commit.subject.replace(/^\S+\s+[^:]+:\s*/, ''),
    commit: commit.commit,
    planner: commit.trailers['Planner'] ?? null,
    motivated_by: base?.motivated_by ?? null,
    cost_usd: Number(commit.trailers['Cost-USD'] ?? 0) || 0,
    tokens_in: tokens ? Number(tokens[1]) : 0,
    tokens_out: tokens ? Number(tokens[2]) : 0,
    invalid_reason: cls === 'INVALID' ? invalidReason(commit) : null,
    results,
  };
}

function fromResults(results: ExperimentResults): ReportExperiment {
  return {
    id: results.id,
    title: results.spec.title,
    question: results.spec.question,
    date: results.provenance.finished_at,
    class: results.summary.class,
    headline: results.summary.headline,
    commit: null,
    planner: null,
    motivated_by: normalizeMotivation(results.spec.motivated_by),
    cost_usd: 0,
    tokens_in: 0,
    tokens_out: 0,
    invalid_reason: null,
    results,
  };
}

/** The reason paragraph of an INVALID commit ("Reason:\n..."), else its subject. */
function invalidReason(commit: CycleCommit): string {
  const reason = /\nReason:\n([\s\S]*?)(?:\n\n|$)/.exec(commit.message);
  return (reason?.[1] ?? commit.subject.replace(/^INVALID\s+[^:]+:\s*/, '')).trim();
}

function findCanonical(experiments: readonly ReportExperiment[]): ReportExperiment | null {
  // Baseline-only, every run finished, and some solved: a baseline whose runs timed out measures nothing.
  const baselines = experiments.filter((experiment) => {
    const arms = experiment.results?.summary.arms ?? [];
    return arms.length > 0 && arms.every((arm) => arm.baseline && arm.timed_out + arm.crashed === 0 && arm.solved > 0);
  });
  return baselines.at(-1) ?? null;
}

/** "findings/x.md", "x.md" or "x" -> "x". */
export function normalizeMotivation(value: unknown): string | null {
  const text = stringField(value);
  return text ? text.replace(/^findings\//, '').replace(/\.md$/, '') : null;
}

function buildLineage(experiments: readonly ReportExperiment[], specs: readonly FrontMatterFile[]): LineageEdge[] {
  const edges: LineageEdge[] = experiments
    .filter((experiment) => experiment.motivated_by !== null)
    .map((experiment) => ({ from: experiment.motivated_by!, to: experiment.id, to_class: experiment.class, queued: false }));
  const ran = new Set(experiments.map((experiment) => experiment.id));
  for (const spec of specs) {
    const from = normalizeMotivation(spec.data['motivated_by']);
    if (from !== null && !ran.has(spec.id)) edges.push({ from, to: spec.id, to_class: 'QUEUED', queued: true });
  }
  return edges;
}

function stringField(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
