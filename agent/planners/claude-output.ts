// The validation of each tool call Claude answers with (claude-tools.ts) into a Plan or an Interpretation, or a
// list of problems the model can act on; and the errors that end a step.
import { formatIssues, parseSpec, type ExperimentResults, type SpecInput } from '../../core/index.js';
import { knownRun, specJobs } from '../experiments/ledger.js';
import { checkClaims } from './claims-check.js';
import { IdleSchema, InterpretationSchema, LinkedSchema, ProposalSchema, proposeExperimentTool, runLinkedSpecTool, stayIdleTool } from './claude-tools.js';
import { checkSpecInSearchSpace } from './claude-search-space.js';
import type { Plan, PlanningContext } from './planner.js';
import type { Interpretation } from '../domain.js';

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** Claude answered badly twice (the problems were sent back once): the cycle is INVALID. */
export class PlannerOutputError extends Error {
  constructor(
    readonly step: 'plan' | 'interpret',
    readonly problems: string[],
    /** The queue item the last answer named (item_id), if any: the only one an INVALID record may close. */
    readonly itemId: string | null = null,
  ) {
    super(`Claude's ${step} answer was invalid twice (the validation errors were sent back once); the cycle is INVALID:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PlannerOutputError';
  }
}

/** The model stopped in a way a second try in the same conversation cannot fix: a refusal, or a full context window. */
export class PlannerStopError extends Error {
  constructor(
    readonly step: 'plan' | 'interpret',
    readonly stopReason: 'refusal' | 'model_context_window_exceeded',
  ) {
    super(
      stopReason === 'refusal'
        ? `Claude refused the ${step} request (stop_reason "refusal")`
        : `Claude's ${step} conversation outgrew the model's context window (stop_reason "model_context_window_exceeded")`,
    );
    this.name = 'PlannerStopError';
  }
}

export function validatePlanAnswer(toolName: string, input: unknown, context: PlanningContext): Validated<Plan> {
  if (toolName === stayIdleTool) {
    const idle = IdleSchema.safeParse(input);
    return idle.success ? { ok: true, value: { kind: 'idle', reason: idle.data.reason } } : { ok: false, problems: formatIssues(idle.error, input) };
  }
  if (toolName === runLinkedSpecTool) return validateLinked(input, context);
  const parsed = ProposalSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: formatIssues(parsed.error, input) };
  const proposal = parsed.data;
  const problems = checkSpec(proposal.spec, context, 'spec');
  problems.push(...alreadyInLedger(proposal.spec, context));
  const queueIds = context.queue.map((item) => item.id);
  if (proposal.item_id !== null && !queueIds.includes(proposal.item_id)) {
    problems.push(`item_id (got ${JSON.stringify(proposal.item_id)}): not an open queue item; use one of ${queueIds.join(', ') || '(none)'} or null`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { kind: 'spec', spec: proposal.spec as SpecInput, body: proposal.body, item_id: proposal.item_id, rationale: proposal.rationale } };
}

function validateLinked(input: unknown, context: PlanningContext): Validated<Plan> {
  const parsed = LinkedSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: formatIssues(parsed.error, input) };
  const item = context.queue.find((candidate) => candidate.id === parsed.data.item_id);
  if (!item?.spec_path) {
    const linked = context.queue.filter((candidate) => candidate.spec_path).map((candidate) => candidate.id);
    return {
      ok: false,
      problems: [
        `item_id (got ${JSON.stringify(parsed.data.item_id)}): not an open queue item with a linked spec; use one of ${linked.join(', ') || '(none)'} or call ${proposeExperimentTool}`,
      ],
    };
  }
  return { ok: true, value: { kind: 'linked', item_id: item.id, spec_path: item.spec_path, rationale: parsed.data.rationale } };
}

export function validateInterpretation(input: unknown, context: PlanningContext, results: ExperimentResults): Validated<Interpretation> {
  const parsed = InterpretationSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: formatIssues(parsed.error, input) };
  const problems: string[] = [];
  const newIds = new Set<string>();
  const followUps = parsed.data.follow_ups.map((followUp, i) => {
    if (followUp.spec === undefined) return { text: followUp.text, motivated_by: followUp.motivated_by };
    const source = `follow_ups.${i}.spec`;
    problems.push(...checkSpec(followUp.spec, { ...context, existingSpecIds: [...context.existingSpecIds, results.id, ...newIds] }, source));
    if (typeof followUp.spec.id === 'string') newIds.add(followUp.spec.id);
    if (followUp.body === undefined) problems.push(`follow_ups.${i}.body: a follow-up with a spec needs a body (question and hypothesis in markdown)`);
    return { text: followUp.text, motivated_by: followUp.motivated_by, spec: followUp.spec as SpecInput, body: followUp.body ?? '' };
  });
  problems.push(...checkClaims(parsed.data.narrative, parsed.data.discoveries, results));
  if (problems.length > 0) return { ok: false, problems };
  const discoveries = parsed.data.discoveries.map(({ topic, text }) => ({ topic, text }));
  return { ok: true, value: { narrative: parsed.data.narrative, follow_ups: followUps, discoveries } };
}

/** parseSpec, then the search space, then a fresh id. */
function checkSpec(spec: Record<string, unknown>, context: PlanningContext, source: string): string[] {
  let parsedSpec;
  try {
    parsedSpec = parseSpec(spec, source);
  } catch (error) {
    const problems = (error as { problems?: unknown }).problems;
    return Array.isArray(problems) ? problems.map((problem) => `${source}.${problem}`) : [`${source}: ${(error as Error).message}`];
  }
  const problems = checkSpecInSearchSpace(spec, parsedSpec, context.searchSpace, source);
  if (context.existingSpecIds.includes(parsedSpec.id)) {
    problems.push(`${source}.id (got "${parsedSpec.id}"): already used (experiments/${parsedSpec.id}.md exists or is proposed); choose a new id`);
  }
  return problems;
}

/** Every run the spec would make is in the ledger already (same config, seed, tracking, core; a time limit it fits): nothing new to learn. */
function alreadyInLedger(input: Record<string, unknown>, context: PlanningContext): string[] {
  let known: Array<ReturnType<typeof knownRun>>;
  try {
    known = specJobs(parseSpec(input, 'spec')).map((job) => knownRun(context.ledger, job, context.coreHash));
  } catch {
    return []; // checkSpec reported it
  }
  if (known.length === 0 || !known.every((entry) => entry !== null)) return [];
  const earlier = [...new Set(known.map((entry) => entry!.experiment_id))];
  return [`spec: every run of it is already in the ledger (${earlier.join(', ')}): change a parameter, the seeds or the problem, or run something else`];
}
