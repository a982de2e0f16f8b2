// The reproduction table rendered from real results files copied into a temp workspace.
import { afterAll, describe, expect, it } from 'vitest';
import { parseReproduction } from './reproduction-file.js';
import { judgeFigure, ratioOf } from './reproduction-judge.js';
import { refreshReproductionTable, renderReproductionReadme, TABLE_END, TABLE_START } from './reproduction-readme.js';
import { declarationRow as row, removeReproductionWorkspaces, workspaceWith, writeWorkspaceFile as write } from './test-helpers/reproduction-workspace.js';

afterAll(removeReproductionWorkspaces);

async function cellsOf(dir: string): Promise<string[][]> {
  const readme = await renderReproductionReadme(dir);
  return readme!.rows.map((rendered) => rendered.cells);
}

describe('the reproduction table', () => {
  it("computes one arm's means and ratios against the published figures of the EGD write-up", async () => {
    const dir = workspaceWith(
      ['egd-vs-sgd'],
      'rows:\n' +
        row('SGD', '{ text: "90% at 33", solved: 5/5, epoch_90: 33, solve_epoch: 20 }', '{ experiment: egd-vs-sgd, arm: sgd }') +
        row(
          'EGD/SGD',
          '{ text: "2.6x fewer", ratio: { epoch_90: 0.389, time_to_solve_ms: { low: 1.13 } } }',
          '{ experiment: egd-vs-sgd, arm: egd, against: sgd, label: EGD/SGD }',
        ),
    );
    const [sgd, ratio] = await cellsOf(dir);
    expect(sgd![3]).toBe('5/5 solved; mean best acc 100%; 90% at 35.2; solve 39.2; time to solve 2,051 ms');
    expect(sgd![4]).toBe('solved: same, 90% 35.2 vs 33, 1.07x (same), solve 39.2 vs 20, 1.96x (differs)');
    expect(sgd![5]).toBe('[egd-vs-sgd](egd-vs-sgd.md)');
    expect(ratio![3]).toBe('EGD/SGD: 90% 14.4 vs 35.2, 0.41x; solve 19.2 vs 39.2, 0.49x; solved 5/5 vs 5/5; time to solve 0.57x');
    expect(ratio![4]).toBe('90% 0.41x vs 0.39x, 1.05x (same), time to solve 0.57x vs > 1.13x (differs)');
  });

  it('says "not run yet" for an experiment without results and links its spec', async () => {
    const dir = workspaceWith([], 'rows:\n' + row('later', '{ text: "5/5", solved: 5/5 }', '{ experiment: egd-k5, arm: egd }') + '    note: queued\n');
    const readme = await renderReproductionReadme(dir);
    expect(readme!.rows[0]!.cells.slice(3)).toEqual(['not run yet', 'queued', '[spec](../experiments/egd-k5.md)']);
    expect(readme!.text).toContain(
      '1 rows: 0 the same as (or consistent with) every published figure they compare, 0 differing on at least one, 0 with no published figure to compare, 1 not run yet.',
    );
  });

  it('bounds the ratio of an arm censored at max_epochs and compares memory medians as signed changes', async () => {
    const dir = workspaceWith(
      ['weight-decay-sweep', 'update-order-ard'],
      'rows:\n' +
        row('wd', '{ text: faster, ratio: { solve_epoch: { high: 1 } } }', '{ experiment: weight-decay-sweep, arm: wd=0.1, against: wd=0.01 }') +
        row('fused', '{ text: ~4% lower ARD, change: { ard: -0.04 } }', '{ experiment: update-order-ard, arm: fused, against: standard }'),
    );
    const [wd, fused] = await cellsOf(dir);
    expect(wd![3]).toBe('wd=0.1/wd=0.01: 90% > 200 vs 35.2, > 5.68x; solve > 200 vs 39.2, > 5.10x; solved 0/5 vs 5/5');
    expect(wd![4]).toBe('solve > 5.10x vs < 1.00x (differs)');
    expect(fused![3]).toBe('fused vs standard, medians: ard +0.9%, weighted_ard 0%, dmd -1.2%, energy_pj 0%');
    expect(fused![4]).toBe('ARD +0.9% vs -4% (differs, opposite direction)');
  });

  it('replaces only the marked section of findings/README.md and keeps the text around it', async () => {
    const dir = workspaceWith(['egd-vs-sgd'], 'rows:\n' + row('SGD', '{ text: "5/5", solved: 5/5 }', '{ experiment: egd-vs-sgd, arm: sgd }'));
    write(dir, 'findings/README.md', `# Findings\n\nBefore.\n\n${TABLE_START}\nold table\n${TABLE_END}\n\nAfter.\n`);
    const readme = await renderReproductionReadme(dir);
    expect(readme!.text).toMatch(/^# Findings\n\nBefore\.\n\n<!-- reproduction table[^\n]*\n1 rows: 1 the same/);
    expect(readme!.text).not.toContain('old table');
    expect(readme!.text.endsWith(`${TABLE_END}\n\nAfter.\n`)).toBe(true);
  });

  it('refreshes the table through the writer it is given after a cycle, and only logs a bad declaration', async () => {
    const dir = workspaceWith(['egd-vs-sgd'], 'rows:\n' + row('SGD', '{ text: "5/5", solved: 5/5 }', '{ experiment: egd-vs-sgd, arm: sgd }'));
    const written: string[] = [];
    const logged: string[] = [];
    await refreshReproductionTable(
      dir,
      async (path) => void written.push(path),
      (line) => logged.push(line),
    );
    expect(written).toEqual(['findings/README.md']);
    write(dir, 'findings/reproduction.yaml', 'rows:\n' + row('SGD', '{ text: "5/5" }', '{ experiment: egd-vs-sgd, arm: sgdd }'));
    await refreshReproductionTable(
      dir,
      async (path) => void written.push(path),
      (line) => logged.push(line),
    );
    expect(written).toHaveLength(1);
    expect(logged).toEqual([
      expect.stringContaining('row 0 (setting "SGD"): field ours.arm: "sgdd" is not an arm of results/egd-vs-sgd/results.json (its arms: sgd, egd)'),
    ]);
  });
});

describe('a bad declaration', () => {
  it('names the file, the row by index and setting, the field and the value', () => {
    const text =
      'rows:\n' +
      row('SGD', '{ text: "5/5" }', '{ experiment: egd-vs-sgd, arm: sgd }') +
      row('EGD lr 0.05', '{ text: "x", epoch_90: "27" }', '{ experiment: egd-lr-sweep, arm: egd }');
    expect(() => parseReproduction(text)).toThrow(
      /findings\/reproduction\.yaml: invalid reproduction table\n {2}- row 1 \(setting "EGD lr 0\.05"\): field published\.epoch_90 \(got "27"\)/,
    );
  });

  it('refuses a row that names two kinds of ours, or against without arm', () => {
    const text =
      'rows:\n' +
      row('both', '{ text: "x" }', '{ experiment: e, arm: a, figure: f.svg }') +
      row('against', '{ text: "x" }', '{ experiment: e, against: b, fastest: [a] }');
    expect(() => parseReproduction(text)).toThrow(
      /row 0 \(setting "both"\): field ours \(got [^\n]*\): give exactly one of arm[\s\S]*row 1 \(setting "against"\): field ours\.against \(got "b"\): against needs arm/,
    );
  });

  it('refuses a count that is not "4/5", "all" or "none"', () => {
    expect(() => parseReproduction('rows:\n' + row('c', '{ text: "x", solved: five }', '{ experiment: e, arm: a }'))).toThrow(
      /field published\.solved \(got "five"\): write a count as "4\/5"/,
    );
  });
});

describe('ours against a published figure', () => {
  const show = (value: number) => String(value);
  it('is the same within 25% of a value, and differs beyond', () => {
    expect(judgeFigure('x', { value: 12.4, bound: null }, 10, show).status).toBe('same');
    expect(judgeFigure('x', { value: 12.6, bound: null }, 10, show).status).toBe('differs');
  });

  it('is consistent inside a range and when a bound of ours allows the published value', () => {
    expect(judgeFigure('x', { value: 0.3, bound: null }, { low: 0.1, high: 0.5 }, show).status).toBe('consistent');
    expect(judgeFigure('x', { value: 0.6, bound: null }, { low: 0.1, high: 0.5 }, show).status).toBe('differs');
    expect(ratioOf({ value: 21, bound: null }, { value: 300, bound: '>' })).toEqual({ value: 0.07, bound: '<' });
    expect(judgeFigure('x', { value: 0.07, bound: '<' }, 0.0685, show).status).toBe('consistent');
    expect(judgeFigure('x', { value: 0.07, bound: '<' }, 0.2, show).status).toBe('differs');
  });

  it('needs the same sign for a change, and says which direction differs', () => {
    expect(judgeFigure('ARD', { value: -0.08, bound: null }, -0.09, show, 'change').text).toBe('ARD -0.08 vs -0.09 (same)');
    expect(judgeFigure('ARD', { value: 0.05, bound: null }, -0.04, show, 'change').text).toBe('ARD 0.05 vs -0.04 (differs, opposite direction)');
  });
});
