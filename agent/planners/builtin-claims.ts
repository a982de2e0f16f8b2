// What a confirmation decides: whether the original result held on seeds 47-56 (the DISCOVERIES.md line says
// so), the claim the agenda keeps, and, when the claim contradicts an earlier held one (same change, WIN against
// LOSS), the contested lines and the experiment that decides between them: the 2x2 of the change here and where
// the earlier claim was measured (in the same conditions: the same arms on ten more fresh seeds). Claims measured on
// different tasks are not a contradiction one experiment can decide (a spec has one task): the line names both.
import { parseTrainConfig, type ExperimentClass, type ExperimentResults, type TrainConfig } from '../../core/index.js';
import type { Ledger } from '../experiments/ledger.js';
import { discoveryText } from '../findings/verdict-text.js';
import { CONFIRMATION_SEEDS, DECISION_PREFIX, opposingClaims, recordClaim, type Agenda, type AgendaClaim } from '../workspace/agenda.js';
import type { Candidate } from './builtin-rules.js';
import { changedKeys, changesOf, describeChange, diffOverrides, overridesFromCanonical, slugValue } from './builtin-spec.js';
import type { Discovery, FindingSummary } from '../domain.js';

export type ConfirmationOutcome = { discoveries: Discovery[]; contested: { finding_id: string; by: string }[]; decide: Candidate[]; agenda: Agenda | null };

const seedsText = (results: ExperimentResults) => `seeds ${results.spec.seeds[0]}-${results.spec.seeds[results.spec.seeds.length - 1]}`;

export function judgeConfirmation(
  results: ExperimentResults,
  context: { findings: readonly FindingSummary[]; agenda: Agenda | null; ledger: Ledger },
): ConfirmationOutcome {
  const { findings, agenda, ledger } = context;
  const arm = results.summary.arms.find((candidate) => !candidate.baseline);
  const baseline = results.arms.find((candidate) => candidate.baseline)!;
  const config = results.arms.find((candidate) => candidate.name === arm?.name)?.config;
  const original = findings.find((finding) => finding.id === results.spec.motivated_by);
  const cls = (original?.arms[arm?.name ?? '']?.['class'] ?? original?.class) as ExperimentClass | undefined;
  if (!arm || !config || (cls !== 'WIN' && cls !== 'LOSS' && cls !== 'MIXED')) return { discoveries: [], contested: [], decide: [], agenda };
  const held = arm.class === cls;
  const change = changesOf(config, baseline.config).join(', ');
  // Where it was measured: the baseline's differences from the canonical configuration, the task included.
  const conditions = changesOf(baseline.config, parseTrainConfig({})).join(', ') || 'the canonical configuration';
  const claim: AgendaClaim = { change, cls, conditions, state: held ? 'held' : 'did not hold', finding_id: results.id };
  const taskOf = (other: AgendaClaim) => ledger.runs.find((run) => run.experiment_id === other.finding_id && run.baseline)?.config.task;
  const sameTask = (other: AgendaClaim) => (taskOf(other) ?? baseline.config.task) === baseline.config.task;
  const recorded = agenda ? recordClaim(agenda, claim, sameTask) : null;
  const earlier = recorded?.contradicts ?? null;
  const otherTasks = held && agenda ? opposingClaims(agenda, claim).filter((other) => !sameTask(other)) : [];
  const elsewhere = otherTasks.map((other) => `; the opposite (${other.cls}) on task=${taskOf(other)} in ${other.finding_id}`).join('');
  const text = discoveryText(results.summary, arm, { confirmed: held });
  const line = held
    ? `${text.replace('confirmed on fresh seeds', `confirmed on ${seedsText(results)}`)}${earlier ? `; contradicts ${earlier.finding_id}` : ''}${elsewhere}`
    : `${change} (${cls} in ${original!.id}) did not hold on ${seedsText(results)}: ${text.replace(/; not yet confirmed on fresh seeds\)$/, ')')}`;
  const updated = recorded?.agenda ?? null;
  // The best so far is the held WIN at the largest n_bits (the newest among equals).
  const bestBits = (best: string) => (best === 'none yet' ? 0 : Number(/n_bits=(\d+)/.exec(best)?.[1] ?? 20));
  if (updated && held && cls === 'WIN' && !earlier && baseline.config.n_bits >= bestBits(updated.best))
    updated.best = `${arm.name === change ? change : `${arm.name} (${change})`} at ${conditions} (findings/${results.id}.md)`;
  return {
    discoveries: [{ topic: topicFor(changedKeys(config, baseline.config)), text: line, replaces: { finding_id: original!.id, change } }],
    contested: earlier ? [{ finding_id: earlier.finding_id, by: results.id }] : [],
    decide: earlier ? [decider(results, { config, baseline: baseline.config, earlier }, ledger)] : [],
    agenda: updated,
  };
}

/** On seeds 57-66: the 2x2 of the change here and where the earlier claim was measured (its configs from the ledger), or both arms again. */
function decider(results: ExperimentResults, claim: { config: TrainConfig; baseline: TrainConfig; earlier: AgendaClaim }, ledger: Ledger): Candidate {
  const earlierRuns = ledger.runs.filter((run) => run.experiment_id === claim.earlier.finding_id);
  const [there, changedThere] = [earlierRuns.find((run) => run.baseline)?.config, earlierRuns.find((run) => !run.baseline)?.config];
  const elsewhere = there && changedThere && changedKeys(there, claim.baseline).length > 0;
  const arms = [
    { name: 'baseline-here', overrides: {}, baseline: true },
    { name: 'change-here', overrides: diffOverrides(claim.config, claim.baseline) },
    ...(elsewhere
      ? [
          { name: 'baseline-there', overrides: diffOverrides(there, claim.baseline) },
          { name: 'change-there', overrides: diffOverrides(changedThere, claim.baseline) },
        ]
      : []),
  ];
  const between = elsewhere ? describeChange(there, claim.baseline) : 'the same conditions';
  return {
    id: `${DECISION_PREFIX}${slugValue(claim.earlier.change)}-${results.id}`,
    title: `Decide ${claim.earlier.change}: ${claim.earlier.cls} in ${claim.earlier.finding_id} against ${results.summary.class} in ${results.id}`,
    question: `Where does ${claim.earlier.change} help and where does it hurt: here, or at ${between}?`,
    hypothesis: `The effect of ${claim.earlier.change} depends on ${elsewhere ? changedKeys(there, claim.baseline).join(', ') : 'the seeds: one of the two claims was noise'}.`,
    rationale: `An unresolved contradiction comes before anything new: ${claim.earlier.finding_id} says ${claim.earlier.cls} at ${claim.earlier.conditions}, ${results.id} says ${results.summary.class}.`,
    base: overridesFromCanonical(claim.baseline),
    arms,
    metric: results.spec.metric.name,
    secondary: results.spec.secondary,
    // Fresh seeds again (57-66): the decision is its own evidence, not a re-reading of the runs that disagree.
    seeds: CONFIRMATION_SEEDS.map((seed) => seed + 10),
    motivated_by: results.id,
    timeLimit: results.spec.time_limit,
    kind: 'decide',
    text: `Decide the contradiction on ${claim.earlier.change}: ${claim.earlier.finding_id} against ${results.id}`,
    changes: [claim.earlier.change],
  };
}

function topicFor(keys: (keyof TrainConfig)[]): string {
  if (keys.includes('optimizer') || keys.includes('grokfast_alpha') || keys.includes('grokfast_lambda')) return 'Optimizers';
  if (keys.includes('loss')) return 'Loss functions';
  if (keys.includes('order') || keys.includes('algorithm')) return 'Update order and memory';
  if (keys.includes('n_bits') || keys.includes('k') || keys.includes('curriculum')) return 'Problem size';
  return 'Hyperparameters';
}
