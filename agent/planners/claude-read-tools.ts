// The read-only tools Claude may call before it answers: a finding, a results file (per-seed values and a
// thinned learning curve, never the full histories) or an earlier spec, each bounded in size.
import { z } from 'zod';
import { parseResults } from '../experiments/results-file.js';
import { readText } from '../io/workspace-files.js';
import { findingPath, resultsPath, specPath } from '../workspace/paths.js';
import { join } from 'node:path';
import type { ToolReader } from './claude-conversation.js';
import { jsonSchemaOf, type Tool } from './claude-tools.js';

/** Characters per tool result, and learning-curve points per run. */
export const readToolBounds = { chars: 8000, curvePoints: 12 } as const;

const IdInput = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an experiment id (lowercase, digits, dashes)') }).strict();
const idSchema = jsonSchemaOf(IdInput);

export const readTools: Tool[] = [
  { name: 'read_finding', description: 'Read findings/<id>.md: its tables, verdicts and analysis (the ledger has one line of it).', input_schema: idSchema },
  {
    name: 'read_results',
    description: 'Read results/<id>/results.json as per-seed values (solved, epochs, accuracies, solve epoch) and a thinned test-accuracy curve per run.',
    input_schema: idSchema,
  },
  { name: 'read_spec', description: 'Read experiments/<id>.md: the spec of an earlier experiment (front matter and body).', input_schema: idSchema },
];

/** A reader over a workspace's files; an unknown id answers with an error the model can act on. */
export function workspaceReader(workspace: string): ToolReader {
  return async (name, input) => {
    const parsed = IdInput.safeParse(input);
    if (!parsed.success) throw new Error(`${name}: give {"id": "<experiment id>"}`);
    const { id } = parsed.data;
    const path = name === 'read_finding' ? findingPath(id) : name === 'read_spec' ? specPath(id) : resultsPath(id);
    const text = await readText(join(workspace, path)).catch(() => {
      throw new Error(`${path} does not exist; the ledger lists the ids there are`);
    });
    return bounded(name === 'read_results' ? perSeedText(parseResults(text, path)) : text);
  };
}

function perSeedText(results: ReturnType<typeof parseResults>): string {
  const lines = results.arms.map((arm) => {
    const runs = arm.runs.map((run) => {
      if (run.status === 'crashed') return `  seed ${run.seed}: crashed (${run.message})`;
      const step = Math.max(1, Math.ceil(run.history.length / readToolBounds.curvePoints));
      const curve = run.history.filter((_, i) => i % step === 0 || i === run.history.length - 1).map((epoch) => `${epoch.epoch}:${epoch.test_acc}`);
      return `  seed ${run.seed}: ${run.status}, solved ${run.solved}, solve_epoch ${run.solve_epoch}, epochs ${run.epochs}, best_test_acc ${run.best_test_acc}, final_test_acc ${run.final_test_acc}, elapsed_ms ${run.elapsed_ms}; test_acc by epoch ${curve.join(' ')}`;
    });
    return [`${arm.name}${arm.baseline ? ' (baseline)' : ''}:`, ...runs].join('\n');
  });
  return [`${results.id}: ${results.summary.class}: ${results.summary.headline}`, ...lines].join('\n');
}

function bounded(text: string): string {
  return text.length <= readToolBounds.chars ? text : `${text.slice(0, readToolBounds.chars)}\n… (${text.length - readToolBounds.chars} more characters cut)`;
}
