// Turns a Plan into a validated spec ready to run: a linked spec file read as is, or a generated one
// checked against the schema and given an id no existing spec, finding or TODO item uses; then, under a
// cycle budget, probed and fitted into the cycle's share of the night (budget.ts).
import { join } from 'node:path';
import { expandArms, parseSpec, type Spec } from '../../core/index.js';
import { reusableRun, specJobs } from '../experiments/ledger.js';
import { parseSpecText, renderSpecText } from '../experiments/spec-file.js';
import type { FollowUp } from '../domain.js';
import type { Plan, PlanningContext } from '../planners/planner.js';
import { readText } from '../io/workspace-files.js';
import { specPath } from '../workspace/paths.js';
import { UserError } from '../user-error.js';
import { fitSpecToBudget, type BudgetHook } from './budget-probe.js';

export type PreparedSpec = {
  spec: Spec;
  /** Workspace-relative path, experiments/<id>.md. */
  specPath: string;
  /** The file's text when the cycle must write it (a generated spec, or one the budget changed); null for a linked one. */
  newText: string | null;
  itemId: string | null;
  rationale: string;
  /** Arms the budget split off into experiments of their own, for TODO.md (empty when nothing was split). */
  queued?: FollowUp[];
};

export class PlanError extends UserError {}

export async function prepareSpec(
  workspace: string,
  plan: Exclude<Plan, { kind: 'idle' }>,
  context: PlanningContext,
  budget: BudgetHook | null = null,
): Promise<PreparedSpec> {
  if (plan.kind === 'linked') {
    const text = await readLinked(workspace, plan.spec_path);
    const { spec, body, input } = parseSpecText(text, plan.spec_path);
    const prepared = { spec, specPath: plan.spec_path, newText: null, itemId: plan.item_id, rationale: plan.rationale };
    return budget ? withBudget(prepared, input, body, { ...budget, reused: reusedIn(context, spec) }) : prepared;
  }
  const path = specPath(String(plan.spec.id));
  const spec = parseSpec(plan.spec, `${path} (proposed by the planner)`);
  if (context.existingSpecIds.includes(spec.id)) {
    throw new PlanError(`the planner proposed spec id "${spec.id}", which experiments/ already has; a new experiment needs a new id`);
  }
  const prepared = { spec, specPath: path, newText: renderSpecText(plan.spec, plan.body), itemId: plan.item_id, rationale: plan.rationale };
  return budget ? withBudget(prepared, plan.spec as Record<string, unknown>, plan.body, { ...budget, reused: reusedIn(context, spec) }) : prepared;
}

/** The spec fitted to the cycle's share: rewritten (with a Budget section saying what changed) when it had to be. */
async function withBudget(
  prepared: PreparedSpec,
  input: Record<string, unknown>,
  body: string,
  budget: Parameters<typeof fitSpecToBudget>[3],
): Promise<PreparedSpec> {
  const fitted = await fitSpecToBudget(input, prepared.spec, body, budget);
  if (!fitted) return prepared;
  return {
    ...prepared,
    spec: fitted.spec,
    newText: renderSpecText(fitted.input as never, fitted.body),
    rationale: `${prepared.rationale.replace(/[.\s]*$/, '')}. ${fitted.note}`,
    queued: fitted.queued,
  };
}

/** Which (arm, seed) runs of the spec as written the runner will take from the ledger. */
function reusedIn(context: PlanningContext, spec: Spec): (arm: string, seed: number) => boolean {
  const jobs = specJobs(spec);
  const names = expandArms(spec).map((arm) => arm.name);
  const reused = new Set(
    jobs.flatMap((job, i) => (reusableRun(context.ledger, job, context.coreHash) ? [`${names[Math.floor(i / spec.seeds.length)]}/${job.seed}`] : [])),
  );
  return (arm, seed) => reused.has(`${arm}/${seed}`);
}

async function readLinked(workspace: string, specPath: string): Promise<string> {
  try {
    return await readText(join(workspace, specPath));
  } catch {
    throw new PlanError(`${specPath}: the TODO item links this spec, but the file does not exist; write it or fix the link`);
  }
}
