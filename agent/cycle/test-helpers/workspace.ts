// Real research workspaces for the cycle's integration tests: a temp dir made by `lab init` (through
// runInitCommand), a local git identity, a small search space and a queue of SMALL linked specs, committed.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SpecInput } from '../../../core/index.js';
import { runInitCommand } from '../../commands/init.js';
import { renderSpecText } from '../../experiments/spec-file.js';

/** The compiled CLI the cycle's child process runs (`npm run build` first). */
export const labBin = join(import.meta.dirname, '..', '..', '..', 'bin', 'lab.js');

/** A search space around the small specs: a planner's "one step further" stays a few-second experiment. */
export const smallSearchSpaceText = `# Test search space: small nets on 8-10 bit parity, so a cycle takes seconds.
tasks: [parity]
parameters:
  n_bits: [8, 10]
  k: [2, 3]
  hidden: [32, 64]
  lr: [0.05, 0.1, 0.2]
  wd: [0, 0.01]
  batch_size: [16, 32]
  n_train: [256]
  n_test: [128]
  max_epochs: [60]
  optimizer: [sgd, sign-sgd]
limits:
  max_seeds: 10
  max_time_limit: 20
  max_epochs: 60
  max_runs: 20
`;

const smallBase = { n_bits: 8, k: 2, hidden: 32, n_train: 256, n_test: 128, max_epochs: 60 };

/** A two-arm spec on 8-bit parity (k 2, hidden 32, 5 seeds): about a second of training. */
export function smallSpec(id: string, overrides: Partial<SpecInput> = {}): SpecInput {
  return {
    id,
    title: `Learning rate on tiny parity (${id})`,
    question: 'Does lr 0.2 solve 8-bit parity (k=2) in fewer epochs than lr 0.1?',
    hypothesis: 'A larger step reaches the secret pair sooner on a problem this small.',
    task: 'parity',
    base: { ...smallBase },
    arms: [
      { name: 'lr=0.1', baseline: true, overrides: { lr: 0.1 } },
      { name: 'lr=0.2', overrides: { lr: 0.2 } },
    ],
    seeds: '42-46',
    metric: { name: 'solve_epoch' },
    time_limit: 20,
    ...overrides,
  };
}

/**
 * A spec whose runs keep training for seconds (a hard problem for a small net, many epochs): long
 * enough to kill or interrupt a cycle in the middle of its child run. Each run stops at time_limit.
 */
export function slowSpec(id: string): SpecInput {
  return {
    id,
    title: 'A slow experiment (for interruption tests)',
    question: 'Does a small net learn 30-bit parity with k=6?',
    hypothesis: 'It does not within 3000 epochs; the runs stop at their time limit.',
    task: 'parity',
    base: { n_bits: 30, k: 6, hidden: 64, n_train: 2000, n_test: 200, max_epochs: 3000, lr: 0.01 },
    arms: [{ name: 'baseline', baseline: true, overrides: {} }],
    seeds: [42, 43],
    seeds_reason: 'interruption tests: two runs, one per worker, about 3 s in all',
    metric: { name: 'best_test_acc' },
    time_limit: 3,
  };
}

export type TestWorkspaceOptions = {
  /** TODO.md content; default: two items linking the default specs. */
  todo?: string;
  /** Specs written to experiments/<id>.md; default: tiny-lr and tiny-hidden. */
  specs?: SpecInput[];
  searchSpace?: string;
};

export type TestWorkspace = {
  dir: string;
  /** Runs git in the workspace and returns its stdout. */
  git: (...args: string[]) => string;
  read: (relativePath: string) => string;
  write: (relativePath: string, content: string) => void;
  exists: (relativePath: string) => boolean;
  /** `git status --porcelain` (untracked files included): '' when clean. */
  status: () => string;
  head: () => string;
  /** Every file under the workspace (not .git, not .lab), sorted, for before/after comparisons. */
  files: () => string[];
};

export function defaultTodo(): string {
  return [
    '# TODO',
    '',
    '## Queue',
    '',
    '- [ ] Tiny lr: does lr 0.2 beat 0.1 on 8-bit parity? (spec: [tiny-lr](experiments/tiny-lr.md)) <!-- id: tiny-lr -->',
    '- [ ] Tiny hidden: does hidden 64 beat 32? (spec: [tiny-hidden](experiments/tiny-hidden.md)) <!-- id: tiny-hidden -->',
    '',
  ].join('\n');
}

export function defaultSpecs(): SpecInput[] {
  return [
    smallSpec('tiny-lr'),
    smallSpec('tiny-hidden', {
      title: 'Hidden width on tiny parity',
      question: 'Does hidden 64 solve 8-bit parity (k=2) in fewer epochs than hidden 32?',
      hypothesis: 'A wider layer finds the secret pair sooner.',
      arms: [
        { name: 'h32', baseline: true, overrides: { hidden: 32 } },
        { name: 'h64', overrides: { hidden: 64 } },
      ],
    }),
  ];
}

const created: string[] = [];

export async function createTestWorkspace(options: TestWorkspaceOptions = {}): Promise<TestWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'lab-cycle-'));
  created.push(dir);
  const workspace = handle(dir);
  // The identity first: lab init commits, and the commits must not depend on the machine's global config.
  workspace.git('init', '--quiet', '-b', 'main');
  workspace.git('config', 'user.name', 'Test Researcher');
  workspace.git('config', 'user.email', 'researcher@example.test');
  workspace.git('config', 'commit.gpgsign', 'false');
  await runInitCommand({ directory: dir, print: () => {} });
  workspace.write('TODO.md', options.todo ?? defaultTodo());
  workspace.write('experiments/search-space.yaml', options.searchSpace ?? smallSearchSpaceText);
  for (const spec of options.specs ?? defaultSpecs()) {
    workspace.write(`experiments/${spec.id}.md`, renderSpecText(spec, `\n## Question\n\n${spec.question}\n`));
  }
  workspace.git('add', '-A');
  workspace.git('commit', '--quiet', '-m', 'Test queue: small specs');
  return workspace;
}

/** A second, independent workspace with the same history (a fresh clone, identity included). */
export function cloneTestWorkspace(source: TestWorkspace, commit?: string): TestWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'lab-cycle-clone-'));
  created.push(dir);
  cpSync(source.dir, dir, { recursive: true, filter: (path) => !path.startsWith(join(source.dir, '.lab')) });
  const workspace = handle(dir);
  workspace.git('reset', '--quiet', '--hard', commit ?? 'HEAD');
  workspace.git('clean', '--quiet', '-fdx', '-e', '.lab');
  return workspace;
}

/** Removes every workspace this module created (call from afterAll). */
export function removeTestWorkspaces(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function handle(dir: string): TestWorkspace {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    dir,
    git,
    read: (relativePath) => readFileSync(join(dir, relativePath), 'utf8'),
    write: (relativePath, content) => {
      const path = join(dir, relativePath);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    },
    exists: (relativePath) => existsSync(join(dir, relativePath)),
    status: () => git('status', '--porcelain', '--untracked-files=all'),
    head: () => git('rev-parse', 'HEAD').trim(),
    files: () => listFiles(dir, ''),
  };
}

function listFiles(root: string, prefix: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const relativePath = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (relativePath === '.git' || relativePath === '.lab') continue;
    if (entry.isDirectory()) names.push(...listFiles(root, relativePath));
    else names.push(relativePath);
  }
  return names.sort();
}
