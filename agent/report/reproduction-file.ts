// findings/reproduction.yaml: the rows of the reproduction table, written by hand. Each row names a seed's figure
// (as text, plus the numbers it gives) and what of ours it is compared with; the numbers of ours are computed by
// reproduction-table.ts from results.json every time. Checked here once, with errors naming the row and the field.
import { z } from 'zod';
import { UserError } from '../user-error.js';
import { REPRODUCTION_PATH } from '../workspace/paths.js';
import { parseYamlFile } from '../workspace/yaml-file.js';

/** A published number: a value (compared within 25%) or a range (`low`, `high` or both; "> 90%" is { low: 0.9 }). */
const FigureSchema = z.union(
  [
    z.number(),
    z
      .object({ low: z.number().optional(), high: z.number().optional() })
      .strict()
      .refine((range) => range.low !== undefined || range.high !== undefined, 'give low, high or both'),
  ],
  { error: 'expected a number or a range { low, high } (e.g. 27, or { low: 0.9 })' },
);

/** A published count of runs: "4/5", "all" or "none". */
const CountSchema = z.string().regex(/^(\d+\/\d+|all|none)$/, 'write a count as "4/5", "all" or "none"');

const PublishedSchema = z
  .object({
    text: z.string().min(1),
    solved: CountSchema.optional(),
    reached_90: CountSchema.optional(),
    best_test_acc: FigureSchema.optional(),
    epoch_90: FigureSchema.optional(),
    solve_epoch: FigureSchema.optional(),
    time_to_solve_ms: FigureSchema.optional(),
    solve_steps: FigureSchema.optional(),
    /** Two arms: arm / against. */
    ratio: z.object({ epoch_90: FigureSchema, solve_epoch: FigureSchema, time_to_solve_ms: FigureSchema }).partial().strict().optional(),
    /** Two tracked arms: arm / against - 1 of the median (-0.04 is "4% lower"). */
    change: z.object({ ard: FigureSchema, weighted_ard: FigureSchema, dmd: FigureSchema, energy_pj: FigureSchema }).partial().strict().optional(),
  })
  .strict();

/**
 * What of ours a row shows: one arm (`arm`), two (`arm` against `against`: ratios, or memory medians when tracked),
 * the fastest runs of some arms (`fastest`), or a figure of the finding (`figure`, a file in findings/<id>/).
 */
const OursSchema = z
  .object({
    experiment: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an experiment id (results/<id>/results.json)'),
    arm: z.string().min(1).optional(),
    against: z.string().min(1).optional(),
    label: z.string().min(1).optional(),
    fastest: z.array(z.string().min(1)).min(1).optional(),
    figure: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((ours, context) => {
    const kinds = [ours.arm !== undefined, ours.fastest !== undefined, ours.figure !== undefined].filter(Boolean).length;
    if (kinds !== 1) context.addIssue({ code: 'custom', message: 'give exactly one of arm (with against for two arms), fastest or figure' });
    if (ours.against !== undefined && ours.arm === undefined) context.addIssue({ code: 'custom', path: ['against'], message: 'against needs arm' });
  });

const RowSchema = z
  .object({ source: z.string().min(1), setting: z.string().min(1), published: PublishedSchema, ours: OursSchema, note: z.string().min(1).optional() })
  .strict();

const FileSchema = z.object({ rows: z.array(RowSchema).min(1) }).strict();

export type PublishedFigure = z.infer<typeof FigureSchema>;
export type ReproductionRow = z.infer<typeof RowSchema>;

export class ReproductionFileError extends UserError {
  override name = 'ReproductionFileError';
}

/** The rows of a declaration; a bad one fails naming the file, the row (index and setting), the field and the value. */
export function parseReproduction(text: string, file = REPRODUCTION_PATH): ReproductionRow[] {
  return parseYamlFile(text, file, FileSchema, { what: 'reproduction table', failure: ReproductionFileError, explain: withSetting }).rows;
}

/** "rows.3.published.epoch_90 (got "27"): ..." -> "row 3 (setting "EGD lr 0.05"): field published.epoch_90 ...". */
function withSetting(problem: string, data: unknown): string {
  const match = /^rows\.(\d+)(?:\.([^\s:]+))?(.*)$/s.exec(problem);
  if (!match) return problem;
  const row = (data as { rows?: { setting?: unknown }[] }).rows?.[Number(match[1])];
  return `${rowName(Number(match[1]), row?.setting)}: field ${match[2] ?? '(the row)'}${match[3]}`;
}

export function rowName(index: number, setting: unknown): string {
  return typeof setting === 'string' ? `row ${index} (setting ${JSON.stringify(setting)})` : `row ${index}`;
}
