// The words Claude reads, stable parts first so the prompt cache can hold them: the system prompt (the lab,
// the rules, the search space, generated from the same SearchSpace the validator enforces), then the night's
// context (a compact ledger of findings, DISCOVERIES.md, the queue), then what this step is about.
// Every part is bounded, so the prompt stays under a fixed size however long the night runs.
import { parseAgenda, renderAgendaCompact } from '../workspace/agenda.js';
import type Anthropic from '@anthropic-ai/sdk';
import type { ExperimentResults } from '../../core/index.js';
import { proposeExperimentTool, recordInterpretationTool, runLinkedSpecTool, stayIdleTool } from './claude-tools.js';
import type { PlanningContext } from './planner.js';
import type { FindingSummary } from '../domain.js';
import { searchSpaceLines } from '../workspace/search-knobs.js';

/** Prompt-size bounds (characters): the ledger keeps the newest lines; long texts are cut with a note. */
export const promptBounds = { agendaChars: 4000, ledgerLines: 60, ledgerLineChars: 260, discoveriesChars: 6000, todoNotesChars: 3000, queueItems: 30 } as const;
const cached = { type: 'ephemeral' } as const;

export function systemBlocks(context: PlanningContext): Anthropic.TextBlockParam[] {
  return [{ type: 'text', text: `${rulesText()}\n\n${searchSpaceText(context)}`, cache_control: cached }];
}

/** The night's context: the same text for the plan and the interpret step of a cycle (one cached prefix). */
export function contextBlock(context: PlanningContext): Anthropic.TextBlockParam {
  const text = [
    section('Ledger of findings (one line each, newest last; read_finding / read_results / read_spec give the details)', ledgerLines(context.findings)),
    section('DISCOVERIES.md', cut(context.discoveriesText, promptBounds.discoveriesChars, 'the rest of DISCOVERIES.md')),
    section('Research agenda (AGENDA.md: questions with their status, the objective, the best so far, the claims)', agendaText(context)),
    section('Open queue items (top first)', queueLines(context)),
    section('Notes in TODO.md (the items are listed above)', cut(todoNotes(context.todoText), promptBounds.todoNotesChars, 'the rest of the notes')),
    section('Spec ids already used (do not reuse)', idsText(context.existingSpecIds)),
  ].join('\n\n');
  return { type: 'text', text, cache_control: cached };
}

export function planBlocks(context: PlanningContext): Anthropic.TextBlockParam[] {
  const step = [
    `Today is ${context.today}. Propose the next experiment with ${proposeExperimentTool}, run a queue item's linked spec with ${runLinkedSpecTool}, or call ${stayIdleTool} if nothing is worth running.`,
    'Before you answer, check your proposal against the ledger: do not repeat an experiment that already ran with the same arms; cite the ledger lines your rationale builds on.',
    section(
      'Last results (the experiment that finished last)',
      context.lastResults ? JSON.stringify(resultsDigest(context.lastResults)) : '(no experiment has run yet)',
    ),
  ].join('\n\n');
  return [contextBlock(context), { type: 'text', text: step }];
}

export function interpretBlocks(context: PlanningContext, results: ExperimentResults): Anthropic.TextBlockParam[] {
  const step = [
    `Experiment ${results.id} has run. Interpret it with ${recordInterpretationTool}; follow-ups have motivated_by "${results.id}"; do not reuse the id ${results.id}.`,
    section('Spec', JSON.stringify(results.spec)),
    section('Results (statistics and class computed by code)', JSON.stringify(resultsDigest(results))),
  ].join('\n\n');
  return [contextBlock(context), { type: 'text', text: step }];
}

function rulesText(): string {
  return `You are the planner of parity-lab, an autonomous research lab for sparse parity and energy-efficient training.
The lab trains small MLPs on a pure-TypeScript Float32 core that also measures memory traffic (ARD, weighted ARD, DMC, energy).
Each cycle you either propose one experiment (${proposeExperimentTool}) or, after it has run, interpret its results (${recordInterpretationTool}).
Code, not you, runs the experiment, computes the statistics and decides the class (WIN / LOSS / MIXED / INCONCLUSIVE / INVALID / BASELINE).
You may first read details with read_finding, read_results (per-seed values, learning curves) and read_spec, a few calls per step.

Rules for a spec (the tool's input schema is the exact format):
- One question per experiment, a falsifiable hypothesis, one primary metric, a baseline arm to compare against.
- Every config key you set (base, arm overrides, sweep) must be a parameter of the search space below, with a value from its list;
  max_epochs may take any value up to the limit. Stay within the limits on seeds, time_limit, max_epochs and arms x seeds.
- At least 5 seeds unless seeds_reason says why fewer. A new id (lowercase, digits, dashes) not used before.
- Prefer the top open queue item; say which one in item_id (null for an idea of your own).
  When that item already links a spec file, run it as it is with ${runLinkedSpecTool} instead of writing a new one.

Rules for an interpretation (checked by code; an answer that breaks them is sent back once, then replaced by the built-in rules' text):
- The narrative is prose. Every number you write must be a number of the results you were given, at the precision shown there;
  better leave numbers out: tables and figures come from the results files.
- Follow-ups are one line each for TODO.md and cite the experiment that motivated them; add a spec when you can write a good one.
- A discovery is one line stating a fact these results establish, citing the arm and the metric of its decisive verdict
  (a metric in that arm's better_on or worse_on); leave the list empty when no arm has one. Discoveries reach DISCOVERIES.md
  only from a confirmation: an experiment with id confirm-<id> that re-runs the deciding arm and the baseline on fresh seeds
  (47-56, at least 10). After a WIN, LOSS or MIXED, propose that confirmation as a follow-up.

Answer only by calling exactly one tool. If the answer is rejected, you will get the validation problems once: fix every one of them.`;
}

/** The space as checkSpecInSearchSpace reads it (searchSpaceLines, the same source as the tool schema). */
function searchSpaceText(context: PlanningContext): string {
  return section('Search space (experiments/search-space.yaml, as the validator reads it)', searchSpaceLines(context.searchSpace).join('\n'));
}

function section(title: string, text: string): string {
  return `## ${title}\n\n${text.trim() || '(empty)'}`;
}

function cut(text: string, chars: number, what: string): string {
  return text.length <= chars ? text : `${text.slice(0, chars)}\n… (${text.length - chars} more characters: ${what})`;
}

function agendaText(context: PlanningContext): string {
  if (!context.agendaText?.trim()) return '(no AGENDA.md in this workspace)';
  return cut(renderAgendaCompact(parseAgenda(context.agendaText)), promptBounds.agendaChars, 'the rest of the agenda');
}

/** One line per finding: id, class, primary metric, best arm, each arm's numbers; the newest lines only. */
export function ledgerLines(findings: FindingSummary[]): string {
  const newest = findings.slice(-promptBounds.ledgerLines);
  const older = findings.length - newest.length;
  const metricsText = (metrics: Record<string, unknown>) => Object.entries(metrics).map(([metric, value]) => `${metric}=${value}`);
  const lines = newest.map((finding) => {
    const arms = Object.entries(finding.arms).map(([arm, metrics]) => `${arm}: ${metricsText(metrics).join(' ')}`);
    const line = `- ${finding.id} ${finding.date} ${finding.class} (${finding.primary_metric}${finding.best_arm ? `, best ${finding.best_arm}` : ''}): ${finding.headline} | ${arms.join('; ')}`;
    return line.length <= promptBounds.ledgerLineChars ? line : `${line.slice(0, promptBounds.ledgerLineChars - 1)}…`;
  });
  return [...(older > 0 ? [`(${older} older findings not listed: read_finding reads any of them)`] : []), ...lines].join('\n');
}

function queueLines(context: PlanningContext): string {
  const shown = context.queue.slice(0, promptBounds.queueItems);
  const lines = shown.map(
    (item) =>
      `- [${item.id}] ${item.text} (section: ${item.section}${item.spec_path ? `; spec: ${item.spec_path}` : ''}${item.motivated_by ? `; motivated by: ${item.motivated_by}` : ''})`,
  );
  const more = context.queue.length - shown.length;
  return [...lines, ...(more > 0 ? [`(${more} more open items below these)`] : [])].join('\n');
}

/** TODO.md without its item lines (those are the queue above, or checked off): headings and the human's notes. */
function todoNotes(todoText: string): string {
  return todoText
    .split('\n')
    .filter((line) => !/^\s*- \[[ xX]\]/.test(line))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

/** Ids (sorted), the last 200: the validator still refuses any reused id. */
function idsText(ids: string[]): string {
  const shown = ids.slice(-200);
  return `${ids.length > shown.length ? `(${ids.length - shown.length} more, older) ` : ''}${shown.join(', ') || '(none)'}`;
}

/** The summary without per-epoch histories: what a researcher reads, a fraction of the tokens. */
export function resultsDigest(results: ExperimentResults): Record<string, unknown> {
  return {
    id: results.id,
    question: results.spec.question,
    hypothesis: results.spec.hypothesis,
    class: results.summary.class,
    headline: results.summary.headline,
    best_arm: results.summary.best_arm,
    primary: results.summary.primary,
    arms: results.summary.arms,
  };
}
