import { describe, expect, it } from 'vitest';
import { isValidId, slugify, uniqueId } from './ids.js';

describe('slugify', () => {
  it('lowercases, folds accents and joins words with single dashes', () => {
    expect(slugify('Try EGD at n=30!')).toBe('try-egd-at-n-30');
    expect(slugify('  Étude: wd ∈ {0.01, 0.1}  ')).toBe('etude-wd-0-01-0-1');
    expect(slugify('--Already-a-slug--')).toBe('already-a-slug');
  });

  it('cuts a long text at a word boundary within the limit', () => {
    const slug = slugify('Weight decay sweep at lr 0.1 over five values to shorten the grokking plateau');
    expect(slug).toBe('weight-decay-sweep-at-lr-0-1-over-five-values-to');
    expect(slug.length).toBeLessThanOrEqual(48);
    expect(slugify('abcdefghij', { maxLength: 4 })).toBe('abcd');
  });

  it('falls back when nothing is left, and always gives a valid id', () => {
    expect(slugify('🚀 ✨')).toBe('item');
    expect(slugify('', { fallback: 'spec' })).toBe('spec');
    for (const text of ['A_B', 'ÿ', '-', '9 lives', 'x'.repeat(200)]) expect(isValidId(slugify(text))).toBe(true);
  });
});

describe('uniqueId', () => {
  it('returns the base when free, else the first free numbered variant, without changing the set', () => {
    const taken = new Set(['egd', 'egd-2', 'egd-4']);
    expect(uniqueId('sign', taken)).toBe('sign');
    expect(uniqueId('egd', taken)).toBe('egd-3');
    expect([...taken]).toEqual(['egd', 'egd-2', 'egd-4']);
  });
});
