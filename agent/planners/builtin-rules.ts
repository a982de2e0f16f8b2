// The built-in planner's rules from evidence: what one experiment's results call for next (builtin-select.ts
// scores them and drops the ones whose runs the ledger already has).
//   a bundled arm decided (two factors or more)   -> split: each factor alone against the baseline;
//   a method (optimizer, loss, algorithm) lost     -> its lr ladder (x0.1, x0.5, x2 of the base lr), and a harder size;
//   any other WIN / LOSS / MIXED                   -> confirmation: the deciding arm and the baseline on seeds 47-56;
//   a confirmation that held a WIN, or a LOSS      -> one size up: the baseline at the new size, then the comparison;
//   INCONCLUSIVE on a saturated / zero-variance metric -> the same runs judged on a secondary metric, else a harder
//                                                     size; otherwise twice the seeds (fresh ones);
//   INVALID -> twice the time limit, once;   BASELINE -> one-factor changes around it.
// A change of update order is measured where the claim lives: at batch 1, on ARD.
import { isModularTask, metricValue, primaryDirection, type ExperimentResults, type MetricName, type TrainConfig } from '../../core/index.js';
import {
  buildSpec,
  changedKeys,
  configTag,
  describeChange,
  diffOverrides,
  neighbour,
  overridesFromCanonical,
  slugValue,
  type SpecDraft,
} from './builtin-spec.js';
import type { SearchSpace } from '../domain.js';
import { CONFIRMATION_SEEDS, isConfirmation } from '../workspace/agenda.js';

export type CandidateKind = 'decide' | 'confirm' | 'split' | 'baseline' | 'ladder' | 'metric' | 'size' | 'seeds' | 'time' | 'one-factor';
export type Candidate = SpecDraft & {
  kind: CandidateKind;
  /** One line for TODO.md. */
  text: string;
  /** The changes it is about ("optimizer=sign-sgd"), for the agenda. */
  changes: string[];
  /** Runs it repeats on purpose (the same runs judged on another metric): not dropped by the ledger. */
  rerun?: boolean;
  /** Must stay inside the search space (generated values); a ladder, confirmation or split may leave its lists. */
  bounded?: boolean;
};

const methodKeys: (keyof TrainConfig)[] = ['optimizer', 'loss', 'algorithm'];
const ladderFactors = [0.1, 0.5, 2];
type Named = { name: string; config: TrainConfig };

/** "optimizer=sign-sgd, lr=0.01": the changes of `config` against `reference`, one string each. */
export function changesOf(config: TrainConfig, reference: TrainConfig): string[] {
  return changedKeys(config, reference).map((key) => `${key}=${Array.isArray(config[key]) ? (config[key] as number[]).join('->') : String(config[key])}`);
}

export function candidatesFrom(results: ExperimentResults, space: SearchSpace): Candidate[] {
  const baseline = results.arms.find((arm) => arm.baseline)!;
  const deciding = results.arms.find((arm) => arm.name === results.summary.best_arm && !arm.baseline);
  const summary = results.summary.arms.find((arm) => arm.name === deciding?.name);
  const cls = results.summary.class;
  // A baseline at a new size was queued with its comparison: nothing more to add.
  if (cls === 'BASELINE') return results.id.startsWith('baseline-at-') ? [] : oneFactor(baseline.config, space, results);
  if (cls === 'INVALID') return results.spec.time_limit * 2 <= space.limits.max_time_limit && !results.id.endsWith('-retry') ? [moreTime(results)] : [];
  if (!deciding || !summary) return [];
  if (cls === 'INCONCLUSIVE') return inconclusive(results, { baseline, deciding }, space);
  const keys = changedKeys(deciding.config, baseline.config);
  if (isConfirmation(results.spec)) return summary.class === cls && cls !== 'MIXED' ? sizeUp(results, { baseline, deciding }, space) : [];
  // A ladder's arms change the method and its lr on purpose: their result is confirmed as it is.
  const laddered = results.id.startsWith('ladder-');
  if (keys.length >= 2 && !laddered) return [split(results, { baseline, deciding }, keys)];
  const method = keys.find((key) => methodKeys.includes(key));
  if (cls === 'LOSS' && method && !laddered) return [ladder(results, { baseline, deciding }), ...sizeUp(results, { baseline, deciding }, space)];
  return [confirm(results, { baseline, deciding })];
}

function draftOf(
  results: ExperimentResults,
  words: { id: string; title: string; question: string; hypothesis: string; rationale: string },
): Omit<SpecDraft, 'base' | 'arms'> {
  return {
    ...words,
    metric: results.spec.metric.name,
    secondary: results.spec.secondary,
    seeds: results.spec.seeds,
    motivated_by: results.id,
    timeLimit: results.spec.time_limit,
    ...(results.spec.track ? { track: true } : {}),
  };
}

function confirm(results: ExperimentResults, pair: { baseline: Named; deciding: Named }): Candidate {
  const change = describeChange(pair.deciding.config, pair.baseline.config);
  return {
    ...draftOf(results, {
      id: `confirm-${results.id}`.slice(0, 80),
      title: `Confirmation of ${results.id}: ${pair.deciding.name} against ${pair.baseline.name} on fresh seeds`,
      question: `Does ${results.summary.class} of ${pair.deciding.name} (${change}) in ${results.id} hold on seeds 47-56?`,
      hypothesis: `It holds: ${results.summary.headline}`,
      rationale: `Nothing enters DISCOVERIES.md before it is re-run on fresh seeds. Evidence: ${results.id} (${results.summary.class}): ${results.summary.headline}.`,
    }),
    kind: 'confirm',
    text: `Confirm ${results.id} (${results.summary.class}, ${change}) on seeds 47-56`,
    changes: changesOf(pair.deciding.config, pair.baseline.config),
    base: overridesFromCanonical(pair.baseline.config),
    arms: [
      { name: pair.baseline.name, overrides: {}, baseline: true },
      { name: pair.deciding.name, overrides: diffOverrides(pair.deciding.config, pair.baseline.config) },
    ],
    seeds: CONFIRMATION_SEEDS,
  };
}

function split(results: ExperimentResults, pair: { baseline: Named; deciding: Named }, keys: (keyof TrainConfig)[]): Candidate {
  const single = keys
    .slice(0, 3)
    .map((key) => ({
      name: `${key}=${slugValue(pair.deciding.config[key])}`,
      overrides: diffOverrides({ ...pair.baseline.config, [key]: pair.deciding.config[key] }, pair.baseline.config),
    }));
  return {
    ...draftOf(results, {
      id: `split-${results.id}`.slice(0, 80),
      title: `${pair.deciding.name} split into its factors (${keys.join(', ')})`,
      question: `Which of ${keys.join(', ')} makes ${pair.deciding.name} ${results.summary.class === 'LOSS' ? 'lose' : 'differ'} against ${pair.baseline.name}?`,
      hypothesis: `One factor alone accounts for the ${results.summary.class} of ${results.id}.`,
      rationale: `An arm that changes ${keys.length} factors cannot say which one mattered: each alone against the same baseline. Evidence: ${results.id}: ${results.summary.headline}.`,
    }),
    kind: 'split',
    text: `Split ${pair.deciding.name} of ${results.id} into ${keys.join(', ')} alone (${results.summary.class})`,
    changes: changesOf(pair.deciding.config, pair.baseline.config),
    base: overridesFromCanonical(pair.baseline.config),
    arms: [
      { name: pair.baseline.name, overrides: {}, baseline: true },
      ...single,
      { name: pair.deciding.name, overrides: diffOverrides(pair.deciding.config, pair.baseline.config) },
    ],
  };
}

function ladder(results: ExperimentResults, pair: { baseline: Named; deciding: Named }): Candidate {
  const method = describeChange(pair.deciding.config, pair.baseline.config);
  const lr = pair.baseline.config.lr;
  const rungs = [...ladderFactors.slice(0, 2), 1, ...ladderFactors.slice(2)].map((factor) => Number((lr * factor).toPrecision(3)));
  return {
    ...draftOf(results, {
      id: `ladder-${slugValue(method)}${configTag(pair.baseline.config)}`,
      title: `${method} at its best learning rate: lr ${rungs.join(', ')} against ${pair.baseline.name}`,
      question: `Does ${method} still lose to ${pair.baseline.name} (lr ${lr}) at lr ${rungs.join(', ')}?`,
      hypothesis: `${method} lost at lr ${lr} because that lr suits ${pair.baseline.name}, not ${method}.`,
      rationale: `A method is judged at its best setting: before a LOSS stands, its lr ladder (x0.1, x0.5, x2). Evidence: ${results.id}: ${results.summary.headline}.`,
    }),
    kind: 'ladder',
    text: `lr ladder for ${method} (it lost at lr ${lr} in ${results.id})`,
    changes: changesOf(pair.deciding.config, pair.baseline.config),
    base: overridesFromCanonical(pair.baseline.config),
    arms: [
      { name: pair.baseline.name, overrides: {}, baseline: true },
      ...rungs.map((rung) => ({
        name: `${slugValue(method)}-lr=${rung}`,
        overrides: { ...diffOverrides(pair.deciding.config, pair.baseline.config), lr: rung },
      })),
    ],
  };
}

/** One size up (n_bits, then k), with n_train and max_epochs one step up: the baseline alone first, then the comparison. */
function sizeUp(results: ExperimentResults, pair: { baseline: Named; deciding: Named }, space: SearchSpace): Candidate[] {
  if (isModularTask(pair.baseline.config.task)) return [];
  const change = describeChange(pair.deciding.config, pair.baseline.config);
  return (['n_bits', 'k'] as const).flatMap((key) => {
    const next = neighbour(space.parameters[key], pair.baseline.config[key], 1);
    if (typeof next !== 'number') return [];
    const grow = (config: TrainConfig): TrainConfig => ({
      ...config,
      [key]: next,
      n_train: Math.max(config.n_train, Number(neighbour(space.parameters['n_train'], config.n_train, 1) ?? config.n_train)),
      max_epochs: Math.min(space.limits.max_epochs, Math.max(config.max_epochs, Number(neighbour(space.parameters['max_epochs'], config.max_epochs, 1) ?? 0))),
      ...(key === 'n_bits' && config.curriculum ? { curriculum: [...config.curriculum, next] } : {}),
    });
    const [base, arm] = [grow(pair.baseline.config), grow(pair.deciding.config)];
    const where = `${key}=${next} (n_train ${base.n_train}, max_epochs ${base.max_epochs})`;
    const common = {
      metric: results.spec.metric.name,
      secondary: results.spec.secondary,
      seeds: results.spec.seeds,
      motivated_by: results.id,
      base: overridesFromCanonical(base),
    };
    const baselineFirst: Candidate = {
      ...common,
      id: `baseline${configTag(base)}`,
      title: `${pair.baseline.name} at ${where}`,
      question: `How does ${pair.baseline.name} do at ${where}?`,
      hypothesis: `It solves, more slowly than at ${key}=${pair.baseline.config[key]}.`,
      rationale: `Every comparison at a new size is judged against the baseline there, so it is established first. Evidence: ${results.id}: ${results.summary.headline}.`,
      kind: 'baseline',
      text: `Baseline at ${where}, before ${change} is tried there`,
      changes: [`${key}=${next}`],
      arms: [{ name: pair.baseline.name, overrides: {}, baseline: true }],
    };
    const comparison: Candidate = {
      ...common,
      id: `${slugValue(change)}${configTag(base)}`,
      title: `${change} against ${pair.baseline.name} at ${where}`,
      question: `Does ${change} ${results.summary.class === 'LOSS' ? 'still lose' : 'still win'} against ${pair.baseline.name} one size up, at ${where}?`,
      hypothesis: `The ${results.summary.class} of ${results.id} at ${key}=${pair.baseline.config[key]} ${results.summary.class === 'LOSS' ? 'shrinks or turns' : 'holds or grows'} where the plateau is longer.`,
      rationale: `A result is climbed up the size ladder; the baseline there is its own experiment first. Evidence: ${results.id}: ${results.summary.headline}.`,
      kind: 'size',
      text: `${change} against ${pair.baseline.name} at ${where} (${results.summary.class} in ${results.id})`,
      changes: changesOf(pair.deciding.config, pair.baseline.config),
      arms: [
        { name: pair.baseline.name, overrides: {}, baseline: true },
        { name: pair.deciding.name, overrides: diffOverrides(arm, base) },
      ],
    };
    return [baselineFirst, comparison].map((candidate) => ({ ...candidate, timeLimit: buildSpec({ ...comparison }).spec.time_limit }));
  });
}

/** A metric is saturated when no run has it, or every run of the two arms has the same value: it cannot separate them. */
function saturated(results: ExperimentResults, arms: readonly Named[], metric: MetricName): boolean {
  const values = arms.flatMap((arm) => {
    const runs = results.arms.find((candidate) => candidate.name === arm.name)?.runs ?? [];
    return runs.map((run) => metricValue(run, metric, { config: arm.config, timeLimitMs: results.spec.time_limit * 1000 }).value);
  });
  return values.every((value) => value === null) || values.every((value) => value === values[0]);
}

/**
 * Saturated on the primary metric: the same runs judged on the wall time to solve (not judged unless named), and a
 * harder size; more seeds only for a metric that varies. A result already judged on another metric climbs.
 */
function inconclusive(results: ExperimentResults, arms: { baseline: Named; deciding: Named }, space: SearchSpace): Candidate[] {
  const pair = [arms.baseline, arms.deciding];
  const switched = results.id.includes('-on-');
  if (!saturated(results, pair, results.spec.metric.name) && !switched) return [moreSeeds(results, space)].filter((candidate) => candidate !== null);
  const judged = [results.spec.metric.name, ...results.spec.secondary];
  const other = switched ? undefined : (['time_to_solve_ms'] as const).find((metric) => !judged.includes(metric) && !saturated(results, pair, metric));
  if (!other) return sizeUp(results, arms, space);
  const spec = results.spec;
  return [
    {
      ...draftOf(results, {
        id: `${results.id}-on-${slugValue(other)}`.slice(0, 80),
        title: `${spec.title} (judged on ${other})`,
        question: spec.question,
        hypothesis: spec.hypothesis,
        rationale: `${spec.metric.name} cannot separate the arms (saturated or the same on every seed): the same runs, judged on ${other}. Evidence: ${results.id}: ${results.summary.headline}.`,
      }),
      metric: other,
      secondary: [spec.metric.name, ...spec.secondary.filter((metric) => metric !== other)],
      kind: 'metric',
      text: `Judge ${results.id} on ${other}: ${spec.metric.name} is saturated`,
      changes: changesOf(arms.deciding.config, arms.baseline.config),
      base: overridesFromCanonical(arms.baseline.config),
      arms: results.arms.map((arm) => ({ name: arm.name, baseline: arm.baseline, overrides: diffOverrides(arm.config, arms.baseline.config) })),
      rerun: true,
    },
    ...sizeUp(results, arms, space),
  ];
}

function sameArms(results: ExperimentResults): Pick<SpecDraft, 'base' | 'arms'> {
  const baseline = results.arms.find((arm) => arm.baseline)!;
  return {
    base: overridesFromCanonical(baseline.config),
    arms: results.arms.map((arm) => ({ name: arm.name, baseline: arm.baseline, overrides: diffOverrides(arm.config, baseline.config) })),
  };
}

function moreSeeds(results: ExperimentResults, space: SearchSpace): Candidate | null {
  const seeds = results.spec.seeds;
  const count = Math.min(space.limits.max_seeds, seeds.length * 2, Math.floor(space.limits.max_runs / results.arms.length));
  if (count <= seeds.length) return null;
  const more = [...seeds];
  for (let seed = Math.max(...seeds, ...CONFIRMATION_SEEDS) + 1; more.length < count; seed++) more.push(seed);
  const base = draftOf(results, {
    id: `${results.id.replace(/-seeds\d+$/, '')}-seeds${count}`,
    title: `${results.spec.title} (${count} seeds)`,
    question: results.spec.question,
    hypothesis: results.spec.hypothesis,
    rationale: `More seeds narrow the interval. Evidence: ${results.id}: ${results.summary.headline}.`,
  });
  return { ...base, ...sameArms(results), seeds: more, kind: 'seeds', text: `Re-run ${results.id} with ${count} seeds (INCONCLUSIVE)`, changes: [] };
}

function moreTime(results: ExperimentResults): Candidate {
  const base = draftOf(results, {
    id: `${results.id}-retry`,
    title: `${results.spec.title} (twice the time)`,
    question: results.spec.question,
    hypothesis: results.spec.hypothesis,
    rationale: `Runs that ran out of time cannot be judged. Evidence: ${results.id}: ${results.summary.headline}.`,
  });
  return {
    ...base,
    ...sameArms(results),
    timeLimit: results.spec.time_limit * 2,
    kind: 'time',
    text: `Re-run ${results.id} with ${results.spec.time_limit * 2} s per run (INVALID)`,
    changes: [],
  };
}

/** Parameters tried, in this order, for one-factor changes around a configuration. */
export const oneFactorKeys = ['optimizer', 'lr', 'wd', 'batch_size', 'loss', 'hidden', 'order', 'n_train'] as const;

/** One factor at a time around `config`: for a number both neighbours in the search space, else every other value. */
export function oneFactor(config: TrainConfig, space: SearchSpace, results: ExperimentResults | null, keys: readonly string[] = oneFactorKeys): Candidate[] {
  const metric = results?.spec.metric.name ?? 'solve_epoch';
  const direction = results ? primaryDirection(results.spec) : 'lower';
  return keys.flatMap((key) => {
    const values = space.parameters[key] ?? [];
    const current = config[key as keyof TrainConfig] as number | string;
    const options = typeof current === 'number' ? [neighbour(values, current, 1), neighbour(values, current, -1)] : values.filter((value) => value !== current);
    // Update order is a claim about per-sample updates and memory traffic: measured at batch 1, on ARD.
    const reference = key === 'order' ? { ...config, batch_size: 1 } : config;
    return options
      .filter((value) => value !== null)
      .map(
        (value): Candidate => ({
          id: `${key}-${slugValue(value)}-vs-${slugValue(current)}${configTag(reference)}`,
          title: `${key}=${value} against ${key}=${current}`,
          question: `Does ${key}=${value} give a ${direction} ${key === 'order' ? 'ARD' : metric} than ${key}=${current}?`,
          hypothesis: `${key}=${value} changes ${key === 'order' ? 'ard' : metric} by more than the minimum effect.`,
          rationale: `One factor at a time around the best known configuration${results ? ` (evidence: ${results.id}: ${results.summary.headline})` : ''}.`,
          base: overridesFromCanonical(reference),
          arms: [
            { name: `${key}=${current}`, overrides: {}, baseline: true },
            { name: `${key}=${value}`, overrides: { [key]: value } },
          ],
          metric: key === 'order' ? 'ard' : metric,
          ...(key === 'order' ? { secondary: ['solve_epoch', 'time_to_solve_ms'] as MetricName[], track: true } : {}),
          ...(results ? { motivated_by: results.id } : {}),
          kind: 'one-factor',
          text: `One factor: ${key} ${current} -> ${value}${key === 'order' ? ' at batch 1, on ARD' : ''}`,
          changes: [`${key}=${value}`],
          bounded: true,
        }),
      );
  });
}
