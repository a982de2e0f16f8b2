// The planner interface: propose the next experiment, then turn its results into narrative,
// follow-ups and discoveries. Two implementations: built-in rules (offline) and Claude.
import type { ExperimentResults, SpecInput } from '../../core/index.js';
import type { FindingSummary, Interpretation, QueueItem, SearchSpace } from '../domain.js';
import type { LlmUsage, Transcript } from '../llm/transcript.js';
import type { Ledger } from '../experiments/ledger.js';

export type PlanningContext = {
  todoText: string;
  discoveriesText: string;
  findings: FindingSummary[];
  /** The parsed experiments/search-space.yaml. */
  searchSpace: SearchSpace;
  searchSpaceText: string;
  /** Open items, top first. */
  queue: QueueItem[];
  /** Spec ids that already exist in experiments/ (a new spec must not reuse one). */
  existingSpecIds: string[];
  /** The most recent experiment's results, if any. */
  lastResults: ExperimentResults | null;
  /** Every run ever made in the workspace (each results/<id>/results.json), keyed by (config, seed, limits, core hash). */
  ledger: Ledger;
  /** The core this cycle runs on: a candidate's runs are known when the ledger has them under this core (knownRun). */
  coreHash: string;
  /** AGENDA.md as written ('' when the workspace has none): questions, objective, best so far, claims (agent/workspace/agenda.ts). */
  agendaText?: string;
  /** Today's date, YYYY-MM-DD (injected: planners read no clock). */
  today: string;
};

export type Plan =
  | {
      kind: 'spec';
      /** The spec's front matter (validated by the caller with parseSpec) and its markdown body. */
      spec: SpecInput;
      body: string;
      /** The queue item this plan answers (null for a generated experiment not in the queue). */
      item_id: string | null;
      /** Why this experiment, in one or two sentences. */
      rationale: string;
    }
  | {
      /** Run the spec file a queue item links, as it is. */
      kind: 'linked';
      item_id: string;
      spec_path: string;
      rationale: string;
    }
  | { kind: 'idle'; reason: string };

export type PlannerUsage = LlmUsage;

export interface Planner {
  readonly name: 'builtin' | 'claude';
  plan(context: PlanningContext): Promise<Plan>;
  interpret(context: PlanningContext, results: ExperimentResults): Promise<Interpretation>;
  /** Usage since the planner was created (zero for the built-in one). */
  usage(): PlannerUsage;
  /** The model exchanges since the last reset, saved beside the cycle's results (null: the planner keeps none). */
  transcript(): Transcript | null;
  /** Starts a new transcript: the one saved with a cycle is that cycle's. */
  resetTranscript(): void;
}
