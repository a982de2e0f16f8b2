// One experiment as the review page knows it, and the page's window: the types every section builder shares.
import type { ExperimentResults } from '../../core/index.js';

export type ReportExperiment = {
  id: string;
  title: string;
  question: string;
  /** ISO time of its cycle commit, or of its results when it was run by hand. */
  date: string;
  class: string;
  headline: string;
  commit: string | null;
  planner: string | null;
  /** The finding id (or TODO id) the spec names in motivated_by. */
  motivated_by: string | null;
  cost_usd: number;
  tokens_in: number;
  tokens_out: number;
  /** Why the cycle failed, for INVALID cycles that left no results. */
  invalid_reason: string | null;
  results: ExperimentResults | null;
};

export type LineageEdge = { from: string; to: string; to_class: string; queued: boolean };

export type ReportWindow = { label: string; from: string | null; to: string };
