// The import rules of agent/ as a function over a source tree, so the architecture test can run them on
// the real tree and on a deliberately broken fixture. Type-only imports count: a type that has to be
// imported upwards lives in the wrong module.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/**
 * Layers, top (0) to bottom: a module may import only from a strictly lower layer, or from its own folder.
 * cli -> commands -> cycle -> report / planners -> experiments -> findings -> workspace -> domain -> io / llm -> user-error -> core
 */
export const AGENT_LAYERS: Record<string, number> = {
  'cli.ts': 0,
  commands: 1,
  cycle: 2,
  report: 3,
  planners: 3,
  experiments: 4,
  findings: 5,
  workspace: 6,
  'domain.ts': 7,
  llm: 8,
  io: 8,
  'user-error.ts': 9,
  core: 10,
};

export function agentSourceFiles(root: string): string[] {
  return readdirSync(join(root, 'agent'), { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.includes('test-helpers'))
    .map((file) => join('agent', file));
}

/** Relative module specifiers of a file, type-only imports included, resolved to repository paths. */
export function localImportsOf(root: string, file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)].map((match) =>
    normalize(join(dirname(file), match[1]!.replace(/\.js$/, '.ts'))),
  );
}

/** The layer key of a repository path: agent/<folder>/..., agent/<file>.ts, or core/. */
export function layerOf(path: string): string {
  const parts = path.split(/[\\/]/);
  if (parts[0] === 'core') return 'core';
  return parts[1] ?? path;
}

export function upwardImports(root: string, files = agentSourceFiles(root)): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    for (const target of localImportsOf(root, file)) {
      const to = layerOf(target);
      const fromRank = AGENT_LAYERS[from];
      const toRank = AGENT_LAYERS[to];
      if (fromRank === undefined) problems.push(`${file}: folder "${from}" has no layer in AGENT_LAYERS`);
      else if (toRank === undefined) problems.push(`${file} imports ${target}: "${to}" has no layer in AGENT_LAYERS`);
      else if (from !== to && toRank <= fromRank) problems.push(`${file} (${from}) imports ${relative(root, join(root, target))} (${to}): upward or sideways`);
    }
  }
  return problems;
}

/** Every import cycle among the files, as "a -> b -> a" (depth-first search, each cycle reported once). */
export function importCycles(root: string, files = agentSourceFiles(root)): string[] {
  const graph = new Map(files.map((file) => [normalize(file), localImportsOf(root, file).filter((target) => target.startsWith('agent'))]));
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'visiting');
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  return cycles;
}
