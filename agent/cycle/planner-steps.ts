// The two steps of a cycle that ask the planner, each failure sorted out. Planning: Ctrl-C and an API outage skip the
// cycle, a refusal or an overfull context hands it to the built-in planner, the budget stops the loop, two bad answers
// are INVALID. Interpreting never throws the measurement away: on any failure the built-in narrative stands in.
import type { ExperimentResults } from '../../core/index.js';
import type { Interpretation } from '../domain.js';
import { ApiKeyRefusedError, BudgetExceededError } from '../llm/client.js';
import { ApiOutageError } from '../llm/outage.js';
import { createBuiltinPlanner } from '../planners/builtin.js';
import { PlannerOutputError, PlannerStopError } from '../planners/claude-output.js';
import type { Plan, Planner, PlanningContext } from '../planners/planner.js';
import type { CycleOptions } from './cycle-types.js';

export type PlanStep =
  | { status: 'planned'; plan: Plan }
  | { status: 'interrupted' | 'outage'; reason: string }
  | { status: 'failed'; reason: string; itemId: string | null; error: Error };

export async function planOrFallBack(options: CycleOptions, context: PlanningContext): Promise<PlanStep> {
  try {
    return { status: 'planned', plan: await options.planner.plan(context) };
  } catch (error) {
    if (options.cancelSignal?.aborted) return { status: 'interrupted', reason: 'interrupted: Ctrl-C during planning; nothing was written' };
    if (error instanceof BudgetExceededError || error instanceof ApiKeyRefusedError) throw error; // the loop stops: no cycle can succeed
    if (error instanceof ApiOutageError) {
      options.log(`cycle skipped: ${error.message}`);
      return { status: 'outage', reason: error.message };
    }
    if (error instanceof PlannerStopError) {
      options.log(`${error.message}; the built-in planner plans this cycle`);
      return { status: 'planned', plan: await createBuiltinPlanner().plan(context) };
    }
    // An answer that failed validation twice closes the item the model named as INVALID (the circuit breaker
    // watches); an answer that named none, or any other failure, checks nothing off.
    const itemId = error instanceof PlannerOutputError ? error.itemId : null;
    return { status: 'failed', reason: `planner failed: ${(error as Error).message}`, itemId, error: error as Error };
  }
}

export type InterpretOutcome = {
  interpretation: Interpretation;
  /** One line under the finding's Analysis heading saying who wrote it (null: the built-in rules, as usual). */
  narrativeNote: string | null;
  /** Why the planner's interpretation was replaced, when it was. */
  degraded: string | null;
};

export async function interpretOrDegrade(
  planner: Planner & { model?: string },
  context: PlanningContext,
  results: ExperimentResults,
  options: { cancelSignal?: AbortSignal | undefined; log: (line: string) => void },
): Promise<InterpretOutcome> {
  try {
    const interpretation = await planner.interpret(context, results);
    const note =
      planner.name === 'claude'
        ? `Written by a language model (${planner.model ?? 'claude'}); every number in its analysis was checked against results.json, and the tables above come from that file.`
        : null;
    return { interpretation, narrativeNote: note, degraded: null };
  } catch (error) {
    // Ctrl-C is not a failure to degrade around: the cycle stops and rolls back.
    if (options.cancelSignal?.aborted || planner.name === 'builtin') throw error;
    const why = (error as Error).message.split('\n')[0]!;
    options.log(`interpretation failed (${why}); the finding uses the built-in narrative`);
    return {
      interpretation: await createBuiltinPlanner().interpret(context, results),
      narrativeNote: `Written by the built-in rules from the numbers: the language model's interpretation failed (${why}).`,
      degraded: why,
    };
  }
}
