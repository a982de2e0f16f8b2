import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atomicWriteTempName } from './atomic-write.js';
import { OutsideAgentAreaError } from './agent-areas.js';
import { beginCycle, JournalError, recoverInterruptedCycle, type CycleJournal, type CycleTransaction } from './journal.js';

let workspace: string;
beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'lab-journal-'));
  await seedWorkspace(workspace);
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

const ORIGINAL_DISCOVERIES = Buffer.from('# Discoveries\r\n- fact \u00e9\u0000 with odd bytes\r\n', 'utf8');

async function seedWorkspace(root: string): Promise<void> {
  await writeFile(join(root, 'TODO.md'), '# TODO\n- [ ] try EGD\n');
  await writeFile(join(root, 'DISCOVERIES.md'), ORIGINAL_DISCOVERIES);
  await mkdir(join(root, 'findings'));
  await writeFile(join(root, 'findings', 'old.md'), 'an old finding\n');
  await mkdir(join(root, 'experiments'));
  await mkdir(join(root, 'src'));
  await writeFile(join(root, 'src', 'code.ts'), 'export const human = 1;\n');
}

/** Every directory and file under root except .lab/, with file bytes, so two states compare byte for byte. */
async function snapshot(root: string, relative = ''): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const name of (await readdir(join(root, relative))).sort()) {
    const path = relative === '' ? name : `${relative}/${name}`;
    if (path === '.lab') continue;
    if ((await stat(join(root, path))).isDirectory()) {
      entries[`${path}/`] = 'directory';
      Object.assign(entries, await snapshot(root, path));
    } else {
      entries[path] = (await readFile(join(root, path))).toString('base64');
    }
  }
  return entries;
}

async function labStateContents(root: string): Promise<string[]> {
  return (await readdir(join(root, '.lab')).catch(() => [] as string[])).sort();
}

/** A whole cycle's worth of changes, including a child process writing into a claimed directory. */
async function runScriptedCycle(transaction: CycleTransaction): Promise<void> {
  await transaction.writeFile('TODO.md', '# TODO\n- [x] try EGD\n');
  await transaction.writeFile('experiments/exp-1.md', '---\nid: exp-1\n---\n');
  const resultsDirectory = await transaction.claimDir('results/exp-1');
  await mkdir(resultsDirectory, { recursive: true }); // what the runner child does
  await writeFile(join(resultsDirectory, 'results.json'), '{"runs": []}');
  await transaction.writeFile('findings/exp-1/figure.svg', '<svg/>');
  await transaction.removeFile('findings/old.md');
  await transaction.writeFile('TODO.md', '# TODO\n- [x] try EGD\n- [ ] follow up\n');
  await transaction.writeFile('DISCOVERIES.md', Buffer.concat([ORIGINAL_DISCOVERIES, Buffer.from('- new fact\n')]));
  await transaction.markCommitting();
}

class SimulatedKill extends Error {}

describe('CycleTransaction.rollback', () => {
  it('restores modified and removed files byte for byte and deletes created files and directories', async () => {
    const before = await snapshot(workspace);
    const transaction = await beginCycle(workspace, { cycleId: 'cycle-1' });
    await runScriptedCycle(transaction);
    expect(await snapshot(workspace)).not.toEqual(before);
    const result = await transaction.rollback();
    expect(await snapshot(workspace)).toEqual(before);
    expect(result.restored.sort()).toEqual(['DISCOVERIES.md', 'TODO.md', 'findings/old.md']);
    expect(result.removed).toEqual(expect.arrayContaining(['experiments/exp-1.md', 'results/exp-1', 'results', 'findings/exp-1']));
    expect(result.conflicts).toEqual([]);
    expect(await labStateContents(workspace)).toEqual([]);
  });

  it('keeps an edit a human made to a file during the cycle instead of overwriting it', async () => {
    const transaction = await beginCycle(workspace, { cycleId: 'cycle-1' });
    await transaction.writeFile('TODO.md', 'agent version');
    await writeFile(join(workspace, 'TODO.md'), 'human typed this meanwhile');
    const result = await transaction.rollback();
    expect(await readFile(join(workspace, 'TODO.md'), 'utf8')).toBe('human typed this meanwhile');
    expect(result.conflicts).toEqual([
      expect.objectContaining({ path: 'TODO.md', backup_path: '.lab/conflicts/cycle-1/TODO.md' }),
    ]);
    expect(await readFile(join(workspace, '.lab/conflicts/cycle-1/TODO.md'), 'utf8')).toBe('# TODO\n- [ ] try EGD\n');
  });

  it('journals concurrent, unawaited writes in order so rollback still undoes all of them', async () => {
    const before = await snapshot(workspace);
    const transaction = await beginCycle(workspace, { cycleId: 'cycle-1' });
    await Promise.all([
      transaction.writeFile('TODO.md', 'a'),
      transaction.writeFile('findings/new/a.md', 'b'),
      transaction.writeFile('DISCOVERIES.md', 'c'),
      transaction.removeFile('findings/old.md'),
    ]);
    await transaction.rollback();
    expect(await snapshot(workspace)).toEqual(before);
  });
});

describe('CycleTransaction.commit', () => {
  it('keeps the changes and clears the journal and backups', async () => {
    const transaction = await beginCycle(workspace, { cycleId: 'cycle-1' });
    await transaction.writeFile('TODO.md', 'done');
    expect(transaction.touchedPaths()).toEqual(['TODO.md']);
    await transaction.commit();
    expect(await readFile(join(workspace, 'TODO.md'), 'utf8')).toBe('done');
    expect(await labStateContents(workspace)).toEqual([]);
    await expect(transaction.writeFile('TODO.md', 'again')).rejects.toThrow('already committed');
  });
});

describe('agent areas', () => {
  it.each(['src/code.ts', 'README.md', '.lab/cycle.json', '../outside.md', '/etc/passwd', 'findings/../src/code.ts', '.gitignore'])(
    'refuses to write %s, which is outside the agent\'s areas',
    async (path) => {
      const transaction = await beginCycle(workspace, { cycleId: 'cycle-1' });
      await expect(transaction.writeFile(path, 'x')).rejects.toBeInstanceOf(OutsideAgentAreaError);
      expect(await readFile(join(workspace, 'src', 'code.ts'), 'utf8')).toBe('export const human = 1;\n');
    },
  );

  it('refuses to write through a symlinked directory that leads out of the workspace', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'lab-outside-'));
    try {
      await symlink(outside, join(workspace, 'results'));
      const transaction = await beginCycle(workspace, { cycleId: 'cycle-1' });
      await expect(transaction.writeFile('results/exp-1/x.json', '{}')).rejects.toThrow('resolves outside the workspace');
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('refuses to claim a results directory that already exists', async () => {
    await mkdir(join(workspace, 'results', 'exp-1'), { recursive: true });
    const transaction = await beginCycle(workspace, { cycleId: 'cycle-1' });
    await expect(transaction.claimDir('results/exp-1')).rejects.toThrow('already exists');
  });
});

describe('recoverInterruptedCycle', () => {
  it('finds nothing to recover in a workspace without a journal', async () => {
    expect(await recoverInterruptedCycle(workspace)).toMatchObject({ recovered: false, outcome: 'nothing_to_recover' });
  });

  it('restores the pre-cycle workspace after a kill at every durable step, even with half-written temp files', async () => {
    const before = await snapshot(workspace);
    const stepsOfDryRun: string[] = [];
    const dryRun = await beginCycle(workspace, { cycleId: 'dry', afterDurableStep: (step) => void stepsOfDryRun.push(step) });
    await runScriptedCycle(dryRun);
    await dryRun.rollback();
    expect(stepsOfDryRun.length).toBeGreaterThan(15);

    for (let killAt = 0; killAt < stepsOfDryRun.length; killAt++) {
      let stepsTaken = 0;
      const killAfterStep = () => {
        if (stepsTaken++ === killAt) throw new SimulatedKill(stepsOfDryRun[killAt]);
      };
      await expect(
        beginCycle(workspace, { cycleId: 'cycle-1', afterDurableStep: killAfterStep }).then(runScriptedCycle),
      ).rejects.toBeInstanceOf(SimulatedKill);
      const journal = JSON.parse(await readFile(join(workspace, '.lab', 'cycle.json'), 'utf8')) as CycleJournal;
      await leaveHalfWrittenTempFiles(journal);

      const recovery = await recoverInterruptedCycle(workspace);
      expect(recovery, `killed after step ${killAt}: ${stepsOfDryRun[killAt]}`).toMatchObject({
        recovered: true, cycleId: 'cycle-1', outcome: 'rolled_back', conflicts: [],
      });
      expect(await snapshot(workspace), `killed after step ${killAt}: ${stepsOfDryRun[killAt]}`).toEqual(before);
      expect(await labStateContents(workspace)).toEqual([]);

      // A recovery killed just before it deleted the journal runs again without harm.
      await writeFile(join(workspace, '.lab', 'cycle.json'), JSON.stringify(journal));
      expect((await recoverInterruptedCycle(workspace)).conflicts).toEqual([]);
      expect(await snapshot(workspace)).toEqual(before);
    }
  });

  it('keeps the files of a cycle that was killed after its git commit landed', async () => {
    const transaction = await beginCycle(workspace, { cycleId: 'cycle-1', baseCommit: 'aaaa' });
    await transaction.writeFile('TODO.md', 'committed version');
    await transaction.markCommitting();
    const recovery = await recoverInterruptedCycle(workspace, { wasCommitted: (journal) => journal.base_commit !== 'bbbb' });
    expect(recovery).toMatchObject({ outcome: 'completed', touchedPaths: ['TODO.md'], phase: 'committing' });
    expect(await readFile(join(workspace, 'TODO.md'), 'utf8')).toBe('committed version');
    expect(await labStateContents(workspace)).toEqual([]);
  });

  it('rolls back a cycle killed while committing when its commit did not land', async () => {
    const before = await snapshot(workspace);
    const transaction = await beginCycle(workspace, { cycleId: 'cycle-1', baseCommit: 'aaaa' });
    await transaction.writeFile('TODO.md', 'never committed');
    await transaction.markCommitting();
    const recovery = await recoverInterruptedCycle(workspace, { wasCommitted: () => false });
    expect(recovery).toMatchObject({ outcome: 'rolled_back', restored: ['TODO.md'] });
    expect(await snapshot(workspace)).toEqual(before);
  });

  it('makes beginCycle refuse while an interrupted cycle waits to be recovered', async () => {
    await beginCycle(workspace, { cycleId: 'cycle-1' });
    await expect(beginCycle(workspace, { cycleId: 'cycle-2' })).rejects.toThrow('call recoverInterruptedCycle');
  });

  it('names the journal file and the fix when the journal is not valid', async () => {
    await mkdir(join(workspace, '.lab'), { recursive: true });
    await writeFile(join(workspace, '.lab', 'cycle.json'), '{"version": 1, "cycle_id": "c", "started_at": "x", "phase": "running", "base_commit": null, "entries": [{"kind": "file", "path": "src/code.ts", "existed": false, "original_sha256": null, "backup_path": null, "written": [null]}]}');
    const recovery = recoverInterruptedCycle(workspace);
    await expect(recovery).rejects.toBeInstanceOf(JournalError);
    await expect(recovery).rejects.toThrow(/cycle\.json: entries\.0: .*src\/code\.ts.*delete/);
    expect(await readFile(join(workspace, 'src', 'code.ts'), 'utf8')).toBe('export const human = 1;\n');
  });
});

/** What kill -9 inside writeFileAtomic leaves: a temp file beside each journaled target, and a half journal. */
async function leaveHalfWrittenTempFiles(journal: CycleJournal): Promise<void> {
  for (const entry of journal.entries) {
    if (entry.kind !== 'file') continue;
    const target = join(workspace, entry.path);
    await mkdir(dirname(target), { recursive: true }).catch(() => undefined);
    const parentExists = await stat(dirname(target)).then(() => true, () => false);
    if (parentExists) await writeFile(join(dirname(target), atomicWriteTempName(entry.path.split('/').pop()!)), 'half');
  }
  await writeFile(join(workspace, '.lab', atomicWriteTempName('cycle.json')), '{"version": 1, "cycle_');
}
