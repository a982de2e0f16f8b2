// The built-in planner's rules from evidence: what one experiment's results call for next (builtin-select.ts
// scores them and drops the ones whose runs the ledger already has).
//   a bundled arm decided (two factors or more)   -> split: each factor alone against the baseline;
//   a method (optimizer, loss, algorithm) lost     -> its lr ladder (x0.1, x0.5, x2 of the base lr), and a harder size;
//   any other WIN / LOSS / MIXED                   -> confirmation: the deciding arm and the baseline on seeds 47-56;
//   a confirmation that held a WIN or a LOSS       -> one size up: the baseline at the new size, then the comparison;
//   INCONCLUSIVE on a saturated metric (the same value on every run) -> the same runs judged on wall time, and a
//                                                     harder size; otherwise twice the seeds (fresh ones);
//   INVALID -> twice the time limit, once;   BASELINE -> one-factor changes around it;
//   a decide- experiment (the 2x2 of a contradiction) -> nothing: its finding is the answer.
// A change of update order is measured where the claim lives: at batch 1, on ARD.
import { isModularTask, metricValue, type ArmSummary, type ExperimentResults, type MetricName, type TrainConfig } from '../../core/index.js';
import { changedKeys, changesOf, configTag, defaultTimeLimit, describeChange, diffOverrides, neighbour } from './builtin-spec.js';
import { overridesFromCanonical, slugValue, type SpecDraft } from './builtin-spec.js';
import type { SearchSpace } from '../domain.js';
import { CONFIRMATION_SEEDS, isConfirmation, isDecision } from '../workspace/agenda.js';

/** A follow-up: a spec draft, its line for TODO.md, the changes it is about ("optimizer=sign-sgd", for the agenda),
 * whether it re-judges known runs on purpose (rerun: the ledger does not drop it), and whether it must stay inside
 * the search space's lists (bounded: generated values; a ladder, confirmation or split may leave them). */
export type Candidate = SpecDraft & { kind: CandidateKind; text: string; changes: string[]; rerun?: boolean; bounded?: boolean };

/** Each kind of follow-up: why (the Rationale paragraph of its spec, before the evidence), and its value in the score (builtin-select.ts). */
export const candidateKinds = {
  decide: { value: 10, reason: 'An unresolved contradiction comes before anything new.' },
  confirm: { value: 8, reason: 'Nothing enters DISCOVERIES.md before it is re-run on fresh seeds.' },
  split: { value: 7, reason: 'An arm that changes several factors cannot say which one mattered: each alone against the same baseline.' },
  ladder: { value: 7, reason: 'A method is judged at its best setting: before its LOSS stands, its lr ladder (x0.1, x0.5, x2).' },
  baseline: { value: 6, reason: 'Every comparison at a new size is judged against the baseline there, so it is established first.' },
  size: { value: 4, reason: 'A result climbs the size ladder, where the plateau is longer; the baseline there is its own experiment first.' },
  metric: { value: 5, reason: 'The primary metric has the same value on every run and cannot separate the arms: the same runs, judged on another metric.' },
  seeds: { value: 3, reason: 'More seeds narrow the interval and give the test the power to tell an effect from noise.' },
  time: { value: 1, reason: 'Runs that ran out of time cannot be judged.' },
  'one-factor': { value: 2, reason: 'One factor at a time around the best known configuration.' },
} as const;
export type CandidateKind = keyof typeof candidateKinds;

const methodKeys: (keyof TrainConfig)[] = ['optimizer', 'loss', 'algorithm'];
type Named = { name: string; config: TrainConfig };
type Pair = { baseline: Named; deciding: Named };

export function candidatesFrom(results: ExperimentResults, space: SearchSpace): Candidate[] {
  const baseline = results.arms.find((arm) => arm.baseline)!;
  // A ladder asks whether the method still loses at its best lr: its best rung is confirmed, not its worst.
  const laddered = results.id.startsWith('ladder-');
  const decidingName = laddered ? bestRung(results) : results.summary.best_arm;
  const deciding = results.arms.find((arm) => arm.name === decidingName && !arm.baseline);
  const cls = results.summary.class;
  // A baseline at a new size was queued with its comparison: nothing more to add.
  if (cls === 'BASELINE') return results.id.startsWith('baseline-at-') ? [] : oneFactor(baseline.config, space, results);
  if (cls === 'INVALID')
    return results.spec.time_limit * 2 <= space.limits.max_time_limit && !results.id.endsWith('-retry')
      ? [again(results, 'time', { timeLimit: results.spec.time_limit * 2 })]
      : [];
  if (!deciding) return [];
  // A decision (decide-<change>-<id>, its own fresh seeds 57-66) answers the contradiction in its finding: where the
  // change helps and where it hurts. It is not confirmed, split or climbed again; the contested lines stay for a human.
  if (isDecision(results.id)) return [];
  const pair = { baseline, deciding };
  if (cls === 'INCONCLUSIVE') return inconclusive(results, pair, space);
  if (isConfirmation(results.spec)) return cls !== 'MIXED' ? sizeUp(results, pair, space) : [];
  const keys = changedKeys(deciding.config, baseline.config);
  // A ladder's arms change the method and its lr on purpose, and a split's bundled arm that still decides is the
  // answer (the factors act together): their result is confirmed as it is, not split again.
  if (keys.length >= 2 && !laddered && !results.id.startsWith('split-')) return [split(results, pair, keys)];
  if (cls === 'LOSS' && keys.some((key) => methodKeys.includes(key)) && !laddered) return [ladder(results, pair), ...sizeUp(results, pair, space)];
  // A best rung that is no different from the baseline is the ladder's answer: the LOSS does not stand at every lr.
  const rung = results.summary.arms.find((arm) => arm.name === deciding.name)!.class;
  if (laddered && !['WIN', 'LOSS', 'MIXED'].includes(rung)) return [];
  return [confirm(results, pair)];
}

/** A rung's classes, best first (a tie with the baseline beats a LOSS). */
const rungOrder = ['WIN', 'MIXED', 'INCONCLUSIVE', 'LOSS', 'INVALID'];

/** The rung with the best class, then the best ratio on the primary metric (its direction). */
function bestRung(results: ExperimentResults): string | null {
  const sign = results.summary.primary.direction === 'lower' ? 1 : -1;
  const ratio = (arm: ArmSummary) => sign * (arm.comparison?.ratio ?? 1);
  const rungs = results.summary.arms.filter((arm) => !arm.baseline);
  rungs.sort((a, b) => rungOrder.indexOf(a.class) - rungOrder.indexOf(b.class) || ratio(a) - ratio(b));
  return rungs[0]?.name ?? null;
}

type Words = Pick<Candidate, 'id' | 'kind' | 'title' | 'text' | 'hypothesis' | 'changes' | 'arms'> & Partial<Candidate>;

/** A follow-up of `results`: its objective, seeds, time limit and tracking unless `words` say otherwise, citing it. */
function followUp(results: ExperimentResults, words: Words): Candidate {
  const baseline = results.arms.find((arm) => arm.baseline)!;
  return {
    question: `${words.title}?`,
    rationale: `${candidateKinds[words.kind].reason} Evidence: ${results.id} (${results.summary.class}): ${results.summary.headline}.`,
    base: overridesFromCanonical(baseline.config),
    metric: results.spec.metric.name,
    secondary: results.spec.secondary,
    seeds: results.spec.seeds,
    motivated_by: results.id,
    timeLimit: results.spec.time_limit,
    ...(results.spec.track ? { track: true } : {}),
    ...words,
  };
}

const armAgainst = (arm: Named & { baseline?: boolean }, reference: Named) => ({
  name: arm.name,
  baseline: arm === reference || arm.baseline === true,
  overrides: diffOverrides(arm.config, reference.config),
});
const sameArms = (results: ExperimentResults) => results.arms.map((arm) => armAgainst(arm, results.arms.find((other) => other.baseline)!));

function confirm(results: ExperimentResults, { baseline, deciding }: Pair): Candidate {
  const change = describeChange(deciding.config, baseline.config);
  const cls = results.summary.arms.find((arm) => arm.name === deciding.name)?.class ?? results.summary.class;
  return followUp(results, {
    id: `confirm-${results.id}`,
    kind: 'confirm',
    title: `Does the ${cls} of ${deciding.name} (${change}) against ${baseline.name} in ${results.id} hold on seeds 47-56`,
    text: `Confirm ${results.id} (${cls}, ${change}) on seeds 47-56`,
    hypothesis: `It holds: ${results.summary.headline}`,
    changes: changesOf(deciding.config, baseline.config),
    arms: [armAgainst(baseline, baseline), armAgainst(deciding, baseline)],
    seeds: CONFIRMATION_SEEDS,
  });
}

function split(results: ExperimentResults, { baseline, deciding }: Pair, keys: (keyof TrainConfig)[]): Candidate {
  const alone = keys
    .slice(0, 3)
    .map((key) => ({ name: `${key}=${slugValue(deciding.config[key])}`, config: { ...baseline.config, [key]: deciding.config[key] } }));
  return followUp(results, {
    id: `split-${results.id}`,
    kind: 'split',
    title: `Which of ${keys.join(', ')} makes ${deciding.name} differ from ${baseline.name}`,
    text: `Split ${deciding.name} of ${results.id} into ${keys.join(', ')} alone (${results.summary.class})`,
    hypothesis: `One factor alone accounts for the ${results.summary.class} of ${results.id}.`,
    changes: changesOf(deciding.config, baseline.config),
    arms: [baseline, ...alone, deciding].map((arm) => armAgainst(arm, baseline)),
  });
}

function ladder(results: ExperimentResults, { baseline, deciding }: Pair): Candidate {
  const method = describeChange(deciding.config, baseline.config);
  const lr = baseline.config.lr;
  const rungs = [0.1, 0.5, 1, 2].map((factor) => Number((lr * factor).toPrecision(3)));
  return followUp(results, {
    id: `ladder-${slugValue(method)}${configTag(baseline.config)}`,
    kind: 'ladder',
    title: `Does ${method} still lose to ${baseline.name} (lr ${lr}) at lr ${rungs.join(', ')}`,
    text: `lr ladder for ${method} (it lost at lr ${lr} in ${results.id})`,
    hypothesis: `${method} lost at lr ${lr} because that lr suits ${baseline.name}, not ${method}.`,
    changes: changesOf(deciding.config, baseline.config),
    arms: [baseline, ...rungs.map((rung) => ({ name: `${slugValue(method)}-lr=${rung}`, config: { ...deciding.config, lr: rung } }))].map((arm) =>
      armAgainst(arm, baseline),
    ),
  });
}

/** One size up (n_bits, then k), with n_train and max_epochs one step up: the baseline alone first, then the comparison. */
function sizeUp(results: ExperimentResults, { baseline, deciding }: Pair, space: SearchSpace): Candidate[] {
  if (isModularTask(baseline.config.task)) return [];
  const change = describeChange(deciding.config, baseline.config);
  const step = (key: string, value: number) => Number(neighbour(space.parameters[key], value, 1) ?? value);
  return (['n_bits', 'k'] as const).flatMap((key) => {
    const next = neighbour(space.parameters[key], baseline.config[key], 1);
    if (typeof next !== 'number') return [];
    const grow = (config: TrainConfig): TrainConfig => ({
      ...config,
      [key]: next,
      n_train: Math.max(config.n_train, step('n_train', config.n_train)),
      max_epochs: Math.min(space.limits.max_epochs, Math.max(config.max_epochs, step('max_epochs', config.max_epochs))),
      ...(key === 'n_bits' && config.curriculum ? { curriculum: [...config.curriculum, next] } : {}),
    });
    const [base, arm] = [grow(baseline.config), grow(deciding.config)];
    const where = `${key}=${next} (n_train ${base.n_train}, max_epochs ${base.max_epochs})`;
    const [verb, fate] = results.summary.class === 'LOSS' ? ['still lose', 'shrinks or turns'] : ['still win', 'holds or grows'];
    // One time limit for both, so the comparison's baseline runs are the baseline experiment's (the ledger reuses them).
    const limit = defaultTimeLimit({ base: overridesFromCanonical(base), arms: [{ name: deciding.name, overrides: diffOverrides(arm, base) }] });
    const common = { base: overridesFromCanonical(base), timeLimit: Math.max(results.spec.time_limit, limit) };
    return [
      followUp(results, {
        ...common,
        id: `baseline${configTag(base) || '-at-canonical'}`,
        kind: 'baseline',
        title: `How does ${baseline.name} do at ${where}`,
        text: `Baseline at ${where}, before ${change} is tried there`,
        hypothesis: `It solves, more slowly than at ${key}=${baseline.config[key]}.`,
        changes: [`${key}=${next}`],
        arms: [{ name: baseline.name, overrides: {}, baseline: true }],
      }),
      followUp(results, {
        ...common,
        id: `${slugValue(change)}${configTag(base)}`,
        kind: 'size',
        title: `Does ${change} ${verb} against ${baseline.name} one size up, at ${where}`,
        text: `${change} against ${baseline.name} at ${where} (${results.summary.class} in ${results.id})`,
        hypothesis: `The ${results.summary.class} of ${results.id} at ${key}=${baseline.config[key]} ${fate} where the plateau is longer.`,
        changes: changesOf(deciding.config, baseline.config),
        arms: [
          { name: baseline.name, overrides: {}, baseline: true },
          { name: deciding.name, overrides: diffOverrides(arm, base) },
        ],
      }),
    ];
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

/** Saturated on the primary metric: the same runs judged on the wall time (judged only when named), and a harder size. */
function inconclusive(results: ExperimentResults, pair: Pair, space: SearchSpace): Candidate[] {
  const arms = [pair.baseline, pair.deciding];
  const switched = results.id.includes('-on-');
  if (!saturated(results, arms, results.spec.metric.name) && !switched) return [moreSeeds(results, space)].filter((candidate) => candidate !== null);
  const judged = [results.spec.metric.name, ...results.spec.secondary];
  const other = switched ? undefined : (['time_to_solve_ms'] as const).find((metric) => !judged.includes(metric) && !saturated(results, arms, metric));
  if (!other) return sizeUp(results, pair, space);
  const { spec } = results;
  const rejudged = followUp(results, {
    id: `${results.id}-on-${slugValue(other)}`,
    kind: 'metric',
    title: `${spec.title} (judged on ${other})`,
    question: spec.question,
    text: `Judge ${results.id} on ${other}: ${spec.metric.name} is the same on every run`,
    hypothesis: spec.hypothesis,
    changes: changesOf(pair.deciding.config, pair.baseline.config),
    arms: sameArms(results),
    metric: other,
    secondary: [spec.metric.name, ...spec.secondary],
    rerun: true,
  });
  return [rejudged, ...sizeUp(results, pair, space)];
}

/** The same arms with twice the seeds (the new ones fresh: above 56), up to the limits; null at the limits. */
function moreSeeds(results: ExperimentResults, space: SearchSpace): Candidate | null {
  const seeds = results.spec.seeds;
  const count = Math.min(space.limits.max_seeds, seeds.length * 2, Math.floor(space.limits.max_runs / results.arms.length));
  const more = [...seeds];
  for (let seed = Math.max(...seeds, ...CONFIRMATION_SEEDS) + 1; more.length < count; seed++) more.push(seed);
  return count > seeds.length ? again(results, 'seeds', { seeds: more }) : null;
}

/** The same arms again, with more seeds or more time. */
function again(results: ExperimentResults, kind: 'seeds' | 'time', change: { seeds?: number[]; timeLimit?: number }): Candidate {
  const { title, question, hypothesis } = results.spec;
  const what = change.seeds ? `${change.seeds.length} seeds` : `${change.timeLimit} s per run`;
  const id = change.seeds ? `${results.id.replace(/-seeds\d+$/, '')}-seeds${change.seeds.length}` : `${results.id}-retry`;
  const text = `Re-run ${results.id} with ${what} (${results.summary.class})`;
  return followUp(results, { id, kind, title: `${title} (${what})`, question, hypothesis, text, changes: [], arms: sameArms(results), ...change });
}

/** Parameters tried, in this order, for one-factor changes around a configuration. */
export const oneFactorKeys = ['optimizer', 'lr', 'wd', 'batch_size', 'loss', 'hidden', 'order', 'n_train'] as const;

/** One factor at a time around `config`: for a number both neighbours in the search space, else every other value. */
export function oneFactor(config: TrainConfig, space: SearchSpace, results: ExperimentResults | null, keys: readonly string[] = oneFactorKeys): Candidate[] {
  return keys.flatMap((key) => {
    const values = space.parameters[key] ?? [];
    const current = config[key as keyof TrainConfig] as number | string;
    const options = typeof current === 'number' ? [neighbour(values, current, 1), neighbour(values, current, -1)] : values.filter((value) => value !== current);
    // Update order is a claim about per-sample updates and memory traffic: measured at batch 1, on ARD.
    const order = key === 'order';
    const reference = order ? { ...config, batch_size: 1 } : config;
    const metric: MetricName = order ? 'ard' : (results?.spec.metric.name ?? 'solve_epoch');
    const evidence = results ? ` Evidence: ${results.id} (${results.summary.class}): ${results.summary.headline}.` : '';
    return options.flatMap((value): Candidate[] => {
      if (value === null) return [];
      const arms = [
        { name: `${key}=${current}`, overrides: {}, baseline: true },
        { name: `${key}=${value}`, overrides: { [key]: value } },
      ];
      const [title, change] = [`${key}=${value} against ${key}=${current}`, `${key}=${value}`];
      const candidate: Candidate = {
        id: `${key}-${slugValue(value)}-vs-${slugValue(current)}${configTag(reference)}`,
        kind: 'one-factor',
        title,
        text: `One factor: ${key} ${current} -> ${value}${order ? ' at batch 1, on ARD' : ''}`,
        question: `Does ${title} change ${metric}?`,
        hypothesis: `${change} changes ${metric} by more than the minimum effect.`,
        rationale: `${candidateKinds['one-factor'].reason}${evidence}`,
        base: overridesFromCanonical(reference),
        arms,
        metric,
        changes: [change],
        bounded: true,
        ...(results ? { motivated_by: results.id } : {}),
        ...(order ? { secondary: ['solve_epoch', 'time_to_solve_ms'] as MetricName[], track: true } : {}),
      };
      return [candidate];
    });
  });
}
