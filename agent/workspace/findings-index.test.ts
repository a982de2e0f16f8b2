import { describe, expect, it } from 'vitest';
import { withFrontMatter, type FindingFrontMatter } from '../findings/front-matter.js';
import { buildFindingsIndex, FindingFrontMatterError, parseFindingFrontMatter } from './findings-index.js';

const egdFinding = [
  '---',
  'id: egd-vs-sgd',
  'date: 2026-03-16',
  'class: WIN',
  'question: Does EGD reach 90% in fewer epochs than SGD?',
  'primary_metric: epoch_90',
  'headline: "EGD: 14 vs 33 epochs to 90% (0.42x, p = 0.008) | 5/5 solved"',
  'results: results/egd-vs-sgd/results.json',
  'results_hash: 3f2a',
  'best_arm: egd',
  'arms:',
  '  sgd: { solved: 5/5, solve_rate: 1, median_epoch_90: 33 }',
  '  egd: { solved: 5/5, solve_rate: 1, median_epoch_90: 14, p_value: 0.008 }',
  '---',
  '',
  '# EGD vs SGD',
  '',
].join('\n');

function finding(id: string, date: string, cls = 'LOSS'): { path: string; text: string } {
  return { path: `findings/${id}.md`, text: `---\nid: ${id}\ndate: '${date}'\nclass: ${cls}\nquestion: Q ${id}?\nheadline: h ${id}\n---\nbody\n` };
}

describe('parseFindingFrontMatter', () => {
  it('reads the summary the planner sees, with the date as a string even when YAML reads it as a date', () => {
    expect(parseFindingFrontMatter(egdFinding, 'findings/egd-vs-sgd.md')).toEqual({
      id: 'egd-vs-sgd',
      date: '2026-03-16',
      class: 'WIN',
      question: 'Does EGD reach 90% in fewer epochs than SGD?',
      primary_metric: 'epoch_90',
      headline: 'EGD: 14 vs 33 epochs to 90% (0.42x, p = 0.008) | 5/5 solved',
      path: 'findings/egd-vs-sgd.md',
      results_path: 'results/egd-vs-sgd/results.json',
      arms: { sgd: { solved: '5/5', solve_rate: 1, median_epoch_90: 33 }, egd: { solved: '5/5', solve_rate: 1, median_epoch_90: 14, p_value: 0.008 } },
      best_arm: 'egd',
    });
  });

  it('reads what the findings renderer writes, including an INVALID finding with null fields', () => {
    const frontMatter: FindingFrontMatter = {
      id: 'crashed-run',
      title: null,
      date: '2026-03-17',
      class: 'INVALID',
      question: 'What went wrong?',
      primary_metric: null,
      direction: null,
      headline: 'INVALID: every run crashed',
      best_arm: null,
      results: null,
      results_hash: null,
      arms: {},
    };
    expect(parseFindingFrontMatter(withFrontMatter('# Crashed\n', frontMatter), 'findings/crashed-run.md')).toMatchObject({
      id: 'crashed-run',
      date: '2026-03-17',
      class: 'INVALID',
      primary_metric: '',
      results_path: '',
      best_arm: null,
      arms: {},
    });
  });

  it('names the file, the field, the value and the fix for a bad class', () => {
    const text = egdFinding.replace('class: WIN', 'class: MAYBE');
    expect(() => parseFindingFrontMatter(text, 'findings/egd-vs-sgd.md')).toThrow(FindingFrontMatterError);
    expect(() => parseFindingFrontMatter(text, 'findings/egd-vs-sgd.md')).toThrow(
      /^findings\/egd-vs-sgd\.md: front matter field "class": .*"WIN".*\(got "MAYBE"\)$/,
    );
  });

  it('rejects a missing question, a bad date, an id that is not the file name, and a file without front matter', () => {
    expect(() => parseFindingFrontMatter(egdFinding.replace(/question: .*\n/, ''), 'findings/egd-vs-sgd.md')).toThrow(
      'findings/egd-vs-sgd.md: front matter field "question"',
    );
    expect(() => parseFindingFrontMatter(egdFinding.replace('date: 2026-03-16', 'date: March 16'), 'findings/egd-vs-sgd.md')).toThrow(
      'findings/egd-vs-sgd.md: front matter field "date": expected a date YYYY-MM-DD, e.g. 2026-03-16 (got "March 16")',
    );
    expect(() => parseFindingFrontMatter(egdFinding, 'findings/egd.md')).toThrow(
      'findings/egd.md: front matter field "id": "egd-vs-sgd" does not match the file name; rename the file to findings/egd-vs-sgd.md or set id: egd',
    );
    expect(() => parseFindingFrontMatter('# Just prose\n', 'findings/notes.md')).toThrow('findings/notes.md: front matter is missing');
  });
});

describe('buildFindingsIndex', () => {
  it('sorts by date then id, skips README.md, and reports a broken file instead of failing', () => {
    const broken = { path: 'findings/broken.md', text: '---\nid: broken\ndate: 2026-03-01\nclass: WIN\nquestion: [unclosed\n---\n' };
    const index = buildFindingsIndex([
      finding('zeta', '2026-03-02'),
      { path: 'findings/README.md', text: '# Findings\n' },
      broken,
      finding('alpha', '2026-03-02', 'WIN'),
      { path: 'findings/egd-vs-sgd.md', text: egdFinding },
      finding('early', '2026-01-30', 'BASELINE'),
    ]);
    expect(index.findings.map((summary) => summary.id)).toEqual(['early', 'alpha', 'zeta', 'egd-vs-sgd']);
    expect(index.problems).toHaveLength(1);
    expect(index.problems[0]).toMatch(/^findings\/broken\.md: front matter is not valid YAML/);
  });

  it('reports a second file with the same id', () => {
    const index = buildFindingsIndex([finding('alpha', '2026-03-02'), { path: 'findings/archive/alpha.md', text: finding('alpha', '2026-03-03').text }]);
    expect(index.findings).toHaveLength(1);
    expect(index.problems).toEqual([
      'findings/archive/alpha.md: front matter field "id": "alpha" is already used by findings/alpha.md; give one of them a new id',
    ]);
  });
});
