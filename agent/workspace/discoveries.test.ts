import { describe, expect, it } from 'vitest';
import { appendDiscoveries, markContested, newDiscoveriesFile, parseDiscoveries } from './discoveries.js';

const humanDiscoveries = [
  '# Discoveries',
  '',
  '## Optimizers',
  '',
  '- EGD reaches 90% in 14 epochs vs 33 for SGD ([finding](findings/egd-vs-sgd.md))',
  '* Sign SGD is 2x faster at k=5 (findings/sign-sgd.md)',
  '  measured on seeds 42-46 only',
  '',
  'Note to self: re-check GrokFast with tuned lr.',
  '',
  '## Memory',
  '',
  '```',
  '- not a fact, an example',
  '```',
  '- Per-layer order lowers ARD by ~9% [per-layer](findings/update-order-ard.md)',
  '- A fact nobody cited yet',
].join('\r\n');

/** Every line of `before` appears in `after`, in the same order. */
function keepsEveryLine(before: string, after: string): boolean {
  const afterLines = after.split(/\r\n|\n|\r/);
  let position = 0;
  for (const line of before.split(/\r\n|\n|\r/)) {
    const found = afterLines.indexOf(line, position);
    if (found < 0) return false;
    position = found + 1;
  }
  return true;
}

describe('parseDiscoveries', () => {
  it('reads each fact with its topic, citation and line, skipping code fences', () => {
    expect(parseDiscoveries(humanDiscoveries)).toEqual([
      { topic: 'Optimizers', text: 'EGD reaches 90% in 14 epochs vs 33 for SGD', finding_id: 'egd-vs-sgd', status: null, line: 5 },
      { topic: 'Optimizers', text: 'Sign SGD is 2x faster at k=5', finding_id: 'sign-sgd', status: null, line: 6 },
      { topic: 'Memory', text: 'Per-layer order lowers ARD by ~9%', finding_id: 'update-order-ard', status: null, line: 16 },
      { topic: 'Memory', text: 'A fact nobody cited yet', finding_id: null, status: null, line: 17 },
    ]);
  });
});

describe('appendDiscoveries', () => {
  it('adds a fact after the last fact of its topic (and its continuation line), changing no other line', () => {
    const after = appendDiscoveries(humanDiscoveries, [{ topic: 'Optimizers', text: 'GrokFast hurts at lr 0.1', finding_id: 'grokfast' }]);
    expect(after.split('\r\n').slice(4, 9)).toEqual([
      '- EGD reaches 90% in 14 epochs vs 33 for SGD ([finding](findings/egd-vs-sgd.md))',
      '* Sign SGD is 2x faster at k=5 (findings/sign-sgd.md)',
      '  measured on seeds 42-46 only',
      '- GrokFast hurts at lr 0.1 ([finding](findings/grokfast.md))',
      '',
    ]);
    expect(keepsEveryLine(humanDiscoveries, after)).toBe(true);
    expect(after.split('\r\n')).toHaveLength(humanDiscoveries.split('\r\n').length + 1);
  });

  it('creates a missing topic heading at the end, keeping the missing final newline', () => {
    const after = appendDiscoveries(humanDiscoveries, [{ topic: 'Losses', text: 'Logistic loss solves 5/5', finding_id: 'logistic-loss' }]);
    expect(after).toBe(`${humanDiscoveries}\r\n\r\n## Losses\r\n\r\n- Logistic loss solves 5/5 ([finding](findings/logistic-loss.md))`);
  });

  it('matches the topic heading without regard to case, and finds it past a code fence', () => {
    const after = appendDiscoveries(humanDiscoveries, [{ topic: 'memory', text: 'Fused order lowers ARD by ~4%', finding_id: 'update-order-ard' }]);
    expect(after.endsWith('- A fact nobody cited yet\r\n- Fused order lowers ARD by ~4% ([finding](findings/update-order-ard.md))')).toBe(true);
  });

  it('skips a fact that is already there, in any topic, and a repeat within the batch', () => {
    const after = appendDiscoveries(humanDiscoveries, [
      { topic: 'Elsewhere', text: 'EGD reaches 90% in 14  epochs vs 33 for SGD', finding_id: 'again' },
      { topic: 'Losses', text: 'Hinge saturates', finding_id: 'logistic-loss' },
      { topic: 'Losses', text: 'Hinge saturates', finding_id: 'logistic-loss' },
    ]);
    expect(parseDiscoveries(after).map((fact) => fact.text)).toEqual([
      'EGD reaches 90% in 14 epochs vs 33 for SGD',
      'Sign SGD is 2x faster at k=5',
      'Per-layer order lowers ARD by ~9%',
      'A fact nobody cited yet',
      'Hinge saturates',
    ]);
  });

  it('never loses a line over many appends to many topics', () => {
    let text = humanDiscoveries;
    for (let cycle = 0; cycle < 12; cycle++) {
      const before = text;
      text = appendDiscoveries(text, [
        { topic: ['Optimizers', 'Memory', `Topic ${cycle % 3}`][cycle % 3]!, text: `fact number ${cycle}`, finding_id: `exp-${cycle}` },
      ]);
      expect(keepsEveryLine(before, text)).toBe(true);
    }
    expect(parseDiscoveries(text)).toHaveLength(4 + 12);
  });

  it('puts a topic’s first fact after its prose, with a blank line between', () => {
    const text = '# Discoveries\n\n## Losses\n\nHinge vs logistic, notes.\n\n## Other\n';
    expect(appendDiscoveries(text, [{ topic: 'Losses', text: 'fact', finding_id: 'f' }])).toBe(
      '# Discoveries\n\n## Losses\n\nHinge vs logistic, notes.\n\n- fact ([finding](findings/f.md))\n\n## Other\n',
    );
  });

  it('starts from the new-file template when the file is empty', () => {
    expect(appendDiscoveries('', [{ topic: 'Optimizers', text: 'fact', finding_id: 'f' }])).toBe(
      `${newDiscoveriesFile()}\n## Optimizers\n\n- fact ([finding](findings/f.md))\n`,
    );
  });

  it('refuses to append below a code fence that never closes, naming the file and line', () => {
    expect(() => appendDiscoveries('# Discoveries\n\n```\nsample\n', [{ topic: 'A', text: 'fact', finding_id: 'f' }], 'work/DISCOVERIES.md')).toThrow(
      'work/DISCOVERIES.md:3: this code fence is never closed, so new facts would land inside it; close it (``` on its own line)',
    );
  });

  it('refuses a finding id that is not one', () => {
    expect(() => appendDiscoveries(humanDiscoveries, [{ topic: 'A', text: 'fact', finding_id: 'Bad Id' }])).toThrow(/cannot cite finding id "Bad Id"/);
  });
});

describe('confirmed and contested discoveries', () => {
  const text = [
    '# Discoveries',
    '',
    '## Optimizers',
    '',
    '- egd helps (10 seeds; confirmed on seeds 47-56) ([finding](findings/confirm-egd.md))',
    '- sign-sgd (WIN in s) did not hold on seeds 47-56: no effect ([finding](findings/confirm-s.md))',
    '- A human fact about findings/confirm-egd.md, written by hand',
    '```',
    '- egd in a fence ([finding](findings/confirm-egd.md))',
    '```',
    '',
  ].join('\r\n');

  it('reads whether each line held on fresh seeds', () => {
    expect(parseDiscoveries(text).map((fact) => fact.status)).toEqual(['confirmed', 'did not hold', null]);
  });

  it('marks only the agent lines citing the contradicted finding, once, and keeps every other byte', () => {
    const marked = markContested(text, [{ finding_id: 'confirm-egd', by: 'confirm-egd-30' }]);
    expect(marked).toBe(text.replace('47-56) ([finding]', '47-56) [contested by confirm-egd-30] ([finding]'));
    expect(parseDiscoveries(marked)[0]).toMatchObject({ status: 'contested', finding_id: 'confirm-egd' });
    expect(markContested(marked, [{ finding_id: 'confirm-egd', by: 'confirm-egd-30' }])).toBe(marked);
  });

  it('puts a confirmation in place of its own unconfirmed line of the same change and finding, and appends it otherwise', () => {
    const unconfirmed =
      '- optimizer=egd helps against sgd: solve_epoch 20 vs 38 (5 seeds; optimizer=egd; not yet confirmed on fresh seeds) ([finding](findings/egd-vs-sgd.md))';
    const other = '- optimizer=egd-x helps against sgd: solve_epoch 9 vs 38 (5 seeds; not yet confirmed on fresh seeds) ([finding](findings/egd-vs-sgd.md))';
    const before = ['# Discoveries', '', '## Optimizers', '', unconfirmed, other, '- a human line ([finding](findings/egd-vs-sgd.md))', ''].join('\n');
    const held = { topic: 'Optimizers', text: 'optimizer=egd helps against sgd: solve_epoch 21 vs 37 (10 seeds; confirmed on seeds 47-56)' };
    const replaces = { finding_id: 'egd-vs-sgd', change: 'optimizer=egd' };
    const after = appendDiscoveries(before, [{ ...held, finding_id: 'confirm-egd-vs-sgd', replaces }]);
    expect(after).toBe(before.replace(unconfirmed, `- ${held.text} ([finding](findings/confirm-egd-vs-sgd.md))`));
    // Another finding's line is not this confirmation's to settle: the fact is appended, every line kept.
    const elsewhere = appendDiscoveries(before, [{ ...held, finding_id: 'confirm-egd-vs-sgd', replaces: { ...replaces, finding_id: 'egd-k5' } }]);
    expect(elsewhere.split('\n')).toEqual([...before.trimEnd().split('\n'), `- ${held.text} ([finding](findings/confirm-egd-vs-sgd.md))`, '']);
  });
});
