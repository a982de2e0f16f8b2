// Time-to-event statistics for metrics a run may never reach (epochs to 90%, epochs to solve, time to solve):
// the Kaplan-Meier estimate, its median (censored when the curve never falls to 1/2), the restricted mean
// up to a horizon, and Gehan's scores for a rank test that respects censoring.
// Kaplan & Meier (1958); restricted mean: Royston & Parmar (2013); Gehan (1965).

/** One run's time to the event: `event` false means the run stopped (or will never get there) before reaching it. */
export type TimeToEvent = { time: number; event: boolean };

/** A value that may be a lower bound: a censored median of 200 reads "> 200 (censored)". */
export type CensoredValue = { value: number; censored: boolean };

/** The survival curve: S(t) just after each distinct event time, ascending. */
export type KaplanMeierStep = { time: number; survival: number; atRisk: number; events: number };

export function kaplanMeier(sample: readonly TimeToEvent[]): KaplanMeierStep[] {
  const times = [...new Set(sample.filter((s) => s.event).map((s) => s.time))].sort((a, b) => a - b);
  const steps: KaplanMeierStep[] = [];
  let survival = 1;
  for (const time of times) {
    // At risk at t: still under observation just before t (a run censored at t counts, as is usual).
    const atRisk = sample.filter((s) => s.time >= time).length;
    const events = sample.filter((s) => s.event && s.time === time).length;
    survival *= 1 - events / atRisk;
    steps.push({ time, survival, atRisk, events });
  }
  return steps;
}

const HALF_TOLERANCE = 1e-12;

/**
 * The Kaplan-Meier median: the first time S(t) <= 1/2; where S sits exactly at 1/2, the midpoint to the next
 * event time (as R's survfit, so an uncensored sample gets its ordinary median). When S never reaches 1/2 the
 * median is censored at the longest follow-up: { value: max time, censored: true }. Null for an empty sample.
 */
export function kaplanMeierMedian(sample: readonly TimeToEvent[]): CensoredValue | null {
  if (sample.length === 0) return null;
  const steps = kaplanMeier(sample);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (Math.abs(step.survival - 0.5) <= HALF_TOLERANCE) {
      const next = steps[i + 1];
      return { value: next ? (step.time + next.time) / 2 : step.time, censored: false };
    }
    if (step.survival < 0.5) return { value: step.time, censored: false };
  }
  return { value: Math.max(...sample.map((s) => s.time)), censored: true };
}

/** Restricted mean time to the event up to `horizon`: the area under S(t) on [0, horizon]. Null for an empty sample. */
export function restrictedMean(sample: readonly TimeToEvent[], horizon: number): number | null {
  if (sample.length === 0) return null;
  let area = 0;
  let previousTime = 0;
  let survival = 1;
  for (const step of kaplanMeier(sample)) {
    if (step.time >= horizon) break;
    area += survival * (step.time - previousTime);
    previousTime = step.time;
    survival = step.survival;
  }
  return area + survival * (horizon - previousTime);
}

/**
 * Gehan's score of each observation in the pooled sample: the number of others it is surely earlier than, minus
 * the number it is surely later than (an event at t is surely earlier than anything observed beyond t, and than a
 * run censored at t). Without censoring this is n + 1 - 2 rank, so a permutation test on it is Mann-Whitney's.
 */
export function gehanScores(pooled: readonly TimeToEvent[]): number[] {
  return pooled.map((a) => {
    let score = 0;
    for (const b of pooled) {
      if (surelyEarlier(a, b)) score++;
      else if (surelyEarlier(b, a)) score--;
    }
    return score;
  });
}

function surelyEarlier(a: TimeToEvent, b: TimeToEvent): boolean {
  return a.event && (a.time < b.time || (a.time === b.time && !b.event));
}
