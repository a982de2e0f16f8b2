// The results.json contract: one schema with a version, read through one function. Every consumer
// (cycle, planners, status, reproduce, report) gets a checked ExperimentResults or an error naming the
// file, the field and the value; nobody casts JSON.
import { join } from 'node:path';
import { z } from 'zod';
import { parseSpec, parseTrainConfig, stopReasons, type ExperimentResults } from '../../core/index.js';
import { readTextOrNull } from '../io/workspace-files.js';
import { UserError } from '../user-error.js';
import { resultsPath } from '../workspace/paths.js';

export const RESULTS_SCHEMA_VERSION = 2;

const nullableNumber = z.number().nullable();

const EpochSchema = z.looseObject({
  epoch: z.number().int(),
  stage_n: z.number().int(),
  train_acc: z.number().nullable(),
  test_acc: z.number(),
  train_loss: z.number().nullable(),
  test_loss: z.number(),
});

const TrainedRunSchema = z.looseObject({
  seed: z.number().int(),
  status: z.enum(['ok', 'diverged', 'timeout']),
  stop_reason: z.enum(stopReasons).optional(),
  solved: z.boolean(),
  reached_95: z.boolean(),
  best_test_acc: z.number(),
  final_test_acc: z.number(),
  epoch_90: nullableNumber,
  solve_epoch: nullableNumber,
  epochs: z.number().int(),
  elapsed_ms: z.number(),
  time_to_solve_ms: nullableNumber,
  secret: z.array(z.number().int()),
  history: z.array(EpochSchema),
  memory: z.looseObject({}).optional(),
  message: z.string().optional(),
  /** The kernel set that ran, present only when the config named a backend (core/wasm). */
  kernels: z.enum(['ts', 'wasm-exact', 'wasm-fast']).optional(),
  /** One line when backend wasm was asked for but the engine lacks SIMD (the TS kernels ran). */
  kernels_notice: z.string().optional(),
});

const CrashedRunSchema = z.object({ seed: z.number().int(), status: z.literal('crashed'), message: z.string(), elapsed_ms: z.number() });

const ResultsSchema = z.object({
  schema_version: z.number().int(),
  id: z.string().min(1),
  spec: z.record(z.string(), z.unknown()),
  provenance: z.looseObject({
    spec_hash: z.string(),
    core_hash: z.string(),
    started_at: z.string(),
    finished_at: z.string(),
    wall_ms: z.number(),
    workers: z.number(),
  }),
  arms: z.array(
    z.object({
      name: z.string(),
      baseline: z.boolean(),
      config: z.record(z.string(), z.unknown()),
      runs: z.array(z.union([CrashedRunSchema, TrainedRunSchema])),
    }),
  ),
  summary: z.looseObject({ class: z.string(), arms: z.array(z.looseObject({ name: z.string() })) }),
  results_hash: z.string().regex(/^[0-9a-f]{64}$/),
});

export class ResultsFileError extends UserError {
  override name = 'ResultsFileError';
}

/** Parses results.json text; throws ResultsFileError naming the source, the field path and the value. */
export function parseResults(text: string, source: string): ExperimentResults {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ResultsFileError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const version = (json as { schema_version?: unknown } | null)?.schema_version;
  if (version !== RESULTS_SCHEMA_VERSION) {
    throw new ResultsFileError(
      `${source}: schema_version ${JSON.stringify(version)} is not ${RESULTS_SCHEMA_VERSION}, the version this lab reads; re-run the experiment (lab reproduce <id>) to record it again`,
    );
  }
  const parsed = ResultsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new ResultsFileError(`${source}: field ${field || '(root)'}: ${issue.message} (value ${JSON.stringify(valueAt(json, issue.path))?.slice(0, 80)})`);
  }
  const spec = parseSpec(parsed.data.spec, `${source} (spec)`);
  parsed.data.arms.forEach((arm, index) => parseTrainConfig(arm.config, `${source} (arms.${index}.config)`));
  return { ...(parsed.data as unknown as ExperimentResults), spec };
}

function valueAt(json: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined), json);
}

/** results/<id>/results.json of a workspace, checked. */
export async function readResultsFile(workspace: string, id: string): Promise<ExperimentResults> {
  const path = resultsPath(id);
  const text = await readTextOrNull(join(workspace, path));
  if (text === null) throw new ResultsFileError(`${path}: no recorded results; run the experiment first (lab run experiments/${id}.md)`);
  return parseResults(text, path);
}

/** The same, or null when the file is missing or unreadable (e.g. an INVALID cycle's id). */
export function readResultsOrNull(workspace: string, id: string): Promise<ExperimentResults | null> {
  return readResultsFile(workspace, id).catch(() => null);
}
