// ReportData from workspace inputs, as plain data: trailers (cost, tokens), classes the core does not know
// yet (MIXED), the time window, claim states from front matter, failures grouped by reason, lineage edges.
import { describe, expect, it } from 'vitest';
import { parseSince } from '../commands/report.js';
import { buildFixtureResults } from '../findings/test-helpers/fixture.js';
import type { CycleCommit } from '../io/git.js';
import { buildReportData } from './report-data.js';
import type { ReportInputs } from './read-workspace.js';

const now = new Date('2026-11-23T08:00:00Z');

function commit(hours: number, trailers: Record<string, string>, message = ''): CycleCommit {
  return {
    commit: `c${hours}`.padEnd(40, '0'),
    authorName: 'a',
    authorEmail: 'a@x',
    date: new Date(now.getTime() - hours * 3_600_000).toISOString(),
    subject: message.split('\n')[0] ?? '',
    message,
    trailers,
  };
}

function inputs(): ReportInputs {
  const fixture = buildFixtureResults();
  const mixed = { ...buildFixtureResults(), id: 'exp-mixed', summary: { ...fixture.summary, class: 'MIXED' as never } };
  return {
    workspace: '/w',
    commits: [
      commit(
        1,
        { Class: 'INVALID', Finding: 'findings/invalid-20261123t070000.md', Planner: 'claude', 'Cost-USD': '0.0100', Tokens: '1000 in, 200 out' },
        'INVALID invalid-20261123t070000: planner answered nonsense\n\nThe cycle failed.\n\nReason:\nthe spec failed validation: arms.0.name "x" is used twice\n\nClass: INVALID',
      ),
      commit(
        2,
        { Class: 'MIXED', Experiment: 'experiments/exp-mixed.md', Planner: 'claude', 'Cost-USD': '0.0250', Tokens: '3000 in, 500 out' },
        'MIXED exp-mixed: ...',
      ),
      commit(3, { Class: 'WIN', Experiment: 'experiments/exp-egd-vs-sgd.md', Planner: 'builtin' }, 'WIN exp-egd-vs-sgd: egd wins'),
      commit(40, { Class: 'BASELINE', Experiment: 'experiments/old.md' }, 'BASELINE old: long ago'),
      commit(0.5, {}, 'A human commit without trailers'),
    ],
    results: [fixture, mixed],
    findings: [
      { id: 'exp-egd-vs-sgd', path: 'findings/exp-egd-vs-sgd.md', data: { class: 'WIN' } },
      { id: 'exp-mixed', path: 'findings/exp-mixed.md', data: { class: 'MIXED', status: 'contested' } },
    ],
    specs: [{ id: 'next-one', path: 'experiments/next-one.md', data: { motivated_by: 'findings/exp-egd-vs-sgd.md' } }],
    discoveriesText:
      '# Discoveries\n\n## Optimizers\n\n- EGD solves in half the epochs ([finding](findings/exp-egd-vs-sgd.md))\n- EGD is mixed on wall time ([finding](findings/exp-mixed.md))\n',
    problems: [],
  };
}

describe('the report data', () => {
  it("counts the window's cycles by class, new classes included, and sums Claude dollars and tokens from the trailers", () => {
    const data = buildReportData(inputs(), { now, window: parseSince('24h', now) });
    expect(data.experiments.map((experiment) => [experiment.id, experiment.class])).toEqual([
      ['exp-egd-vs-sgd', 'WIN'],
      ['exp-mixed', 'MIXED'],
      ['invalid-20261123t070000', 'INVALID'],
    ]);
    expect(data.summary.cycles_by_class).toEqual({ WIN: 1, MIXED: 1, INVALID: 1 });
    expect(data.summary.cost_usd).toBeCloseTo(0.035, 10);
    expect([data.summary.tokens_in, data.summary.tokens_out]).toEqual([4000, 700]);
    const span = 2 + buildFixtureResults().provenance.wall_ms / 3_600_000;
    expect(data.summary.span_hours).toBeCloseTo(span, 9);
    expect(data.summary.experiments_per_hour).toBeCloseTo(3 / span, 9);
  });

  it('keeps every cycle with "all" and none before a start date', () => {
    expect(buildReportData(inputs(), { now, window: parseSince('all', now) }).summary.cycles).toBe(4);
    expect(buildReportData(inputs(), { now, window: parseSince('2026-11-24', now) }).summary.cycles).toBe(0);
    expect(() => parseSince('yesterday', now)).toThrow(/--since "yesterday": use a duration \(24h, 90m, 7d\)/);
  });

  it('reads claim states from the finding: confirmed by its class, contested by its front matter', () => {
    const claims = buildReportData(inputs(), { now, window: parseSince('24h', now) }).claims;
    expect(claims.map((claim) => [claim.finding_id, claim.status, claim.seeds])).toEqual([
      ['exp-egd-vs-sgd', 'confirmed', 5],
      ['exp-mixed', 'contested', 5],
    ]);
    expect(claims[0]).toMatchObject({
      arm: 'egd',
      ratio: 0.525,
      p_value: 0.007936507936507936,
      conditions: 'parity n=20 k=3, hidden 200, lr 0.1, wd 0.01, batch 32',
    });
  });

  it('groups a failed cycle by its reason and links a queued spec to the finding that motivated it', () => {
    const data = buildReportData(inputs(), { now, window: parseSince('24h', now) });
    const invalid = data.failures.find((group) => group.reason.startsWith('cycle failed'))!;
    expect(invalid.reason).toBe('cycle failed: the spec failed validation: arms.N.name "…" is used twice');
    expect(invalid.items).toEqual([
      { experiment_id: 'invalid-20261123t070000', arm: null, seed: null, detail: 'the spec failed validation: arms.0.name "x" is used twice' },
    ]);
    expect(data.failures.find((group) => group.reason === 'run diverged')?.items.map((item) => item.seed)).toEqual([45, 45]);
    expect(data.lineage).toEqual([{ from: 'exp-egd-vs-sgd', to: 'next-one', to_class: 'QUEUED', queued: true }]);
  });
});
