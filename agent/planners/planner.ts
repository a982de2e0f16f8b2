// The planner interface: propose the next experiment, then turn its results into narrative,
// follow-ups and discoveries. Two implementations: built-in rules (offline) and Claude.
import type { ExperimentClass, ExperimentResults, SpecInput } from '../../core/index.js';

/** One finding as the index knows it (from findings/<id>.md front matter). */
export type FindingSummary = {
  id: string;
  date: string;
  class: ExperimentClass;
  question: string;
  primary_metric: string;
  headline: string;
  /** Relative path of the finding file, e.g. findings/exp-egd.md. */
  path: string;
  results_path: string;
  /** Per-arm summary numbers from the front matter (name -> metric -> value). */
  arms: Record<string, Record<string, number | string | null>>;
  best_arm: string | null;
};

/** An open TODO item the planner may take. */
export type QueueItem = {
  id: string;
  text: string;
  section: string;
  /** experiments/<id>.md when the item links a spec. */
  spec_path: string | null;
  /** The finding that motivated this item, if any. */
  motivated_by: string | null;
};

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

export type FollowUp = {
  /** One line for TODO.md. */
  text: string;
  /** A ready spec for it, when the planner can write one (written to experiments/<id>.md). */
  spec?: SpecInput;
  body?: string;
  /** The finding id that motivated it. */
  motivated_by: string;
};

export type Discovery = { topic: string; text: string };

export type Narrative = {
  worked: string[];
  didnt: string[];
  surprise: string[];
  open_questions: string[];
};

export type Interpretation = {
  narrative: Narrative;
  follow_ups: FollowUp[];
  discoveries: Discovery[];
};

export type PlannerUsage = {
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  requests: number;
};

export interface Planner {
  readonly name: 'builtin' | 'claude';
  plan(context: PlanningContext): Promise<Plan>;
  interpret(context: PlanningContext, results: ExperimentResults): Promise<Interpretation>;
  /** Usage since the planner was created (zero for the built-in one). */
  usage(): PlannerUsage;
}

/** The search space: which values a planner may propose for each config key (ordered, for "one step further"). */
export type SearchSpace = {
  tasks: string[];
  parameters: Record<string, (number | string)[]>;
  limits: { max_seeds: number; max_time_limit: number; max_epochs: number; max_runs: number };
};
