// The clock the agent reads, injected everywhere so tests can fix time. `now` is a monotonic
// millisecond counter for durations; `date` is wall-clock time for timestamps in files.

export type Clock = {
  /** Monotonic milliseconds (performance.now()): use for durations and deadlines. */
  now: () => number;
  /** Wall-clock time: use for timestamps written to files and commits. */
  date: () => Date;
};

export const systemClock: Clock = {
  now: () => performance.now(),
  date: () => new Date(),
};

/** A clock that only moves when told to, for tests: `advance(ms)` moves both readings. */
export function manualClock(start: Date = new Date('2025-01-01T00:00:00Z')): Clock & {
  advance: (milliseconds: number) => void;
} {
  let elapsedMilliseconds = 0;
  return {
    now: () => elapsedMilliseconds,
    date: () => new Date(start.getTime() + elapsedMilliseconds),
    advance: (milliseconds: number) => {
      elapsedMilliseconds += milliseconds;
    },
  };
}
