import { describe, expect, it } from 'vitest';
import { slugify, uniqueId } from './ids.js';
import { addItem, appendFollowUps, checkOff, ensureIds, openItems, parseTodo, renderTodo, todoIds } from './todo.js';

const humanTodo = [
  '# TODO',
  '',
  'Ideas for the week. Ask Yaroslav before the forward-forward one.',
  '',
  '## Optimizers',
  '',
  '- [x] Sign SGD vs SGD → [finding](findings/sign-sgd.md) WIN <!-- id: sign-sgd -->',
  '- [ ] Try EGD at n=30 (spec: experiments/egd-n30.md)   ',
  '- [ ] GrokFast with λ=5 <!-- id: grokfast-5 -->',
  '  - [ ] and with α = 0.9',
  '',
  '```',
  '- [ ] example, not an item',
  '```',
  '',
  '## Energy',
  '* [ ] Per-layer order lowers ARD',
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

describe('openItems', () => {
  it('lists open items top first, with the parent text in front of a nested one', () => {
    expect(openItems(parseTodo(humanTodo))).toEqual([
      { id: 'egd-n30', text: 'Try EGD at n=30 (spec: experiments/egd-n30.md)', section: 'Optimizers', spec_path: 'experiments/egd-n30.md', motivated_by: null },
      { id: 'grokfast-5', text: 'GrokFast with λ=5', section: 'Optimizers', spec_path: null, motivated_by: null },
      { id: 'and-with-0-9', text: 'GrokFast with λ=5 › and with α = 0.9', section: 'Optimizers', spec_path: null, motivated_by: null },
      { id: 'per-layer-order-lowers-ard', text: 'Per-layer order lowers ARD', section: 'Energy', spec_path: null, motivated_by: null },
    ]);
  });
});

describe('ensureIds', () => {
  it('adds an id comment to each item without one and changes nothing else', () => {
    const after = renderTodo(ensureIds(parseTodo(humanTodo)));
    expect(after.split('\r\n')).toEqual(
      humanTodo
        .split('\r\n')
        .map((line) =>
          line === '- [ ] Try EGD at n=30 (spec: experiments/egd-n30.md)   '
            ? '- [ ] Try EGD at n=30 (spec: experiments/egd-n30.md) <!-- id: egd-n30 -->   '
            : line === '  - [ ] and with α = 0.9'
              ? '  - [ ] and with α = 0.9 <!-- id: and-with-0-9 -->'
              : line === '* [ ] Per-layer order lowers ARD'
                ? '* [ ] Per-layer order lowers ARD <!-- id: per-layer-order-lowers-ard -->'
                : line,
        ),
    );
  });

  it('keeps the ids the parser derived, so a queue read before and after agrees', () => {
    const doc = parseTodo(humanTodo);
    expect(openItems(ensureIds(doc))).toEqual(openItems(doc));
    expect(ensureIds(doc).items.every((item) => item.has_id_comment)).toBe(true);
  });
});

describe('checkOff', () => {
  it('checks the item, links its finding and class, and keeps the id comment and the rest of the file', () => {
    const doc = checkOff(parseTodo(humanTodo), 'grokfast-5', { findingPath: 'findings/grokfast-5.md', cls: 'LOSS', note: '1.3x more epochs' });
    const text = renderTodo(doc);
    expect(text.split('\r\n')[8]).toBe('- [x] GrokFast with λ=5 → [finding](findings/grokfast-5.md) LOSS — 1.3x more epochs <!-- id: grokfast-5 -->');
    expect(text.split('\r\n')).toHaveLength(humanTodo.split('\r\n').length);
    expect(doc.items.find((item) => item.id === 'grokfast-5')).toMatchObject({
      checked: true,
      finding_path: 'findings/grokfast-5.md',
      result_class: 'LOSS',
      hypothesis: 'GrokFast with λ=5',
    });
  });

  it('writes the derived id when checking off an item that had none, keeping trailing whitespace', () => {
    const text = renderTodo(checkOff(parseTodo(humanTodo), 'egd-n30', { findingPath: 'findings/egd-n30.md', cls: 'WIN' }));
    expect(text.split('\r\n')[7]).toBe('- [x] Try EGD at n=30 (spec: experiments/egd-n30.md) → [finding](findings/egd-n30.md) WIN <!-- id: egd-n30 -->   ');
  });

  it('refuses an unknown id, naming the open ones', () => {
    expect(() => checkOff(parseTodo(humanTodo), 'nope', { findingPath: 'findings/nope.md', cls: 'WIN' })).toThrow(
      'TODO.md has no item with id "nope"; open items: egd-n30, grokfast-5, and-with-0-9, per-layer-order-lowers-ard',
    );
  });

  it('refuses an item that is already checked off', () => {
    expect(() => checkOff(parseTodo(humanTodo), 'sign-sgd', { findingPath: 'findings/again.md', cls: 'WIN' })).toThrow(
      'TODO.md:7: item "sign-sgd" is already checked off (→ findings/sign-sgd.md); to run it again, add a new item',
    );
  });

  it('keeps a note from breaking the line', () => {
    const doc = checkOff(parseTodo('- [ ] a <!-- id: a -->\n'), 'a', {
      findingPath: 'findings/a.md',
      cls: 'INVALID',
      note: 'crashed:\n  <!-- id: b --> twice',
    });
    expect(renderTodo(doc)).toBe('- [x] a → [finding](findings/a.md) INVALID — crashed: id: b twice <!-- id: a -->\n');
  });
});

describe('appendFollowUps', () => {
  it('creates a Follow-ups section at the end, in the file’s line endings, citing each finding', () => {
    const doc = appendFollowUps(parseTodo(humanTodo), [
      { id: 'egd-n40', text: 'EGD at n=40', motivated_by: 'egd-n30', spec_path: 'experiments/egd-n40.md' },
      { id: 'egd-lr', text: 'EGD:\nwhich lr?', motivated_by: 'egd-n30' },
    ]);
    const text = renderTodo(doc);
    expect(keepsEveryLine(humanTodo, text)).toBe(true);
    expect(text.slice(humanTodo.length)).toBe(
      '\r\n\r\n## Follow-ups\r\n\r\n- [ ] EGD at n=40 (spec: [egd-n40](experiments/egd-n40.md)) (from [egd-n30](findings/egd-n30.md)) <!-- id: egd-n40 -->\r\n- [ ] EGD: which lr? (from [egd-n30](findings/egd-n30.md)) <!-- id: egd-lr -->',
    );
    expect(openItems(doc).slice(-2)).toEqual([
      {
        id: 'egd-n40',
        text: 'EGD at n=40 (spec: [egd-n40](experiments/egd-n40.md)) (from [egd-n30](findings/egd-n30.md))',
        section: 'Follow-ups',
        spec_path: 'experiments/egd-n40.md',
        motivated_by: 'egd-n30',
      },
      { id: 'egd-lr', text: 'EGD: which lr? (from [egd-n30](findings/egd-n30.md))', section: 'Follow-ups', spec_path: null, motivated_by: 'egd-n30' },
    ]);
  });

  it('adds to the end of an existing Follow-ups section, before the next heading', () => {
    const text = '# TODO\n\n## Follow-ups\n\n- [ ] old <!-- id: old -->\n\n## Later\n\n- [ ] later <!-- id: later -->\n';
    const after = renderTodo(appendFollowUps(parseTodo(text), [{ id: 'new', text: 'new idea', motivated_by: 'old-finding' }]));
    expect(after).toBe(
      '# TODO\n\n## Follow-ups\n\n- [ ] old <!-- id: old -->\n- [ ] new idea (from [old-finding](findings/old-finding.md)) <!-- id: new -->\n\n## Later\n\n- [ ] later <!-- id: later -->\n',
    );
  });

  it('links the spec a follow-up proposes, unless spec_path says none was written', () => {
    const spec = { id: 'sign-k5' } as never;
    const withSpec = appendFollowUps(parseTodo(''), [{ id: 'sign-k5', text: 'Sign SGD at k=5', motivated_by: 'sign-sgd', spec }]);
    const dropped = appendFollowUps(parseTodo(''), [{ id: 'sign-k5', text: 'Sign SGD at k=5', motivated_by: 'sign-sgd', spec, spec_path: null }]);
    expect(withSpec.items[0]!.spec_path).toBe('experiments/sign-k5.md');
    expect(dropped.items[0]!.spec_path).toBeNull();
  });

  it('refuses an id already in the file, and says how to pick a free one', () => {
    expect(() => appendFollowUps(parseTodo(humanTodo), [{ id: 'sign-sgd', text: 'again', motivated_by: 'x' }])).toThrow(
      'TODO.md already has an item with id "sign-sgd"; pick a free one with uniqueId(base, todoIds(doc))',
    );
    const free = uniqueId(slugify('Sign SGD'), todoIds(parseTodo(humanTodo)));
    expect(free).toBe('sign-sgd-2');
  });
});

describe('addItem', () => {
  it('puts a generated item at the top of the queue, in the style of that list', () => {
    const doc = addItem(parseTodo(humanTodo), { id: 'baseline', text: 'Canonical baseline', spec_path: 'experiments/baseline.md' });
    expect(openItems(doc)[0]).toMatchObject({ id: 'baseline', spec_path: 'experiments/baseline.md', section: 'Optimizers' });
    expect(renderTodo(doc).split('\r\n')[7]).toBe('- [ ] Canonical baseline (spec: [baseline](experiments/baseline.md)) <!-- id: baseline -->');
    expect(keepsEveryLine(humanTodo, renderTodo(doc))).toBe(true);
  });

  it('uses the Follow-ups section when nothing is open', () => {
    const doc = addItem(parseTodo('# TODO\n\n- [x] done <!-- id: done -->'), { id: 'next', text: 'next' });
    expect(renderTodo(doc)).toBe('# TODO\n\n- [x] done <!-- id: done -->\n\n## Follow-ups\n\n- [ ] next <!-- id: next -->');
  });
});
