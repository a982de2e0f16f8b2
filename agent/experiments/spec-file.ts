// experiments/<id>.md: YAML front matter (the spec) + a markdown body (question, hypothesis, rationale).
import matter from 'gray-matter';
import { parseSpec, SpecError, type Spec, type SpecInput } from '../../core/index.js';

/** `input`: the front matter as written (no defaults filled in), for tools that rewrite a spec. */
export type SpecFile = { spec: Spec; body: string; input: Record<string, unknown> };

/** Parses a spec file's text; errors name the file, the field path, the value and the fix. */
export function parseSpecText(text: string, source: string): SpecFile {
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(text);
  } catch (error) {
    throw new SpecError(source, [`front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  if (Object.keys(parsed.data).length === 0) {
    throw new SpecError(source, ['no YAML front matter: start the file with --- then id, title, question, hypothesis, task, arms, metric, and a closing ---']);
  }
  return { spec: parseSpec(parsed.data, source), body: parsed.content, input: parsed.data };
}

/** The text of a spec file (front matter from plain JSON data, so no YAML tags leak in). */
export function renderSpecText(spec: SpecInput | Spec, body: string): string {
  const data = JSON.parse(JSON.stringify(spec)) as Record<string, unknown>;
  return matter.stringify(body.startsWith('\n') ? body : `\n${body}`, data);
}
