// The interpret step of a cycle, which never throws the measurement away: when the planner's
// interpretation fails for any reason (an answer that failed its checks twice, an API error, the budget
// reached after the plan), the finding gets the built-in planner's narrative, follow-ups and discoveries.
import type { ExperimentResults } from '../../core/index.js';
import { createBuiltinPlanner } from '../planners/builtin.js';
import type { Planner, PlanningContext } from '../planners/planner.js';
import type { Interpretation } from '../domain.js';

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
