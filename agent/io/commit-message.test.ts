import { describe, expect, it } from 'vitest';
import { commitSubject, formatCommitMessage, parseTrailers } from './commit-message.js';

describe('formatCommitMessage', () => {
  it('puts subject, body and trailers in separate paragraphs', () => {
    const message = formatCommitMessage({
      subject: 'exp-egd: WIN, EGD solves 20-bit parity 3x faster',
      body: 'Ran 3 arms x 5 seeds.\n\nEGD beat SGD on every seed.',
      trailers: { Experiment: 'exp-egd', Finding: 'findings/exp-egd.md', Class: 'WIN' },
    });
    expect(message).toBe(
      'exp-egd: WIN, EGD solves 20-bit parity 3x faster\n\nRan 3 arms x 5 seeds.\n\nEGD beat SGD on every seed.\n\n' +
        'Experiment: exp-egd\nFinding: findings/exp-egd.md\nClass: WIN',
    );
  });

  it('folds a multi-line subject or trailer value onto one line', () => {
    expect(formatCommitMessage({ subject: 'two\nlines ', trailers: { Note: 'a\nb' } })).toBe('two lines\n\nNote: a b');
  });

  it('rejects a trailer key git could not parse, naming it', () => {
    expect(() => formatCommitMessage({ subject: 's', trailers: { 'Bad Key': 'v' } })).toThrow('"Bad Key"');
  });
});

describe('parseTrailers', () => {
  it('round-trips the trailers formatCommitMessage writes', () => {
    const trailers = { Experiment: 'exp-1', Finding: 'findings/exp-1.md', 'Cycle-Id': '2025-03-01T02:00:00Z', Url: 'http://x: y' };
    expect(parseTrailers(formatCommitMessage({ subject: 's', body: 'b', trailers }))).toEqual(trailers);
  });

  it('finds no trailers in a message whose last paragraph is prose, or that is only a subject', () => {
    expect(parseTrailers('fix: typo')).toEqual({});
    expect(parseTrailers('subject\n\nsome prose: with a colon\nand more prose')).toEqual({});
  });

  it('joins the values of a repeated key and continuation lines', () => {
    expect(parseTrailers('s\n\nCo-authored-by: A\nCo-authored-by: B\nNote: one\n  two')).toEqual({ 'Co-authored-by': 'A, B', Note: 'one two' });
  });

  it('reads the subject line', () => {
    expect(commitSubject('\nsubject\n\nbody')).toBe('subject');
  });
});
