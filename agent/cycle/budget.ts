// The budget of one cycle: from a short probe (a few epochs per arm, one seed) it estimates each run's time and fits
// the spec into the cycle's share of the night: fewer seeds (down to a floor), then the arms split into separate
// experiments (queued in TODO.md), then a lower max_epochs (runs censored there, as the statistics expect). The time
// limit is the hard bound: when every run hitting the asked one would leave the share, it follows the estimate (never
// above the asked one), so the experiment ends inside the share. Pure: the probe's numbers in, a spec input out.
import { isConfirmation } from '../workspace/agenda.js';
import { expandArms, parseSpec, type Arm, type Spec } from '../../core/index.js';

/** A night when `lab loop` has no --hours (and for `lab cycle`): 8 h, as in "leave it running overnight". */
export const DEFAULT_NIGHT_HOURS = 8;
/** The largest share of the night one cycle may take (15%: at least 6 or 7 cycles a night). */
export const DEFAULT_CYCLE_SHARE = 0.15;
/** Fewest seeds a shrunk experiment keeps (or the spec's own count when fewer), lowest max_epochs, epochs per probe run. */
const SEED_FLOOR = 5;
const EPOCH_FLOOR = 20;
export const PROBE_EPOCHS = 2;
/** Per run beyond its training loop (data, model setup), and per experiment (child start, judging, writing). */
const RUN_OVERHEAD_S = 0.25;
const EXPERIMENT_OVERHEAD_S = 5;
/** The time limit a run gets: this many times its estimate, rounded up to a step of the ladder (stable across probes). */
const TIME_LIMIT_MARGIN = 3;
const TIME_LIMIT_LADDER = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 450, 600, 900, 1200, 1800, 2700, 3600];

export type CycleBudgetOptions = {
  /** The night this cycle is part of, in hours (lab loop --hours); default DEFAULT_NIGHT_HOURS. */
  nightHours?: number;
  /** The largest fraction of the night one cycle may take; default DEFAULT_CYCLE_SHARE. */
  share?: number;
};

/** One probe run per arm: how long its training loop took for how many epochs. */
export type ArmProbe = { arm: string; epochs: number; elapsed_ms: number; crashed: boolean };
export type ProbeMeasurement = { seed: number; arms: ArmProbe[]; wall_ms: number };

export type BudgetChange = { key: 'seeds' | 'max_epochs' | 'time_limit' | 'arms'; from: string; to: string };

export type BudgetFit = {
  /** The spec input to run (the input as given when nothing changed). */
  input: Record<string, unknown>;
  changes: BudgetChange[];
  /** Arms split off: each a spec input of its own (the baseline plus a group of arms), for TODO.md. */
  queued: Record<string, unknown>[];
  share_s: number;
  /** The share less the probe's wall time. */
  available_s: number;
  /** Worst case (every run to max_epochs) of the spec as asked, and as fitted. */
  asked_estimate_s: number;
  /** The spec as asked if every run stopped at its time limit. */
  asked_limit_s: number;
  estimate_s: number;
  /** Runs' worst case still above the share at the floors: the time limit censors them. */
  over_floor: boolean;
};

export function cycleShareSeconds(options: CycleBudgetOptions = {}): number {
  return (options.nightHours ?? DEFAULT_NIGHT_HOURS) * 3600 * (options.share ?? DEFAULT_CYCLE_SHARE);
}

type Shape = { arms: Arm[]; seeds: number; epochCap: number };

/** Fits `input` (its parsed form `spec`) into the share, from the probe; see the rules at the top of this file. */
export type FitOptions = CycleBudgetOptions & {
  workers: number;
  /** True for an (arm, seed) whose run the ledger holds: the runner reuses it. */
  reused?: ((arm: string, seed: number) => boolean) | undefined;
};

export function fitToBudget(input: Record<string, unknown>, spec: Spec, probe: ProbeMeasurement, options: FitOptions): BudgetFit {
  const share_s = cycleShareSeconds(options);
  const available_s = Math.max(1, share_s - probe.wall_ms / 1000);
  const perEpochS = new Map(probe.arms.map((arm) => [arm.arm, arm.elapsed_ms / 1000 / Math.max(1, arm.epochs)]));
  // A run ends at max_epochs (or earlier: solved, frozen) or at the asked time limit, whichever comes first.
  const runS = (arm: Arm, epochCap: number) =>
    Math.min(spec.time_limit, RUN_OVERHEAD_S + (perEpochS.get(arm.name) ?? 0) * Math.min(arm.config.max_epochs, epochCap));
  // Runs the ledger already holds (same key, so same time limit) are reused by the runner and cost nothing.
  const fresh = (arm: Arm, shape: Shape) => spec.seeds.slice(0, shape.seeds).filter((seed) => !options.reused?.(arm.name, seed)).length;
  const longest = (shape: Shape) => Math.max(0, ...shape.arms.filter((arm) => fresh(arm, shape) > 0).map((arm) => runS(arm, shape.epochCap)));
  const waves = (shape: Shape) => Math.max(1, Math.ceil(shape.arms.reduce((sum, arm) => sum + fresh(arm, shape), 0) / Math.max(1, options.workers)));
  const worst = (shape: Shape) => waves(shape) * longest(shape) + EXPERIMENT_OVERHEAD_S;
  const fits = (shape: Shape) => worst(shape) <= available_s;

  const arms = expandArms(spec);
  const asked: Shape = { arms, seeds: spec.seeds.length, epochCap: Infinity };
  // A confirmation keeps every fresh seed it asked for (fewer would not count as one): its epochs shrink instead.
  const floor = isConfirmation(spec) ? spec.seeds.length : Math.min(spec.seeds.length, SEED_FLOOR);
  const { shape, queuedGroups } = fits(asked) ? { shape: asked, queuedGroups: [] } : shrink(asked, floor, EPOCH_FLOOR, fits);
  // The asked limit stays when every run hitting it would still end inside the share (specs, hashes and reused runs
  // stay as written); otherwise the limit follows the estimate, and never lets the worst case leave the share.
  const bound = Math.max(0.1, Math.floor((10 * (available_s - EXPERIMENT_OVERHEAD_S)) / waves(shape)) / 10);
  const timeLimit = spec.time_limit <= bound ? spec.time_limit : Math.min(ladderUp(TIME_LIMIT_MARGIN * longest(shape)), bound);
  const changes = describeChanges(spec, asked, shape, timeLimit);
  // A new time limit gives every run a new ledger key: nothing is reused then, so count every run.
  if (options.reused && changes.some((change) => change.key === 'time_limit')) return fitToBudget(input, spec, probe, { ...options, reused: undefined });
  return {
    input: changes.length === 0 ? input : applyShape(input, spec, shape, timeLimit, queuedGroups.length > 0),
    changes,
    queued: queuedGroups.map((group, i) => splitInput(input, spec, group, { part: i + 2, parts: queuedGroups.length + 1 })),
    share_s,
    available_s,
    asked_estimate_s: worst(asked),
    asked_limit_s: waves(asked) * spec.time_limit + EXPERIMENT_OVERHEAD_S,
    estimate_s: Math.min(worst(shape), waves(shape) * timeLimit + EXPERIMENT_OVERHEAD_S),
    over_floor: !fits(shape),
  };
}

/** Seeds down to the floor; then the arms split into groups that fit; then max_epochs down to its floor. */
function shrink(asked: Shape, seedFloor: number, epochFloor: number, fits: (shape: Shape) => boolean): { shape: Shape; queuedGroups: Arm[][] } {
  for (let seeds = asked.seeds - 1; seeds >= seedFloor; seeds--) {
    if (fits({ ...asked, seeds })) return { shape: { ...asked, seeds }, queuedGroups: [] };
  }
  const baseline = asked.arms.filter((arm) => arm.baseline);
  const others = asked.arms.filter((arm) => !arm.baseline);
  let groupSize = others.length;
  while (groupSize > 1 && !fits({ arms: [...baseline, ...others.slice(0, groupSize)], seeds: seedFloor, epochCap: Infinity })) groupSize--;
  const groups = chunks(others, groupSize);
  const first: Shape = { arms: [...baseline, ...groups[0]!], seeds: seedFloor, epochCap: Infinity };
  const queuedGroups = groups.slice(1).map((group) => [...baseline, ...group]);
  if (fits(first)) {
    let seeds = seedFloor;
    while (seeds < asked.seeds && fits({ ...first, seeds: seeds + 1 })) seeds++;
    return { shape: { ...first, seeds }, queuedGroups };
  }
  const askedEpochs = Math.max(...first.arms.map((arm) => arm.config.max_epochs));
  let epochCap = askedEpochs;
  while (epochCap > epochFloor && !fits({ ...first, epochCap })) epochCap = Math.max(epochFloor, Math.floor(epochCap * 0.8));
  return { shape: { ...first, epochCap: epochCap < askedEpochs ? epochCap : Infinity }, queuedGroups };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += Math.max(1, size)) out.push(items.slice(i, i + Math.max(1, size)));
  return out.length > 0 ? out : [[]];
}

function ladderUp(seconds: number): number {
  return TIME_LIMIT_LADDER.find((step) => step >= seconds) ?? Math.ceil(seconds);
}

function describeChanges(spec: Spec, asked: Shape, shape: Shape, timeLimit: number): BudgetChange[] {
  const changes: BudgetChange[] = [];
  if (shape.seeds < asked.seeds) changes.push({ key: 'seeds', from: `${asked.seeds} seeds`, to: `${shape.seeds} seeds` });
  if (shape.arms.length < asked.arms.length) {
    changes.push({ key: 'arms', from: asked.arms.map((arm) => arm.name).join(', '), to: shape.arms.map((arm) => arm.name).join(', ') });
  }
  if (Number.isFinite(shape.epochCap)) {
    const askedEpochs = Math.max(...shape.arms.map((arm) => arm.config.max_epochs));
    changes.push({ key: 'max_epochs', from: String(askedEpochs), to: String(shape.epochCap) });
  }
  if (timeLimit < spec.time_limit) changes.push({ key: 'time_limit', from: `${spec.time_limit} s`, to: `${timeLimit} s` });
  return changes;
}

/** The input with the fitted seeds, arms (explicit, when split), max_epochs and time limit. */
function applyShape(input: Record<string, unknown>, spec: Spec, shape: Shape, timeLimit: number, split: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input, seeds: spec.seeds.slice(0, shape.seeds), time_limit: timeLimit };
  if (shape.seeds < spec.seeds.length && shape.seeds < 5) {
    out['seeds_reason'] = `the cycle budget: ${shape.seeds} of the ${spec.seeds.length} seeds asked fit in the cycle's share of the night`;
  }
  if (split) {
    out['arms'] = shape.arms.map((arm) => ({ name: arm.name, baseline: arm.baseline, overrides: arm.overrides }));
    delete out['sweep'];
  }
  if (Number.isFinite(shape.epochCap)) {
    const cap = shape.epochCap;
    const base = { ...(isRecord(out['base']) ? out['base'] : {}) };
    base['max_epochs'] = typeof base['max_epochs'] === 'number' ? Math.min(base['max_epochs'], cap) : cap;
    out['base'] = base;
    if (Array.isArray(out['arms'])) out['arms'] = out['arms'].map((arm: unknown) => capArm(arm, cap));
    if (isRecord(out['sweep']) && Array.isArray(out['sweep']['max_epochs'])) {
      out['sweep'] = { ...out['sweep'], max_epochs: out['sweep']['max_epochs'].map((value: unknown) => Math.min(Number(value), cap)) };
    }
  }
  parseSpec(out, `${spec.id} (fitted to the cycle budget)`); // the fitted spec must still be a valid spec
  return out;
}

function capArm(arm: unknown, cap: number): unknown {
  if (!isRecord(arm) || !isRecord(arm['overrides']) || typeof arm['overrides']['max_epochs'] !== 'number') return arm;
  return { ...arm, overrides: { ...arm['overrides'], max_epochs: Math.min(arm['overrides']['max_epochs'], cap) } };
}

/** A split-off group as a spec of its own: the same question over the baseline and these arms. */
function splitInput(input: Record<string, unknown>, spec: Spec, arms: Arm[], part: { part: number; parts: number }): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...input,
    id: `${spec.id}-part-${part.part}`,
    title: `${spec.title} (part ${part.part} of ${part.parts}, split by the cycle budget)`,
    arms: arms.map((arm) => ({ name: arm.name, baseline: arm.baseline, overrides: arm.overrides })),
    motivated_by: spec.id,
  };
  delete out['sweep'];
  delete out['todo_id'];
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The sentence the spec body and the commit carry: what the budget changed, from what, and why. */
export function budgetNote(fit: BudgetFit, probe: ProbeMeasurement): string {
  const minutes = (seconds: number) => (seconds >= 120 ? `${(seconds / 60).toFixed(0)} min` : `${seconds.toFixed(0)} s`);
  const changes = fit.changes.map((change) => `${change.key} ${change.from} -> ${change.to}`).join('; ');
  const queued = fit.queued.length > 0 ? `; the other arms are queued in TODO.md as ${fit.queued.map((spec) => String(spec['id'])).join(', ')}` : '';
  const over = fit.over_floor ? ' (still above the share at the floors: the time limit censors the runs)' : '';
  return (
    `The cycle budget changed this experiment: ${changes}${queued}. A probe (${probe.arms[0]?.epochs ?? 0} epochs per arm, seed ${probe.seed}, ` +
    `${(probe.wall_ms / 1000).toFixed(1)} s) put the spec as asked at ${minutes(fit.asked_estimate_s)} with every run to max_epochs, ` +
    `${minutes(fit.asked_limit_s)} with every run stopped at its time limit, against this cycle's share of ${minutes(fit.share_s)}; ` +
    `as run, at most ${minutes(fit.estimate_s)}${over}.`
  );
}
