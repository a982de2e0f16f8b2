// The tools Claude answers with: names, the zod schemas claude-output.ts validates calls with, and JSON schemas
// generated from them and narrowed to the search space (workspace/search-knobs.ts), so the tool schema, the
// system prompt and checkSpecInSearchSpace share one source.
import { z } from 'zod';
import { SpecSchema } from '../../core/index.js';
import type { SearchSpace } from '../domain.js';
import { searchSpaceJsonSchema } from '../workspace/search-knobs.js';

export type Tool = { name: string; description: string; input_schema: { type: 'object'; [key: string]: unknown } };

export const proposeExperimentTool = 'propose_experiment';
export const runLinkedSpecTool = 'run_linked_spec';
export const stayIdleTool = 'stay_idle';
export const recordInterpretationTool = 'record_interpretation';

const line = z
  .string()
  .trim()
  .min(1)
  .refine((text) => !text.includes('\n'), 'write one line, without line breaks');
const specObject = z.record(z.string(), z.unknown());

export const ProposalSchema = z
  .object({
    spec: specObject.describe('The experiment spec (front matter of experiments/<id>.md).'),
    body: z.string().min(1).describe('Markdown body of the spec: the question, the hypothesis and why.'),
    item_id: z.string().nullable().describe('The TODO queue item this answers, or null for a new idea.'),
    rationale: z.string().min(1).describe('Why this experiment now, in one or two sentences.'),
  })
  .strict();

export const LinkedSchema = z
  .object({
    item_id: z.string().min(1).describe('An open queue item that links a spec file (experiments/<id>.md).'),
    rationale: z.string().min(1).describe('Why this experiment now, in one or two sentences.'),
  })
  .strict();

export const IdleSchema = z.object({ reason: z.string().min(1).describe('Why no experiment is worth running now.') }).strict();

export const InterpretationSchema = z
  .object({
    narrative: z
      .object({ worked: z.array(line), didnt: z.array(line), surprise: z.array(line), open_questions: z.array(line) })
      .strict()
      .describe('Prose bullets. No numbers that are not in the results given.'),
    follow_ups: z.array(
      z
        .object({
          text: line.describe('One line for TODO.md.'),
          motivated_by: z.string().min(1).describe('The finding id that motivated it (the experiment just run).'),
          spec: specObject.optional().describe('A ready spec for it, if you can write one.'),
          body: z.string().min(1).optional().describe('Markdown body for that spec (required with spec).'),
        })
        .strict(),
    ),
    discoveries: z.array(
      z
        .object({
          topic: line,
          text: line.describe('One fact this experiment established; only numbers from the results, at their precision.'),
          arm: z.string().min(1).describe('The arm whose verdict establishes it (not the baseline).'),
          metric: z.string().min(1).describe("The metric of that arm's decisive verdict (one of its better_on / worse_on)."),
        })
        .strict(),
    ),
  })
  .strict();

type JsonObject = Record<string, any>;
type JsonSchema = Tool['input_schema'] & JsonObject;

/** A zod schema as compact JSON Schema: input form, no $schema, no MAX_SAFE_INTEGER bounds. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return JSON.parse(
    JSON.stringify(json, (key, value: unknown) => (key === '$schema' || (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) ? undefined : value)),
  ) as JsonSchema;
}

export const specJsonSchema = jsonSchemaOf(SpecSchema);

/** The spec schema with its task, config knobs (base, overrides, sweep) and spec-level knobs narrowed to the search space. */
export function spaceSpecSchema(space: SearchSpace): JsonObject {
  const spec = structuredClone(specJsonSchema) as JsonObject;
  const narrowed = searchSpaceJsonSchema(space) as { overrides: JsonObject; spec: JsonObject };
  const withTypes = (properties: JsonObject) => ({
    ...narrowed.overrides,
    properties: Object.fromEntries(
      Object.entries(narrowed.overrides.properties as JsonObject).map(([key, schema]) => [key, { ...properties[key], ...schema }]),
    ),
  });
  for (const [key, schema] of Object.entries(narrowed.spec.properties as JsonObject)) spec.properties[key] = { ...spec.properties[key], ...schema };
  spec.properties.base = { ...spec.properties.base, ...withTypes(spec.properties.base.properties) };
  const arm = spec.properties.arms.items.properties;
  arm.overrides = { ...arm.overrides, ...withTypes(arm.overrides.properties) };
  spec.properties.sweep = { ...spec.properties.sweep, propertyNames: { enum: Object.keys(narrowed.overrides.properties as JsonObject) } };
  return spec;
}

export function planToolsFor(space: SearchSpace): Tool[] {
  const proposal = jsonSchemaOf(ProposalSchema);
  proposal.properties.spec = { ...spaceSpecSchema(space), description: proposal.properties.spec.description };
  return [
    {
      name: proposeExperimentTool,
      description: 'Propose the next experiment: a spec inside the search space, its markdown body, the queue item it answers.',
      input_schema: proposal,
    },
    { name: runLinkedSpecTool, description: 'Run the spec file an open queue item already links, as it is.', input_schema: jsonSchemaOf(LinkedSchema) },
    {
      name: stayIdleTool,
      description: 'Run nothing this cycle (nothing in the queue or search space is worth running).',
      input_schema: jsonSchemaOf(IdleSchema),
    },
  ];
}

export function interpretToolsFor(space: SearchSpace): Tool[] {
  const interpretation = jsonSchemaOf(InterpretationSchema);
  const followUp = interpretation.properties.follow_ups.items.properties;
  followUp.spec = { ...spaceSpecSchema(space), description: followUp.spec.description };
  return [
    {
      name: recordInterpretationTool,
      description: 'Record what the results mean: narrative bullets, follow-up TODO items (with specs when ready), discoveries citing a decisive verdict.',
      input_schema: interpretation,
    },
  ];
}
