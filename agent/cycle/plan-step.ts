// The plan step of a cycle, with each way it can fail sorted out: Ctrl-C (interrupted), an API outage
// (no record, not the circuit breaker's business), a refusal or an overfull context (the built-in planner
// plans this cycle), the budget (the loop stops), and an answer that failed its checks twice (INVALID).
import { ApiKeyRefusedError, BudgetExceededError } from '../llm/client.js';
import { ApiOutageError } from '../llm/outage.js';
import { createBuiltinPlanner } from '../planners/builtin.js';
import { PlannerOutputError, PlannerStopError } from '../planners/claude-output.js';
import type { Plan, PlanningContext } from '../planners/planner.js';
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
