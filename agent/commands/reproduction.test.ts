// `lab reproduction` in a temp workspace: writes the table, and --check exits 1 while it is stale.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { declarationRow as row, removeReproductionWorkspaces, workspaceWith, writeWorkspaceFile } from '../report/test-helpers/reproduction-workspace.js';
import { runReproductionCommand } from './reproduction.js';

afterAll(removeReproductionWorkspaces);

function run(workspace: string, check: boolean): Promise<{ code: number; printed: string[] }> {
  const printed: string[] = [];
  return runReproductionCommand({ workspace, check, print: (text) => printed.push(text), log: () => {} }).then((code) => ({ code, printed }));
}

describe('lab reproduction', () => {
  it('exits 1 on --check while findings/README.md is stale, and 0 once it has regenerated it', async () => {
    const dir = workspaceWith(['egd-vs-sgd'], 'rows:\n' + row('SGD', '{ text: "90% at 33", epoch_90: 33 }', '{ experiment: egd-vs-sgd, arm: sgd }'));
    expect(await run(dir, true)).toEqual({ code: 1, printed: ["findings/README.md is stale: it does not exist; run 'lab reproduction' to regenerate it"] });
    expect(await run(dir, false)).toEqual({ code: 0, printed: ['wrote findings/README.md (1 row)'] });
    expect(readFileSync(join(dir, 'findings/README.md'), 'utf8')).toContain('| test | SGD | 90% at 33 | 5/5 solved; mean best acc 100%; 90% at 35.2;');
    expect(await run(dir, true)).toEqual({ code: 0, printed: ['findings/README.md is current (1 row)'] });

    writeWorkspaceFile(
      dir,
      'findings/reproduction.yaml',
      'rows:\n' + row('SGD', '{ text: "90% at 33", epoch_90: 20 }', '{ experiment: egd-vs-sgd, arm: sgd }'),
    );
    expect(await run(dir, true)).toEqual({
      code: 1,
      printed: ['findings/README.md is stale: 1 row changed ("SGD"); run \'lab reproduction\' to regenerate it'],
    });
  });

  it('refuses a workspace without a declaration, saying which file to write, and an empty one', async () => {
    const dir = workspaceWith([], 'rows: []\n');
    await expect(run(dir, true)).rejects.toThrow(/findings\/reproduction\.yaml: invalid reproduction table\n {2}- rows \(got \[\]\): Too small/);
    rmSync(join(dir, 'findings/reproduction.yaml'));
    await expect(run(dir, false)).rejects.toThrow(/has no findings\/reproduction\.yaml: declare the table's rows there first/);
  });
});
