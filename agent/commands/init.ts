// `lab init [dir]`: a new research workspace (git repo, TODO.md, DISCOVERIES.md, experiments/ with the
// search space, findings/, results/), committed, ready for `lab cycle`. Refuses to overwrite anything.
import { join, resolve } from 'node:path';
import { makeDirectoryDurably, writeFileAtomic } from '../io/atomic-write.js';
import { ensureRepo } from '../io/git.js';
import { ensureLabStateIgnored } from '../io/lab-state-dir.js';
import { newDiscoveriesFile } from '../workspace/discoveries.js';
import { readTemplateFiles } from '../io/templates.js';
import { pathExists } from '../io/workspace-files.js';
import { UserError } from '../user-error.js';

export type InitOptions = { directory: string; print: (text: string) => void };

const readmes: Record<string, string> = {
  'findings/README.md':
    '# Findings\n\nOne markdown finding per experiment (`<id>.md`), with its figures in `<id>/`. Written by `lab run` / `lab cycle` from `results/<id>/results.json`; the index is built from their front matter (`lab status`).\n',
  'results/README.md':
    "# Results\n\nRaw results per experiment: `<id>/results.json` (every seed's history, memory figures, provenance, results_hash) and, for Claude-planned cycles, `<id>/llm-transcript.json`.\n",
};

export async function runInitCommand(options: InitOptions): Promise<number> {
  const workspace = resolve(options.directory);
  const files: Record<string, string> = {
    ...(await readTemplateFiles()),
    'DISCOVERIES.md': newDiscoveriesFile(),
    ...readmes,
  };
  for (const path of Object.keys(files)) {
    if (await pathExists(join(workspace, path))) {
      throw new UserError(`${join(workspace, path)} already exists: lab init never overwrites a workspace; use another directory or remove it`);
    }
  }
  await makeDirectoryDurably(workspace);
  const repo = await ensureRepo(workspace);
  for (const [path, content] of Object.entries(files)) await writeFileAtomic(join(workspace, path), content);
  await ensureLabStateIgnored(workspace);
  const commit = await repo.commitFiles(
    [...Object.keys(files), '.gitignore'],
    'Initialize parity-lab workspace\n\nTODO.md (the queue, each item linking its spec in experiments/), DISCOVERIES.md, experiments/search-space.yaml, findings/, results/.',
  );
  options.print(`initialized a parity-lab workspace in ${workspace} (commit ${commit?.slice(0, 8) ?? 'none'})`);
  options.print(`next: cd ${options.directory} && lab cycle`);
  return 0;
}
