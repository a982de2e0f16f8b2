// Memory traffic declared once per kernel, beside its signature: the floats each argument reads and writes as a
// function of the kernel's dimensions. A call site binds the arguments to tracker buffer names (constant tables,
// never strings built per call) and reports the declared accesses: the reads before the kernel, the writes after.
// traffic.test.ts runs every kernel on instrumented arrays and checks that it touches what it declares.
import { nullTracker, type Tracker } from './tracker.js';

/** Floats of one argument, from the kernel's dimensions (e.g. B, I, O); 0 means no access. */
export type Floats = (d0: number, d1: number, d2: number) => number;

/** One declared access: the argument, its size, and (optionally) another argument it happens only with. */
export type Access<A extends string> = { arg: A; floats: Floats; onlyWith?: A };

export type KernelTraffic<A extends string> = {
  /** In the order the accounting reports them (the order of the MemTracker's clock). */
  reads: readonly Access<A>[];
  writes: readonly Access<A>[];
  /**
   * Outputs the kernel accumulates into (g += ...): their old values are read, but the buffer was zeroed for this
   * step, so the accounting counts the production of the output (a write) and not the read.
   */
  accumulates?: readonly A[];
};

/** Which tracker buffer each argument is, at one call site; an unbound argument is not passed (null) and not counted. */
export type Binding<A extends string> = Partial<Record<A, string>>;

/** Reports the reads a kernel declares for this binding and these dimensions. */
export function trackReads<A extends string>(tracker: Tracker, traffic: KernelTraffic<A>, binding: Binding<A>, d0 = 0, d1 = 0, d2 = 0): void {
  if (tracker !== nullTracker) report(tracker, traffic.reads, binding, d0, d1, d2, false);
}

/** Reports the writes a kernel declares for this binding and these dimensions. */
export function trackWrites<A extends string>(tracker: Tracker, traffic: KernelTraffic<A>, binding: Binding<A>, d0 = 0, d1 = 0, d2 = 0): void {
  if (tracker !== nullTracker) report(tracker, traffic.writes, binding, d0, d1, d2, true);
}

function report<A extends string>(
  tracker: Tracker,
  accesses: readonly Access<A>[],
  binding: Binding<A>,
  d0: number,
  d1: number,
  d2: number,
  write: boolean,
): void {
  for (const access of accesses) {
    const buffer = binding[access.arg];
    if (buffer === undefined || (access.onlyWith !== undefined && binding[access.onlyWith] === undefined)) continue;
    const floats = access.floats(d0, d1, d2);
    if (floats <= 0) continue;
    if (write) tracker.write(buffer, floats);
    else tracker.read(buffer, floats);
  }
}

/** The declared floats per bound argument, summed (for tests and reports). */
export function declaredFloats<A extends string>(
  traffic: KernelTraffic<A>,
  binding: Binding<A>,
  d0 = 0,
  d1 = 0,
  d2 = 0,
): { reads: Partial<Record<A, number>>; writes: Partial<Record<A, number>> } {
  const sum = (accesses: readonly Access<A>[]) => {
    const out: Partial<Record<A, number>> = {};
    for (const access of accesses) {
      if (binding[access.arg] === undefined || (access.onlyWith !== undefined && binding[access.onlyWith] === undefined)) continue;
      const floats = access.floats(d0, d1, d2);
      if (floats > 0) out[access.arg] = (out[access.arg] ?? 0) + floats;
    }
    return out;
  };
  return { reads: sum(traffic.reads), writes: sum(traffic.writes) };
}
