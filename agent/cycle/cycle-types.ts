// What a cycle takes and what it returns (its own module, so the cycle and the INVALID record share them without importing each other).
import type { ExperimentClass } from '../../core/index.js';
import type { Clock } from '../io/clock.js';
import type { CycleBudgetOptions } from './budget.js';
import type { Planner, PlannerUsage } from '../planners/planner.js';

export type CycleOptions = {
  workspace: string;
  planner: Planner;
  clock: Clock;
  /** The core hash the loop started with: a cycle refuses to run on a changed bench. */
  expectedCoreHash: string;
  dryRun?: boolean;
  cancelSignal?: AbortSignal;
  workers?: number;
  /** Extra environment for the experiment child, e.g. LAB_QUEUE_URL when the runs go to the job queue. */
  childEnv?: Record<string, string>;
  /** Hard limit on the child run; default: 1.5x the spec's runs x time_limit (as if on one worker) + 60 s. */
  childTimeoutMs?: number;
  /** Probe the spec and fit it into this share of the night (budget.ts); absent: the spec runs as written. */
  budget?: CycleBudgetOptions;
  log: (line: string) => void;
};

export type CycleOutcome =
  | {
      status: 'committed';
      class: ExperimentClass;
      experiment_id: string;
      commit: string;
      headline: string;
      usage: PlannerUsage;
    }
  | { status: 'invalid'; class: 'INVALID'; experiment_id: string; commit: string; reason: string; usage: PlannerUsage }
  | { status: 'idle'; reason: string; usage: PlannerUsage }
  | { status: 'dry-run'; spec_path: string; text: string; usage: PlannerUsage }
  | { status: 'interrupted'; reason: string; usage: PlannerUsage }
  /** The API stayed unavailable beyond every retry and pause: nothing was written; never counts as INVALID. */
  | { status: 'outage'; reason: string; usage: PlannerUsage };
