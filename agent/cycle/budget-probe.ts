// The budget probe: every arm of a spec for a few epochs on one seed, on the worker pool, timed. Its numbers feed
// fitToBudget (budget.ts); the probe's runs are thrown away (they are not the experiment).
import { expandArms, needsTracking, parseSpec, type ExperimentRun, type Spec, type SpecInput } from '../../core/index.js';
import type { FollowUp } from '../domain.js';
import { defaultWorkerCount, runJobs } from '../io/worker-pool.js';
import type { TrainJob } from '../io/train-worker.js';
import { budgetNote, cycleShareSeconds, PROBE_EPOCHS, fitToBudget, type CycleBudgetOptions, type FitOptions, type ProbeMeasurement } from './budget.js';
import type { CycleOptions } from './cycle-types.js';

export type ProbeRunner = (jobs: TrainJob[], options: { workers: number }) => Promise<ExperimentRun[]>;

export type ProbeOptions = {
  workers: number;
  epochs: number;
  /** Each probe run stops here at the latest (a slice of the cycle's share). */
  timeLimitMs: number;
  now: () => number;
  runner?: ProbeRunner;
};

export async function probeSpec(spec: Spec, options: ProbeOptions): Promise<ProbeMeasurement> {
  const arms = expandArms(spec);
  const seed = spec.seeds[0]!;
  const track = needsTracking(spec);
  const sampled = spec.track_every !== undefined && spec.track_every > 1 ? { trackEvery: spec.track_every } : {};
  const timeLimitMs = Math.min(options.timeLimitMs, spec.time_limit * 1000);
  const jobs: TrainJob[] = arms.map((arm) => ({
    config: { ...arm.config, max_epochs: Math.min(arm.config.max_epochs, options.epochs) },
    seed,
    track,
    ...sampled,
    timeLimitMs,
  }));
  const started = options.now();
  const runs = await (options.runner ?? runJobs)(jobs, { workers: options.workers });
  const wall_ms = options.now() - started;
  return {
    seed,
    wall_ms,
    arms: arms.map((arm, i) => {
      const run = runs[i]!;
      const crashed = run.status === 'crashed';
      return { arm: arm.name, epochs: crashed ? 0 : run.epochs, elapsed_ms: run.elapsed_ms, crashed };
    }),
  };
}

/** What the cycle hands prepareSpec to fit a spec into its share of the night. */
export type BudgetHook = CycleBudgetOptions & { workers: number; now: () => number; log: (line: string) => void; runner?: ProbeRunner };

/** The budget a cycle runs under: null when CycleOptions has none (library callers), or on a dry run (it runs nothing). */
export function budgetHookOf(options: CycleOptions): BudgetHook | null {
  if (!options.budget || options.dryRun) return null;
  return { ...options.budget, workers: options.workers ?? defaultWorkerCount(), now: options.clock.now, log: options.log };
}

export type BudgetedSpec = { input: Record<string, unknown>; spec: Spec; body: string; note: string; queued: FollowUp[] };

/** Probes the spec and fits it to the share; null when nothing changes (or the probe could not measure). */
export async function fitSpecToBudget(
  input: Record<string, unknown>,
  spec: Spec,
  body: string,
  hook: BudgetHook & { reused?: FitOptions['reused'] },
): Promise<BudgetedSpec | null> {
  if (hook.reused && expandArms(spec).every((arm) => spec.seeds.every((seed) => hook.reused!(arm.name, seed)))) {
    hook.log(`budget: every run of ${spec.id} is in the ledger and will be reused; no probe`);
    return null;
  }
  const probe = await probeSpec(spec, {
    workers: hook.workers,
    epochs: PROBE_EPOCHS,
    timeLimitMs: Math.max(1000, cycleShareSeconds(hook) * 1000 * 0.05),
    now: hook.now,
    ...(hook.runner ? { runner: hook.runner } : {}),
  });
  const crashed = probe.arms.filter((arm) => arm.crashed).map((arm) => arm.arm);
  if (crashed.length > 0) {
    hook.log(`budget: the probe run of ${crashed.join(', ')} crashed; ${spec.id} runs as written`);
    return null;
  }
  const fit = fitToBudget(input, spec, probe, hook);
  const perArm = probe.arms.map((arm) => `${arm.arm} ${(arm.elapsed_ms / Math.max(1, arm.epochs)).toFixed(0)} ms/epoch`).join(', ');
  hook.log(
    `budget: probe ${(probe.wall_ms / 1000).toFixed(1)} s (${perArm}); worst case ${fit.asked_estimate_s.toFixed(0)} s against a share of ${fit.share_s.toFixed(0)} s`,
  );
  if (fit.changes.length === 0) return null;
  const note = budgetNote(fit, probe);
  hook.log(`budget: ${note}`);
  const fitted = parseSpec(fit.input, `${spec.id} (fitted to the cycle budget)`);
  const withNote = (text: string) => `${text.trimEnd()}\n\n## Budget\n\n${note}\n`;
  const queued: FollowUp[] = fit.queued.map((part) => ({
    text: `${String(part['title'])}: arms ${armNames(part)} against the baseline (split off ${spec.id} by the cycle budget)`,
    spec: part as SpecInput,
    body: `${body.trimEnd()}\n\n## Budget\n\nSplit off ${spec.id} by the cycle budget, whose arms did not fit one cycle's share. ${note}\n`,
    motivated_by: spec.id,
  }));
  return { input: fit.input, spec: fitted, body: withNote(body), note, queued };
}

function armNames(input: Record<string, unknown>): string {
  const arms = Array.isArray(input['arms']) ? (input['arms'] as { name: string; baseline?: boolean }[]) : [];
  return arms
    .filter((arm) => !arm.baseline)
    .map((arm) => arm.name)
    .join(', ');
}
