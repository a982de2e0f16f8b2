// The overnight loop: cycles until a stop condition says stop. Stop conditions are tiny predicates over
// the loop's state (vercel/ai style), checked before every cycle; the limits live in code, not in a prompt.
import type { Clock } from '../io/clock.js';
import { BudgetExceededError } from '../llm/client.js';
import { runCycle, type CycleOptions, type CycleOutcome } from './cycle.js';

export type LoopState = {
  outcomes: CycleOutcome[];
  startedAtMs: number;
  nowMs: number;
  spentUsd: number;
};

/** A stop condition returns the reason to stop, or null to go on. */
export type StopCondition = (state: LoopState) => string | null;

export const isCycleCount =
  (cycles: number): StopCondition =>
  (state) =>
    state.outcomes.length >= cycles ? `${cycles} cycle${cycles === 1 ? '' : 's'} done` : null;

export const isHoursElapsed =
  (hours: number): StopCondition =>
  (state) =>
    state.nowMs - state.startedAtMs >= hours * 3_600_000 ? `${hours} h elapsed` : null;

export const isBudgetSpent =
  (budgetUsd: number): StopCondition =>
  (state) =>
    state.spentUsd >= budgetUsd ? `budget of $${budgetUsd.toFixed(2)} spent ($${state.spentUsd.toFixed(4)})` : null;

export const isQueueExhausted: StopCondition = (state) => {
  const last = state.outcomes[state.outcomes.length - 1];
  return last?.status === 'idle' ? `queue exhausted: ${last.reason}` : null;
};

/** Circuit breaker: 3 INVALID cycles in a row, or 5 in the last 20. API outages are not cycles of the lab's: skipped. */
export const isCircuitOpen: StopCondition = (state) => {
  const invalid = state.outcomes.filter((outcome) => outcome.status !== 'outage').map((outcome) => outcome.status === 'invalid');
  const lastThree = invalid.slice(-3);
  if (lastThree.length === 3 && lastThree.every(Boolean)) return 'circuit breaker: 3 INVALID cycles in a row';
  if (invalid.slice(-20).filter(Boolean).length >= 5) return 'circuit breaker: 5 INVALID cycles in the last 20';
  return null;
};

export const isInterrupted: StopCondition = (state) => (state.outcomes[state.outcomes.length - 1]?.status === 'interrupted' ? 'interrupted' : null);

export type LoopOptions = Omit<CycleOptions, 'expectedCoreHash'> & {
  expectedCoreHash: string;
  /** Spend already committed by earlier runs of the loop (from the commit trailers): counts toward the budget. */
  spentBeforeUsd?: number;
  stopWhen: StopCondition[];
  clock: Clock;
  onCycle?: (outcome: CycleOutcome, state: LoopState) => void | Promise<void>;
};

export type LoopSummary = { outcomes: CycleOutcome[]; stopReason: string; spentUsd: number; error: Error | null };

export async function runLoop(options: LoopOptions): Promise<LoopSummary> {
  const startedAtMs = options.clock.date().getTime();
  const spentBefore = options.spentBeforeUsd ?? 0;
  const state: LoopState = { outcomes: [], startedAtMs, nowMs: startedAtMs, spentUsd: spentBefore };
  // Spend is read from the planner, not summed over outcomes: a cycle that ends in an exception
  // (the budget running out mid-cycle) has no outcome, but its requests were paid for.
  const costAtStart = options.planner.usage().cost_usd;
  const spentSinceStart = () => spentBefore + options.planner.usage().cost_usd - costAtStart;
  const always = [isInterrupted, isQueueExhausted, isCircuitOpen];
  for (;;) {
    state.nowMs = options.clock.date().getTime();
    const reason = [...always, ...options.stopWhen].map((condition) => condition(state)).find((value) => value !== null);
    if (reason) return { outcomes: state.outcomes, stopReason: reason, spentUsd: state.spentUsd, error: null };
    if (options.cancelSignal?.aborted) return { outcomes: state.outcomes, stopReason: 'interrupted', spentUsd: state.spentUsd, error: null };
    let outcome: CycleOutcome;
    try {
      outcome = await runCycle(options);
    } catch (error) {
      state.spentUsd = spentSinceStart();
      const budget = error instanceof BudgetExceededError;
      const stopReason = `${budget ? 'budget' : 'stopped'}: ${(error as Error).message}`;
      return { outcomes: state.outcomes, stopReason, spentUsd: state.spentUsd, error: budget ? null : (error as Error) };
    }
    state.outcomes.push(outcome);
    state.spentUsd = spentSinceStart();
    await options.onCycle?.(outcome, state);
  }
}
