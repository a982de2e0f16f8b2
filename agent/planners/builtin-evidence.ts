// Follow-up experiments from one experiment's results, as explicit rules, in order of preference
// (builtin-select.ts then drops the ones already tried, invalid or outside the search space):
//   WIN          -> push each changed number one step further along its search-space list (same direction),
//                   then the winning arm one problem size up (n_bits next value, then k next value);
//   INCONCLUSIVE -> the same arms with twice the seeds (up to the seed and run limits);
//   LOSS         -> the value on the other side of the baseline, once (not when the lost experiment was
//                   itself the other direction of an earlier LOSS);
//   INVALID      -> the same experiment with twice the time limit, once (not when already at the limit);
//   BASELINE     -> one-factor changes around the baseline.
import { isModularTask, primaryDirection, type ExperimentResults, type MetricName, type TrainConfig, type TrainConfigInput } from '../../core/index.js';
import { metricPhrase } from '../findings/narrative-context.js';
import {
  aroundExcept,
  aroundTag,
  canonicalFor,
  changedKeys,
  describeChange,
  diffOverrides,
  neighbour,
  overridesFromCanonical,
  slugValue,
  type ArmDraft,
  type SpecDraft,
} from './builtin-spec.js';
import type { FindingSummary, SearchSpace } from '../domain.js';

export type FollowUpDraft = SpecDraft & {
  /** One line for TODO.md. */
  text: string;
  /** Other ids under which the same experiment may already exist (the one-factor naming). */
  aliases?: string[];
  /** A deliberate re-run of configurations that already ran (more seeds, more time). */
  rerun?: boolean;
};

/** What a follow-up cites and keeps: the finding with its class and numbers, the objective, the seeds. */
export type Evidence = {
  finding_id: string;
  /** "lr-up (WIN): lr=0.2 solves in 0.61x the epochs of lr=0.1 (...)". */
  sentence: string;
  metric: MetricName;
  direction: 'lower' | 'higher';
  secondary?: MetricName[];
  seeds?: number[];
};

/** Why each rule proposes what it does (the Rationale paragraph, before the evidence). */
const reasons = {
  push: 'A change that wins is pushed one step further along its search-space list, in the same direction, until it stops winning.',
  sizeUp: 'A method that wins at one problem size is tried at the next size up, where the plateau is longer and a real speed-up should matter more.',
  other: 'A change that loses is tried once in the other direction: the better value may lie on the other side of the baseline.',
  seeds: 'Twice the seeds narrow the confidence interval of the ratio and give the rank test the power to tell a real difference from noise.',
  time: 'Runs that run out of time cannot be judged; twice the time limit lets them finish.',
  oneFactor:
    'Nothing else is pending: one factor at a time around the best known configuration, in the order optimizer, lr, wd, batch_size, loss, hidden, order.',
};

/** Parameters tried, in this order, for one-factor changes around a configuration. */
export const oneFactorKeys = ['optimizer', 'lr', 'wd', 'batch_size', 'loss', 'hidden', 'order'] as const;

export function evidenceOf(results: ExperimentResults): Evidence {
  return {
    finding_id: results.id,
    sentence: `${results.id} (${results.summary.class}): ${results.summary.headline}`,
    metric: results.spec.metric.name,
    direction: primaryDirection(results.spec),
    secondary: results.spec.secondary,
    seeds: results.spec.seeds,
  };
}

/** The follow-ups the rules give for these results, best first. `findings` tells what motivated the experiment. */
export function followUpCandidates(results: ExperimentResults, space: SearchSpace, findings: readonly FindingSummary[]): FollowUpDraft[] {
  const arms = results.arms;
  const baseline = arms.find((arm) => arm.baseline)!;
  const best = arms.find((arm) => arm.name === results.summary.best_arm && !arm.baseline) ?? null;
  const evidence = evidenceOf(results);
  const motivatedByClass = findings.find((finding) => finding.id === results.spec.motivated_by)?.class ?? null;
  switch (results.summary.class) {
    case 'WIN':
      return best
        ? [...pushFurther(results, baseline.config, best.config, space, evidence), ...sizeUp(results, { baseline, winner: best }, space, evidence)]
        : [];
    case 'INCONCLUSIVE':
      return moreSeeds(results, space, evidence);
    case 'MIXED':
      return [];
    case 'LOSS':
      return best && motivatedByClass !== 'LOSS' ? otherDirection(results, baseline.config, best.config, space, evidence) : [];
    case 'INVALID':
      return motivatedByClass !== 'INVALID' ? moreTime(results, space, evidence) : [];
    case 'BASELINE':
      return oneFactorCandidates(baseline.config, space, evidence);
  }
}

function pushFurther(results: ExperimentResults, baseline: TrainConfig, winner: TrainConfig, space: SearchSpace, evidence: Evidence): FollowUpDraft[] {
  const drafts: FollowUpDraft[] = [];
  for (const key of changedKeys(winner, baseline)) {
    const [from, to] = [baseline[key], winner[key]];
    if (typeof from !== 'number' || typeof to !== 'number') continue;
    const next = neighbour(space.parameters[key], to, to > from ? 1 : -1);
    if (next === null) continue;
    drafts.push(
      comparison({
        reference: winner,
        key,
        value: next,
        evidence,
        reason: reasons.push,
        text: `Push ${key} further: ${to} -> ${next} (${key}=${to} won over ${key}=${from} in ${results.id}: ${results.summary.headline})`,
        hypothesis: `${key}=${next} improves on ${key}=${to} the way ${key}=${to} improved on ${key}=${from}.`,
      }),
    );
  }
  return drafts;
}

type NamedConfig = { name: string; config: TrainConfig };

/** The winner against the baseline one problem size up, with the next max_epochs budget. */
function sizeUp(results: ExperimentResults, pair: { baseline: NamedConfig; winner: NamedConfig }, space: SearchSpace, evidence: Evidence): FollowUpDraft[] {
  const { baseline, winner } = pair;
  if (isModularTask(baseline.config.task)) return [];
  const change = describeChange(winner.config, baseline.config);
  const drafts: FollowUpDraft[] = [];
  for (const key of ['n_bits', 'k'] as const) {
    const next = neighbour(space.parameters[key], baseline.config[key], 1);
    if (next === null || typeof next !== 'number') continue;
    const epochs = Math.min(
      space.limits.max_epochs,
      Math.max(Number(neighbour(space.parameters['max_epochs'], baseline.config.max_epochs, 1) ?? 0), baseline.config.max_epochs),
    );
    const grow = (config: TrainConfig): TrainConfig => ({
      ...config,
      [key]: next,
      max_epochs: Math.max(epochs, config.max_epochs),
      ...(key === 'n_bits' && config.curriculum ? { curriculum: [...config.curriculum, next] } : {}),
    });
    const [grownBaseline, grownWinner] = [grow(baseline.config), grow(winner.config)];
    drafts.push({
      id: `${slugValue(change)}-at-${key}-${next}${aroundExcept(grownBaseline, [key, 'max_epochs'])}`,
      text: `Does ${change} still win one size up, at ${key}=${next}? (it won in ${results.id}: ${results.summary.headline})`,
      title: `${change} against ${baseline.name} at ${key}=${next}`,
      question: `Does ${winner.name === change ? change : `${winner.name} (${change})`} still beat ${baseline.name} one problem size up, at ${key}=${next} (max_epochs ${grownBaseline.max_epochs})?`,
      hypothesis: `The effect seen in ${results.id} at ${key}=${baseline.config[key]} holds or grows at ${key}=${next}, where the plateau is longer.`,
      rationale: `${reasons.sizeUp} Evidence: ${evidence.sentence}.`,
      base: overridesFromCanonical(grownBaseline),
      arms: [
        { name: baseline.name, overrides: {}, baseline: true },
        { name: winner.name, overrides: diffOverrides(grownWinner, grownBaseline) },
      ],
      ...keepObjective(evidence),
    });
  }
  return drafts;
}

function otherDirection(results: ExperimentResults, baseline: TrainConfig, loser: TrainConfig, space: SearchSpace, evidence: Evidence): FollowUpDraft[] {
  const drafts: FollowUpDraft[] = [];
  for (const key of changedKeys(loser, baseline)) {
    const [from, to] = [baseline[key], loser[key]];
    if (typeof from !== 'number' || typeof to !== 'number') continue;
    const other = neighbour(space.parameters[key], from, to > from ? -1 : 1);
    if (other === null) continue;
    drafts.push(
      comparison({
        reference: baseline,
        key,
        value: other,
        evidence,
        reason: reasons.other,
        text: `Try ${key} the other way: ${other} instead of ${to} (${key}=${to} lost to ${key}=${from} in ${results.id}: ${results.summary.headline})`,
        hypothesis: `Moving ${key} from ${from} to ${other} helps where ${to} hurt.`,
      }),
    );
  }
  return drafts;
}

function moreSeeds(results: ExperimentResults, space: SearchSpace, evidence: Evidence): FollowUpDraft[] {
  const seeds = results.spec.seeds;
  const armCount = results.arms.length;
  const doubled = Math.min(space.limits.max_seeds, seeds.length * 2, Math.floor(space.limits.max_runs / armCount));
  if (doubled <= seeds.length) return [];
  const more = [...seeds];
  for (let seed = Math.max(...seeds) + 1; more.length < doubled; seed++) more.push(seed);
  const text = `Re-run ${results.id} with ${doubled} seeds instead of ${seeds.length}: it was INCONCLUSIVE (${results.summary.headline})`;
  return [rerun(results, { id: `${results.id.replace(/-seeds\d+$/, '')}-seeds${doubled}`, seeds: more, text, reason: reasons.seeds, evidence })];
}

function moreTime(results: ExperimentResults, space: SearchSpace, evidence: Evidence): FollowUpDraft[] {
  const timeLimit = Math.min(space.limits.max_time_limit, results.spec.time_limit * 2);
  if (timeLimit <= results.spec.time_limit || results.id.endsWith('-retry')) return [];
  const text = `Re-run ${results.id} with ${timeLimit} s per run instead of ${results.spec.time_limit}: it was INVALID (${results.summary.headline})`;
  return [{ ...rerun(results, { id: `${results.id}-retry`, seeds: results.spec.seeds, text, reason: reasons.time, evidence }), timeLimit }];
}

/** One-factor changes around `config`, in oneFactorKeys order: for a number both neighbours, else every other value. */
export function oneFactorCandidates(config: TrainConfig, space: SearchSpace, evidence: Evidence | null): FollowUpDraft[] {
  const drafts: FollowUpDraft[] = [];
  const where = aroundTag(config) ? ` (${describeChange(config, canonicalFor(config))})` : '';
  for (const key of oneFactorKeys) {
    const values = (space.parameters[key] ?? []).filter((value): value is number | string => !Array.isArray(value));
    const current = config[key];
    const candidates =
      typeof current === 'number' ? [neighbour(values, current, 1), neighbour(values, current, -1)] : values.filter((value) => value !== current);
    for (const value of candidates) {
      if (value === null || value === undefined) continue;
      const draft = comparison({
        reference: config,
        key,
        value,
        evidence,
        reason: reasons.oneFactor,
        text: `One-factor change around the best known configuration${where}: ${key} ${String(current)} -> ${value}`,
        hypothesis: `${key}=${value} gives ${better(evidence)} than ${key}=${String(current)}.`,
      });
      drafts.push({ ...draft, id: `one-factor-${key}-${slugValue(value)}${aroundTag(config)}`, aliases: [draft.id] });
    }
  }
  return drafts;
}

type ComparisonWords = {
  reference: TrainConfig;
  key: keyof TrainConfig;
  value: number | string;
  evidence: Evidence | null;
  text: string;
  hypothesis: string;
  reason: string;
};

/** Two arms: `reference` as the baseline, and `reference` with `key` set to `value`. */
function comparison({ reference, key, value, evidence, text, hypothesis, reason }: ComparisonWords): FollowUpDraft {
  const current = String(reference[key]);
  const around = aroundExcept(reference, [key]);
  const where = around ? ` (with ${describeChange({ ...reference, [key]: canonicalFor(reference)[key] }, canonicalFor(reference))})` : '';
  return {
    id: `${key}-${slugValue(value)}-vs-${slugValue(current)}${around}`,
    aliases: [`one-factor-${key}-${slugValue(value)}${aroundTag(reference)}`],
    text,
    title: `${key}=${value} against ${key}=${current}${where}`,
    question: `Does ${key}=${value} give ${better(evidence)} than ${key}=${current}${where}?`,
    hypothesis,
    rationale: `${reason} ${evidence ? `Evidence: ${evidence.sentence}.` : 'No experiment has results to build on yet: the reference is the canonical configuration.'}`,
    base: overridesFromCanonical(reference),
    arms: [
      { name: `${key}=${current}`, overrides: {}, baseline: true },
      { name: `${key}=${value}`, overrides: { [key]: value } as Partial<TrainConfigInput> },
    ],
    ...keepObjective(evidence),
  };
}

function rerun(results: ExperimentResults, words: { id: string; seeds: number[]; text: string; reason: string; evidence: Evidence }): FollowUpDraft {
  const arms = results.arms;
  const baseline = arms.find((arm) => arm.baseline)!;
  const armDrafts: ArmDraft[] = arms.map((arm) => ({ name: arm.name, baseline: arm.baseline, overrides: diffOverrides(arm.config, baseline.config) }));
  return {
    id: words.id,
    text: words.text,
    title: `${results.spec.title} (again: ${words.seeds.length} seeds)`,
    question: results.spec.question,
    hypothesis: results.spec.hypothesis,
    rationale: `${words.reason} Evidence: ${words.evidence.sentence}.`,
    base: overridesFromCanonical(baseline.config),
    arms: armDrafts,
    ...keepObjective(words.evidence),
    seeds: words.seeds,
    ...(results.spec.track ? { track: true } : {}),
    rerun: true,
  };
}

/** The metric, secondary metrics, seeds and motivating finding of the evidence (canonical ones without). */
function keepObjective(evidence: Evidence | null): Pick<SpecDraft, 'metric' | 'secondary' | 'seeds' | 'motivated_by'> {
  if (!evidence) return { metric: 'solve_epoch' };
  return { metric: evidence.metric, secondary: evidence.secondary, seeds: evidence.seeds, motivated_by: evidence.finding_id };
}

/** "fewer epochs to solve (median)", "a lower median weighted ARD": what better means for the objective. */
function better(evidence: Evidence | null): string {
  const phrase = metricPhrase(evidence?.metric ?? 'solve_epoch');
  const lower = (evidence?.direction ?? 'lower') === 'lower';
  if (phrase.startsWith('epochs')) return `${lower ? 'fewer' : 'more'} ${phrase} (median)`;
  return `a ${lower ? 'lower' : 'higher'} median ${phrase}`;
}
