// The lab's domain types: what the workspace files hold (findings, queue items, discoveries, narratives,
// the search space). Below every folder of agent/ that uses them, so nothing imports upwards to reach them.
import type { ExperimentClass, SpecInput } from '../core/index.js';

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

export type FollowUp = {
  /** One line for TODO.md. */
  text: string;
  /** A ready spec for it, when the planner can write one (written to experiments/<id>.md). */
  spec?: SpecInput;
  body?: string;
  /** The finding id that motivated it. */
  motivated_by: string;
};

/** A fact for DISCOVERIES.md; `replaces` names the unconfirmed line it settles (the same change, citing that finding). */
export type Discovery = { topic: string; text: string; replaces?: { finding_id: string; change: string } };

export type Narrative = {
  worked: string[];
  didnt: string[];
  surprise: string[];
  open_questions: string[];
};

export type Interpretation = {
  narrative: Narrative;
  follow_ups: FollowUp[];
  /** Facts for DISCOVERIES.md: written only for a confirmation on fresh seeds (agent/cycle/update-docs.ts). */
  discoveries: Discovery[];
  /** Earlier discoveries this result contradicts: their lines get a contested marker. */
  contested?: { finding_id: string; by: string }[];
  /** The updated AGENDA.md, when the planner keeps one. */
  agenda?: string;
};

/** One value a planner may give a knob: a number, an enum value, or a curriculum's stage list. */
export type SearchValue = number | string | number[];

/** The search space: which values a planner may propose for each knob (ordered, for "one step further"); see workspace/search-knobs.ts. */
export type SearchSpace = {
  tasks: string[];
  parameters: Record<string, SearchValue[]>;
  limits: { max_seeds: number; max_time_limit: number; max_epochs: number; max_runs: number };
};
