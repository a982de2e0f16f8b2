// `lab reproduction`: regenerates the reproduction table of findings/README.md from findings/reproduction.yaml and
// the results files; `--check` only says whether the committed table is current (exit 1 when stale).
import { resolve } from 'node:path';
import { withWorkspaceSession } from '../cycle/session.js';
import { atomicWriter } from '../experiments/write-outputs.js';
import { renderReproductionReadme, type ReproductionReadme } from '../report/reproduction-readme.js';
import { tableLine } from '../report/reproduction-table.js';
import { UserError } from '../user-error.js';
import { REPRODUCTION_PATH } from '../workspace/paths.js';

export type ReproductionCommandOptions = { workspace: string; check: boolean; print: (text: string) => void; log: (line: string) => void };

export async function runReproductionCommand(options: ReproductionCommandOptions): Promise<number> {
  const workspace = resolve(options.workspace);
  const readme = await renderReproductionReadme(workspace);
  if (readme === null)
    throw new UserError(
      `${workspace} has no ${REPRODUCTION_PATH}: declare the table's rows there first (see findings/reproduction.yaml of the parity-lab repository)`,
    );
  const tally = readme.rows.length === 1 ? '1 row' : `${readme.rows.length} rows`;
  if (readme.text === readme.current) {
    options.print(`${readme.path} is current (${tally})`);
    return 0;
  }
  if (options.check) {
    options.print(`${readme.path} is stale: ${staleness(readme)}; run 'lab reproduction' to regenerate it`);
    return 1;
  }
  await withWorkspaceSession({ workspace, command: 'lab reproduction', log: options.log }, () => atomicWriter(workspace)(readme.path, readme.text));
  options.print(`wrote ${readme.path} (${tally})`);
  return 0;
}

/** Which rows changed, by setting, or that the table is missing. */
function staleness(readme: ReproductionReadme): string {
  if (readme.current === null) return 'it does not exist';
  const changed = readme.rows.filter((row) => !readme.current!.includes(tableLine(row.cells)));
  if (changed.length === 0) return 'the text around the rows differs';
  const names = changed.slice(0, 3).map((row) => JSON.stringify(row.cells[1]));
  return `${changed.length} row${changed.length === 1 ? '' : 's'} changed (${names.join(', ')}${changed.length > 3 ? ', ...' : ''})`;
}
