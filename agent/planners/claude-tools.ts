// The tools Claude answers with, their JSON schemas generated from the zod schemas and narrowed to the
// search space: the spec's task, base, overrides and sweep list only the keys and values the validator accepts,
// so the tool schema, the system prompt and checkSpecInSearchSpace all come from the one SearchSpace.
import { z } from 'zod';
import { SpecSchema } from '../../core/index.js';
import type { SearchSpace } from '../domain.js';
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

/** The spec schema with config keys and tasks narrowed to the search space (max_epochs: up to its limit). */
export function spaceSpecSchema(space: SearchSpace): JsonObject {
  const spec = structuredClone(specJsonSchema) as JsonObject;
  const config = (properties: JsonObject): JsonObject => {
    const narrowed: JsonObject = {};
    for (const [key, values] of Object.entries(space.parameters)) narrowed[key] = { ...properties[key], enum: values };
    narrowed['max_epochs'] = { ...properties['max_epochs'], maximum: space.limits.max_epochs };
    return narrowed;
  };
  spec.properties.task = { ...spec.properties.task, enum: space.tasks };
  spec.properties.base = { ...spec.properties.base, properties: config(spec.properties.base.properties), additionalProperties: false };
  const overrides = spec.properties.arms.items.properties.overrides;
  spec.properties.arms.items.properties.overrides = { ...overrides, properties: config(overrides.properties), additionalProperties: false };
  spec.properties.sweep = { ...spec.properties.sweep, propertyNames: { enum: [...Object.keys(space.parameters), 'max_epochs'] } };
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
