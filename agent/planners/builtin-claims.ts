// What a confirmation decides: whether the original result held on seeds 47-56 (the DISCOVERIES.md line says
// so), the claim the agenda keeps, and, when the claim contradicts an earlier held one (same change, WIN against
// LOSS), the contested lines and the experiment that decides between them: the 2x2 of the change and the
// conditions in which the two claims differ (one condition: the same arms on ten more fresh seeds).
import { parseTrainConfig, type ArmSummary, type ExperimentClass, type ExperimentResults, type TrainConfig } from '../../core/index.js';
import { discoveryText } from '../findings/verdict-text.js';
import type { Agenda, AgendaClaim } from '../workspace/agenda.js';
import { questionFor } from '../workspace/agenda.js';
import { changesOf, type Candidate } from './builtin-rules.js';
import { changedKeys, diffOverrides, overridesFromCanonical, slugValue } from './builtin-spec.js';
import type { Discovery, FindingSummary } from '../domain.js';

export type ConfirmationOutcome = { discoveries: Discovery[]; contested: { finding_id: string; by: string }[]; decide: Candidate[]; agenda: Agenda | null };

const seedsText = (results: ExperimentResults) => `seeds ${results.spec.seeds[0]}-${results.spec.seeds[results.spec.seeds.length - 1]}`;

export function judgeConfirmation(results: ExperimentResults, findings: readonly FindingSummary[], agenda: Agenda | null): ConfirmationOutcome {
  const arm = results.summary.arms.find((candidate) => !candidate.baseline);
  const baseline = results.arms.find((candidate) => candidate.baseline)!;
  const config = results.arms.find((candidate) => candidate.name === arm?.name)?.config;
  const original = findings.find((finding) => finding.id === results.spec.motivated_by);
  const cls = (original?.arms[arm?.name ?? '']?.['class'] ?? original?.class) as ExperimentClass | undefined;
  if (!arm || !config || (cls !== 'WIN' && cls !== 'LOSS' && cls !== 'MIXED')) return { discoveries: [], contested: [], decide: [], agenda };
  const held = arm.class === cls;
  const change = changesOf(config, baseline.config).join(', ');
  const changed = new Set(arm.claim.changes.map((condition) => condition.key));
  const conditions =
    arm.claim.conditions
      .filter((condition) => !changed.has(condition.key))
      .map((condition) => `${condition.key}=${formatValue(condition.value)}`)
      .join(', ') || 'the canonical configuration';
  const claim: AgendaClaim = { change, cls, conditions, state: held ? 'held' : 'did not hold', finding_id: results.id };
  const earlier = held ? (agenda?.claims.find((other) => other.change === change && other.state === 'held' && opposite(other.cls, cls)) ?? null) : null;
  const text = discoveryText(results.summary, arm, { confirmed: held }).replace('confirmed on fresh seeds', `confirmed on ${seedsText(results)}`);
  const line = held
    ? `${text}${earlier ? `; contradicts ${earlier.finding_id}` : ''}`
    : `${change} (${cls} in ${original!.id}) did not hold on ${seedsText(results)}: ${text.replace(/; not yet confirmed on fresh seeds\)$/, ')')}`;
  const discoveries = [{ topic: topicFor(changedKeys(config, baseline.config)), text: line }];
  if (!agenda) return { discoveries, contested: [], decide: [], agenda: null };
  const claims = agenda.claims.map((other) => (other === earlier ? { ...other, state: 'contested' as const } : other));
  const updated = { ...agenda, claims: [...claims, { ...claim, ...(earlier ? { state: 'contested' as const } : {}) }] };
  const question = questionFor(updated, changesOf(config, baseline.config));
  if (question) updated.questions = updated.questions.map((other) => (other === question ? answer(other, { held, earlier, claim }) : other));
  if (held && cls === 'WIN' && !earlier)
    updated.best = `${arm.name} (${change}) at ${conditions}: ${text.split(':')[1]?.split(';')[0]?.trim() ?? arm.class} (findings/${results.id}.md)`;
  return {
    discoveries,
    contested: earlier ? [{ finding_id: earlier.finding_id, by: results.id }] : [],
    decide: earlier ? [decider(results, { arm, config, baseline: baseline.config, earlier })] : [],
    agenda: updated,
  };
}

function answer(
  question: Agenda['questions'][number],
  outcome: { held: boolean; earlier: AgendaClaim | null; claim: AgendaClaim },
): Agenda['questions'][number] {
  const { claim } = outcome;
  if (outcome.earlier)
    return {
      ...question,
      status: 'contested',
      answer: `${claim.change}: ${claim.cls} at ${claim.conditions} against ${outcome.earlier.cls} at ${outcome.earlier.conditions} (findings/${claim.finding_id}.md)`,
    };
  if (!outcome.held) return question;
  return { ...question, status: 'answered', answer: `${claim.change}: ${claim.cls} at ${claim.conditions} (findings/${claim.finding_id}.md)` };
}

function opposite(a: AgendaClaim['cls'], b: AgendaClaim['cls']): boolean {
  return (a === 'WIN' && b === 'LOSS') || (a === 'LOSS' && b === 'WIN');
}

/** The 2x2 of the change and the conditions where the two claims differ; without such conditions, ten more fresh seeds. */
function decider(results: ExperimentResults, claim: { arm: ArmSummary; config: TrainConfig; baseline: TrainConfig; earlier: AgendaClaim }): Candidate {
  const there = { ...claim.baseline, ...conditionsFrom(claim.earlier.conditions, claim.baseline) } as TrainConfig;
  const keys = changedKeys(there, claim.baseline);
  const armHere = diffOverrides(claim.config, claim.baseline);
  const arms = [
    { name: 'baseline-here', overrides: {}, baseline: true },
    { name: 'change-here', overrides: armHere },
    ...(keys.length > 0
      ? [
          { name: 'baseline-there', overrides: diffOverrides(there, claim.baseline) },
          { name: 'change-there', overrides: { ...diffOverrides(there, claim.baseline), ...armHere } },
        ]
      : []),
  ];
  const between = keys.length > 0 ? keys.map((key) => `${key} ${String(claim.baseline[key])} and ${String(there[key])}`).join(', ') : 'the same conditions';
  return {
    id: `decide-${slugValue(claim.earlier.change)}-${results.id}`.slice(0, 80),
    title: `Decide ${claim.earlier.change}: ${claim.earlier.cls} (${claim.earlier.finding_id}) against ${results.summary.class} (${results.id})`,
    question: `Where does ${claim.earlier.change} help and where does it hurt, between ${between}?`,
    hypothesis: `The effect of ${claim.earlier.change} depends on ${keys.length > 0 ? keys.join(', ') : 'the seeds: one of the two claims was noise'}.`,
    rationale: `An unresolved contradiction comes before anything new: ${claim.earlier.finding_id} says ${claim.earlier.cls} at ${claim.earlier.conditions}, ${results.id} says ${claim.arm.class}.`,
    base: overridesFromCanonical(claim.baseline),
    arms,
    metric: results.spec.metric.name,
    secondary: results.spec.secondary,
    seeds: keys.length > 0 ? [42, 43, 44, 45, 46, 47, 48, 49, 50, 51] : [57, 58, 59, 60, 61, 62, 63, 64, 65, 66],
    motivated_by: results.id,
    timeLimit: results.spec.time_limit,
    kind: 'decide',
    text: `Decide the contradiction on ${claim.earlier.change}: ${claim.earlier.finding_id} against ${results.id}`,
    changes: [claim.earlier.change],
  };
}

/** "n_bits=30, lr=0.01" as config values; keys the conditions do not name are at their canonical value. */
function conditionsFrom(text: string, reference: TrainConfig): Partial<TrainConfig> {
  const canonical = parseTrainConfig({ task: reference.task }) as Record<string, unknown>;
  const named = Object.fromEntries(
    text
      .split(',')
      .map((part) => part.trim().split('='))
      .filter((pair) => pair.length === 2 && pair[0]! in canonical)
      .map(([key, value]) => [key!, value!.includes('->') ? value!.split('->').map(Number) : Number.isNaN(Number(value)) ? value : Number(value)]),
  );
  const keys = new Set([...Object.keys(named), ...changedKeys(reference, canonical as TrainConfig)]);
  return Object.fromEntries([...keys].map((key) => [key, key in named ? named[key] : canonical[key]])) as Partial<TrainConfig>;
}

function formatValue(value: unknown): string {
  return Array.isArray(value) ? value.join('->') : String(value);
}

function topicFor(keys: (keyof TrainConfig)[]): string {
  if (keys.includes('optimizer') || keys.includes('grokfast_alpha') || keys.includes('grokfast_lambda')) return 'Optimizers';
  if (keys.includes('loss')) return 'Loss functions';
  if (keys.includes('order') || keys.includes('algorithm')) return 'Update order and memory';
  if (keys.includes('n_bits') || keys.includes('k') || keys.includes('curriculum')) return 'Problem size';
  return 'Hyperparameters';
}
