// The tools Claude answers with, their JSON schemas generated from the zod schemas and narrowed to the
// search space (workspace/search-knobs.ts): the spec's task, base, overrides, sweep and spec-level knobs list only
// what the validator accepts, so the tool schema, the system prompt and checkSpecInSearchSpace share one source.
import { z } from 'zod';
import { SpecSchema } from '../../core/index.js';
import type { SearchSpace } from '../domain.js';
import { searchSpaceJsonSchema } from '../workspace/search-knobs.js';
import type { Tool } from './claude-conversation.js';
import {
  IdleSchema,
  InterpretationSchema,
  LinkedSchema,
  ProposalSchema,
  proposeExperimentTool,
  recordInterpretationTool,
  runLinkedSpecTool,
  stayIdleTool,
} from './claude-output.js';

type JsonObject = Record<string, any>;

/** The whole spec schema as compact JSON Schema: input form, no $schema, no MAX_SAFE_INTEGER bounds. */
export const specJsonSchema = compactSchema(z.toJSONSchema(SpecSchema, { io: 'input', unrepresentable: 'any' }));

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
  const spec = spaceSpecSchema(space);
  return [
    {
      name: proposeExperimentTool,
      description: 'Propose the next experiment: a spec inside the search space, its markdown body, the queue item it answers.',
      input_schema: toolSchema(ProposalSchema, (properties) => void (properties.spec = { ...spec, description: properties.spec.description })),
    },
    { name: runLinkedSpecTool, description: 'Run the spec file an open queue item already links, as it is.', input_schema: toolSchema(LinkedSchema, () => {}) },
    {
      name: stayIdleTool,
      description: 'Run nothing this cycle (nothing in the queue or search space is worth running).',
      input_schema: toolSchema(IdleSchema, () => {}),
    },
  ];
}

export function interpretToolsFor(space: SearchSpace): Tool[] {
  const spec = spaceSpecSchema(space);
  return [
    {
      name: recordInterpretationTool,
      description: 'Record what the results mean: narrative bullets, follow-up TODO items (with specs when ready), discoveries citing a decisive verdict.',
      input_schema: toolSchema(InterpretationSchema, (properties) => {
        const followUp = properties.follow_ups.items.properties;
        followUp.spec = { ...spec, description: followUp.spec.description };
      }),
    },
  ];
}

function toolSchema(schema: z.ZodType, specPaths: (properties: JsonObject) => void): Tool['input_schema'] {
  const json = compactSchema(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })) as Tool['input_schema'];
  specPaths(json.properties as JsonObject);
  return json;
}

function compactSchema(schema: unknown): JsonObject {
  return JSON.parse(
    JSON.stringify(schema, (key, value: unknown) => (key === '$schema' || (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) ? undefined : value)),
  ) as JsonObject;
}
