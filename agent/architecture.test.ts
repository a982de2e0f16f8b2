// Keeps the layout honest (see ARCHITECTURE.md): core/ is pure, side effects live in agent/io/,
// only agent/cli.ts reads argv / env or exits, and agent/ reaches the core through its index.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { oversized } from './test-helpers/code-size.js';
import { importCycles, upwardImports } from './test-helpers/import-graph.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(join(root, directory), { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.includes('test-helpers'))
    .map((file) => join(directory, file));
}

/** Module specifiers a file imports at run time (type-only imports have no effect and are skipped). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((match) => match[1]!);
}

const sideEffectModules = /^(node:)?(fs|fs\/promises|child_process|worker_threads|http|https|net)$|^(execa|piscina|simple-git|bullmq)$/;

describe('the architecture', () => {
  it('keeps core/ pure: it imports only core/ and zod, and reads no clock, randomness, or process', () => {
    const problems: string[] = [];
    for (const file of sourceFiles('core')) {
      for (const specifier of importsOf(file)) {
        // Relative imports must stay inside core/ (core/wasm/ reaches core/mlp.js as ../mlp.js).
        const insideCore = specifier.startsWith('.') && !relative('core', join(dirname(file), specifier)).startsWith('..');
        if (!insideCore && specifier !== 'zod') problems.push(`${file} imports ${specifier}`);
      }
      const text = readFileSync(join(root, file), 'utf8');
      for (const banned of ['Math.random', 'Date.now', 'performance.now', 'new Date(', 'process.']) {
        if (text.includes(banned)) problems.push(`${file} uses ${banned}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('lets agent/ reach the core only through core/index.js', () => {
    const problems = sourceFiles('agent').flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.includes('core/') && !specifier.endsWith('core/index.js'))
        .map((specifier) => `${file} imports ${specifier}`),
    );
    expect(problems).toEqual([]);
  });

  it('confines fs, child processes, worker threads, git and sockets to agent/io/', () => {
    const problems = sourceFiles('agent')
      .filter((file) => !file.startsWith(join('agent', 'io')))
      .flatMap((file) =>
        importsOf(file)
          .filter((specifier) => sideEffectModules.test(specifier))
          .map((specifier) => `${file} imports ${specifier}`),
      );
    expect(problems).toEqual([]);
  });

  it('confines the network client (the Anthropic SDK) to agent/llm/', () => {
    const problems = sourceFiles('agent')
      .filter((file) => !file.startsWith(join('agent', 'llm')))
      .flatMap((file) =>
        importsOf(file)
          .filter((specifier) => specifier.startsWith('@anthropic-ai/'))
          .map((specifier) => `${file} imports ${specifier}`),
      );
    expect(problems).toEqual([]);
  });

  it('reads process.argv and process.env and exits only in agent/cli.ts', () => {
    const problems = sourceFiles('agent')
      .filter((file) => relative('agent', file) !== 'cli.ts')
      .filter((file) => /process\.(argv|env|exit)\b/.test(readFileSync(join(root, file), 'utf8')));
    expect(problems).toEqual([]);
  });
});

describe('the import rules of agent/', () => {
  it('has no import that runs upwards or sideways between layers (cli -> commands -> cycle -> ... -> io -> core)', () => {
    expect(upwardImports(root)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(importCycles(root)).toEqual([]);
  });

  it('catches a deliberate upward import and a deliberate cycle in a fixture tree', () => {
    const fixture = mkdtempSync(join(tmpdir(), 'lab-arch-'));
    try {
      const write = (path: string, text: string) => {
        mkdirSync(dirname(join(fixture, path)), { recursive: true });
        writeFileSync(join(fixture, path), text);
      };
      write('agent/workspace/todo.ts', "import type { Plan } from '../planners/planner.js';\nexport const todo = 1;\n");
      write('agent/planners/planner.ts', "export type Plan = { kind: 'idle' };\n");
      write('agent/cycle/a.ts', "import { b } from './b.js';\nexport const a = b;\n");
      write('agent/cycle/b.ts', "import { a } from './a.js';\nexport const b = a;\n");
      expect(upwardImports(fixture)).toEqual([expect.stringContaining('agent/workspace/todo.ts (workspace) imports agent/planners/planner.ts (planners)')]);
      expect(importCycles(fixture)).toEqual(['agent/cycle/a.ts -> agent/cycle/b.ts -> agent/cycle/a.ts']);
    } finally {
      rmSync(fixture, { recursive: true, force: true });
    }
  });
});

/** The numeric kernels, where one long loop nest reads better than pieces: exempt from the size limits. */
const numericKernels = (file: string) => file === 'core/mlp.ts' || file.startsWith('core/wasm/');

describe('the size limits', () => {
  it('keeps every file of agent/ and core/ under 300 lines and every function under 60, except the numeric kernels', () => {
    const files = [...sourceFiles('agent'), ...sourceFiles('core')].filter((file) => !numericKernels(file));
    expect(oversized(root, files)).toEqual([]);
  });

  it('catches a file and a function over the limits in a fixture', () => {
    const fixture = mkdtempSync(join(tmpdir(), 'lab-size-'));
    try {
      const body = Array.from({ length: 61 }, (_, index) => `  total += ${index};`).join('\n');
      const filler = Array.from({ length: 240 }, (_, index) => `export const c${index} = ${index};`).join('\n');
      writeFileSync(join(fixture, 'long.ts'), `export function long(): number {\n  let total = 0;\n${body}\n  return total;\n}\n${filler}\n`);
      expect(oversized(fixture, ['long.ts'])).toEqual(['long.ts: 305 lines', 'long.ts:1 long: 65 lines']);
    } finally {
      rmSync(fixture, { recursive: true, force: true });
    }
  });
});
