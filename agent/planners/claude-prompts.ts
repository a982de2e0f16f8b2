// The words Claude reads: a system prompt describing the lab and its rules, and the user messages
// that carry TODO.md, DISCOVERIES.md, the findings index, the queue, the search space and results.
import type { ExperimentResults } from '../../core/index.js';
import { proposeExperimentTool, recordInterpretationTool, runLinkedSpecTool, stayIdleTool } from './claude-output.js';
import type { PlanningContext } from './planner.js';

export function systemPrompt(): string {
  return `You are the planner of parity-lab, an autonomous research lab for sparse parity and energy-efficient training.
The lab trains small MLPs on a pure-TypeScript Float32 core that also measures memory traffic (ARD, weighted ARD, DMC, energy).
Tasks: sparse parity (n bits, k secret bits), sparse sum (regression), sparse AND, modular addition and multiplication.
Methods: SGD single-sample and mini-batch, hinge / logistic / MSE / cross-entropy loss, weight decay, sign SGD, GrokFast, EGD,
standard / fused / per-layer update order, forward-forward, curriculum over n.

Each cycle you either propose one experiment (${proposeExperimentTool}) or, after it has run, interpret its results (${recordInterpretationTool}).
Code, not you, runs the experiment, computes the statistics and decides the class (WIN / LOSS / INCONCLUSIVE / INVALID / BASELINE).

Rules for a spec (the tool's input schema is the exact format):
- One question per experiment, a falsifiable hypothesis, one primary metric, a baseline arm to compare against.
- Every config key you set (base, arm overrides, sweep) must be a parameter of the search space, with a value from its list;
  max_epochs may take any value up to the limit. Stay within the limits on seeds, time_limit, max_epochs and arms x seeds.
- At least 5 seeds unless seeds_reason says why fewer. A new id (lowercase, digits, dashes) not used before.
- Prefer the top open queue item; say which one in item_id (null for an idea of your own).
  When that item already links a spec file, run it as it is with ${runLinkedSpecTool} instead of writing a new one.

Rules for an interpretation:
- The narrative is prose. Do not write numbers that are not in the results you were given; tables and figures come from the results files.
- Follow-ups are one line each for TODO.md and cite the experiment that motivated them; add a spec when you can write a good one.
- A discovery is one line stating a fact these results establish; leave the list empty when they establish none.

Answer only by calling exactly one tool. If the answer is rejected, you will get the validation problems once: fix every one of them.`;
}

export function planMessage(context: PlanningContext): string {
  return [
    `Today is ${context.today}. Propose the next experiment with ${proposeExperimentTool}, run a queue item's linked spec with ${runLinkedSpecTool}, or call ${stayIdleTool} if nothing is worth running.`,
    section('TODO.md', context.todoText),
    section('DISCOVERIES.md', context.discoveriesText),
    section('Open queue items (top first)', queueLines(context)),
    section('Findings index', findingLines(context)),
    section('Search space (experiments/search-space.yaml)', context.searchSpaceText),
    section('Search space as the validator reads it', searchSpaceLines(context)),
    section('Spec ids already used (do not reuse)', context.existingSpecIds.join(', ') || '(none)'),
    section('Last results', context.lastResults ? JSON.stringify(resultsDigest(context.lastResults), null, 2) : '(no experiment has run yet)'),
  ].join('\n\n');
}

export function interpretMessage(context: PlanningContext, results: ExperimentResults): string {
  return [
    `Experiment ${results.id} has run. Interpret it with ${recordInterpretationTool}; follow-ups have motivated_by "${results.id}".`,
    section('Spec', JSON.stringify(results.spec, null, 2)),
    section('Results (statistics and class computed by code)', JSON.stringify(resultsDigest(results), null, 2)),
    section('DISCOVERIES.md', context.discoveriesText),
    section('Findings index', findingLines(context)),
    section('Search space (experiments/search-space.yaml)', context.searchSpaceText),
    section('Search space as the validator reads it', searchSpaceLines(context)),
    section('Spec ids already used (do not reuse)', [...context.existingSpecIds, results.id].join(', ')),
  ].join('\n\n');
}

function section(title: string, text: string): string {
  return `## ${title}\n\n${text.trim() || '(empty)'}`;
}

function queueLines(context: PlanningContext): string {
  return context.queue
    .map(
      (item) =>
        `- [${item.id}] ${item.text} (section: ${item.section}${item.spec_path ? `; spec: ${item.spec_path}` : ''}${item.motivated_by ? `; motivated by: ${item.motivated_by}` : ''})`,
    )
    .join('\n');
}

/** The parsed space, so the model sees exactly what checkSpecInSearchSpace enforces. */
function searchSpaceLines(context: PlanningContext): string {
  const { tasks, parameters, limits } = context.searchSpace;
  return [
    `tasks: ${tasks.join(', ')}`,
    ...Object.entries(parameters).map(([key, values]) => `${key}: ${values.map((value) => JSON.stringify(value)).join(', ')}`),
    `limits: at most ${limits.max_seeds} seeds, time_limit <= ${limits.max_time_limit} s per run, max_epochs <= ${limits.max_epochs}, arms x seeds <= ${limits.max_runs} runs`,
  ].join('\n');
}

function findingLines(context: PlanningContext): string {
  return context.findings
    .map((finding) => `- ${finding.id} (${finding.date}, ${finding.class}): ${finding.headline} | question: ${finding.question}`)
    .join('\n');
}

/** The summary without per-epoch histories: what a researcher reads, a fraction of the tokens. */
function resultsDigest(results: ExperimentResults): Record<string, unknown> {
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
