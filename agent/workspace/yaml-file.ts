// A YAML file of the workspace read against its zod schema: one place for the two ways it can be wrong (the YAML
// itself, or a field), each named with the file, the field and the value.
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { formatIssues } from '../../core/index.js';

export type YamlFileOptions = {
  /** What the file holds, for "invalid <what>". */
  what: string;
  failure: new (message: string) => Error;
  /** Rewrites one problem line, given the parsed data (e.g. to name a row by its title). */
  explain?: (problem: string, data: unknown) => string;
};

export function parseYamlFile<S extends z.ZodType>(text: string, file: string, schema: S, options: YamlFileOptions): z.infer<S> {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new options.failure(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = formatIssues(parsed.error, data).map((problem) => options.explain?.(problem, data) ?? problem);
  throw new options.failure(`${file}: invalid ${options.what}\n  - ${problems.join('\n  - ')}`);
}
