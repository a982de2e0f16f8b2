import { describe, expect, it } from 'vitest';
import { parseTodo, renderTodo, TodoFormatError } from './todo-parse.js';

/** TODO.md files as people actually leave them. */
const humanFiles: Record<string, string> = {
  'plain, with ids and a checked item': [
    '# TODO',
    '',
    '## Optimizers',
    '',
    '- [x] Sign SGD vs SGD → [finding](findings/sign-sgd.md) WIN <!-- id: sign-sgd -->',
    '- [ ] Try EGD at n=30 (spec: experiments/egd-n30.md) <!-- id: egd-n30 -->',
    '',
  ].join('\n'),
  'CRLF line endings': '# TODO\r\n\r\n- [ ] Weight decay sweep\r\n- [X] Baseline <!-- id: baseline -->\r\n',
  'no final newline': '# TODO\n\n- [ ] Sign SGD at k=5',
  'odd spacing, tabs and trailing whitespace':
    '#   Queue   \n\n-   [ ]   Lots   of   space   \n*\t[ ]\ttabbed item\t\n-  [x]  done  <!--id:done-one-->  \n   \n',
  'code fences hold no items': [
    '# Notes',
    '',
    '```md',
    '- [ ] not an item, just an example',
    '- [?] not an error either',
    '```',
    '',
    '~~~~',
    '- [ ] also inside a tilde fence',
    '```',
    '~~~~',
    '',
    '- [ ] the only real item',
    '',
  ].join('\n'),
  'nested lists and mixed markers': [
    '## EGD',
    '- [ ] EGD vs SGD <!-- id: egd-vs-sgd -->',
    '  - [ ] at lr 0.05',
    '    - a plain note, not an item',
    '  - [x] at lr 0.1 <!-- id: egd-lr-01 -->',
    '+ [ ] plus marker',
    '1. [ ] numbered',
    '2) [ ] numbered with paren',
    '',
  ].join('\n'),
  'emoji and unicode': '# 🧪 Queue\n\n- [ ] 🚀 Faster grokking with GrokFast (λ = 2, α = 0.98)\n- [ ] Étude: wd ∈ {0.01, 0.1}\n',
  'an HTML comment block hides old items': '# TODO\n\n<!--\n- [ ] an old idea\n- [?] half-written\n-->\n- [ ] a live idea\n',
  'prose, links and tables only':
    '# Reading list\n\n- [Barak et al. 2022](https://arxiv.org/abs/2207.08799)\n- [x](https://example.com/x) a link called x\n\n| a | b |\n|---|---|\n| [ ] | [x] |\n\nSome text with - [ ] in the middle.\n',
  'byte order mark and a bare heading': '\uFEFF#\n- [ ] after a BOM\n',
  'empty file': '',
  'only a newline': '\n',
  'mixed line endings and a lone CR': '# A\r\n- [ ] one\n- [ ] two\r- [ ] three\r\n',
};

describe('parseTodo and renderTodo', () => {
  for (const [name, text] of Object.entries(humanFiles)) {
    it(`gives back the file byte for byte: ${name}`, () => {
      expect(renderTodo(parseTodo(text))).toBe(text);
    });
  }

  it('finds items with their section, spec, motivation and check-off result', () => {
    const doc = parseTodo(humanFiles['plain, with ids and a checked item']!);
    expect(doc.items).toEqual([
      expect.objectContaining({
        id: 'sign-sgd',
        checked: true,
        section: 'Optimizers',
        hypothesis: 'Sign SGD vs SGD',
        finding_path: 'findings/sign-sgd.md',
        result_class: 'WIN',
        motivated_by: null,
        line: 5,
      }),
      expect.objectContaining({
        id: 'egd-n30',
        checked: false,
        spec_path: 'experiments/egd-n30.md',
        text: 'Try EGD at n=30 (spec: experiments/egd-n30.md)',
        line: 6,
      }),
    ]);
  });

  it('ignores checklist lines inside code fences and HTML comments', () => {
    expect(parseTodo(humanFiles['code fences hold no items']!).items.map((item) => item.text)).toEqual(['the only real item']);
    expect(parseTodo(humanFiles['an HTML comment block hides old items']!).items.map((item) => item.text)).toEqual(['a live idea']);
    expect(parseTodo(humanFiles['prose, links and tables only']!).items).toEqual([]);
  });

  it('reads every list marker and records the parent of a nested item', () => {
    const items = parseTodo(humanFiles['nested lists and mixed markers']!).items;
    expect(items.map((item) => [item.id, item.parent_id, item.checked])).toEqual([
      ['egd-vs-sgd', null, false],
      ['at-lr-0-05', 'egd-vs-sgd', false],
      ['egd-lr-01', 'egd-vs-sgd', true],
      ['plus-marker', null, false],
      ['numbered', null, false],
      ['numbered-with-paren', null, false],
    ]);
  });

  it('derives ids for items without one: the spec id, else a unique slug of the text', () => {
    const doc = parseTodo(
      '- [ ] Sign SGD\n- [ ] Sign SGD <!-- id: sign-sgd-2 -->\n- [ ] Sign SGD\n- [ ] Run it (spec: [x](experiments/egd-n30.md))\n- [ ] 🚀🚀\n',
    );
    expect(doc.items.map((item) => [item.id, item.has_id_comment])).toEqual([
      ['sign-sgd', false],
      ['sign-sgd-2', true],
      ['sign-sgd-3', false],
      ['egd-n30', false],
      ['item', false],
    ]);
  });

  it('reads the motivating finding from a (from findings/<id>.md) note or link', () => {
    const doc = parseTodo('- [ ] Sign SGD at k=5 (from [sign-sgd](findings/sign-sgd.md))\n- [ ] EGD at n=30 (from findings/egd-vs-sgd.md)\n');
    expect(doc.items.map((item) => [item.id, item.motivated_by])).toEqual([
      ['sign-sgd-at-k-5', 'sign-sgd'],
      ['egd-at-n-30', 'egd-vs-sgd'],
    ]);
  });

  it('keeps line numbers right with CRLF and a byte order mark', () => {
    expect(parseTodo(humanFiles['CRLF line endings']!).items.map((item) => [item.line, item.checked, item.text])).toEqual([
      [3, false, 'Weight decay sweep'],
      [4, true, 'Baseline'],
    ]);
    expect(parseTodo(humanFiles['byte order mark and a bare heading']!).items[0]).toMatchObject({ line: 2, section: '' });
  });
});

describe('a malformed TODO.md', () => {
  const cases: [string, string, string][] = [
    [
      'a duplicate id',
      '# TODO\n- [ ] one <!-- id: egd -->\n- [ ] two <!-- id: egd -->\n',
      'TODO.md:3: duplicate id "egd" (first used on line 2)\n  3 | - [ ] two <!-- id: egd -->\n  fix: give one of them a new id, e.g. <!-- id: egd-2 -->',
    ],
    [
      'a question-mark box',
      '- [?] maybe EGD\n',
      'TODO.md:1: "[?]" is not a checkbox: use "[ ]" for an open item or "[x]" for a done one\n  1 | - [?] maybe EGD\n  fix: write "- [ ] maybe EGD"',
    ],
    [
      'a box with a space before the x',
      'text\n\n- [ x] done already\n',
      'TODO.md:3: "[ x]" is not a checkbox: use "[ ]" for an open item or "[x]" for a done one\n  3 | - [ x] done already\n  fix: write "- [x] done already"',
    ],
    [
      'an empty box',
      '* [] grokfast\n',
      'TODO.md:1: "[]" is not a checkbox: use "[ ]" for an open item or "[x]" for a done one\n  1 | * [] grokfast\n  fix: write "* [ ] grokfast"',
    ],
    ['no space after the dash', '-[ ] sign sgd\n', 'TODO.md:1: no space between "-" and the checkbox\n  1 | -[ ] sign sgd\n  fix: write "- [ ] sign sgd"'],
    ['no space after the box', '- [x]sign sgd\n', 'TODO.md:1: no space between the checkbox and the text\n  1 | - [x]sign sgd\n  fix: write "- [x] sign sgd"'],
    [
      'an item with no text',
      '# Q\n- [ ]   \n',
      'TODO.md:2: the checklist item has no text\n  2 | - [ ]   \n  fix: write the hypothesis after the box, or delete the line',
    ],
    [
      'an unterminated id comment',
      '- [ ] EGD <!-- id: egd\n',
      'TODO.md:1: the id comment is not terminated\n  1 | - [ ] EGD <!-- id: egd\n  fix: end it with -->, e.g. <!-- id: my-item -->',
    ],
    [
      'an id with invalid characters',
      '- [ ] EGD <!-- id: EGD_n30 -->\n',
      'TODO.md:1: id "EGD_n30" has characters other than lowercase letters, digits and dashes\n  1 | - [ ] EGD <!-- id: EGD_n30 -->\n  fix: write <!-- id: egd-n30 -->',
    ],
    [
      'an id comment without a label',
      '- [ ] EGD <!-- id egd -->\n',
      'TODO.md:1: the id comment has no "id:" label\n  1 | - [ ] EGD <!-- id egd -->\n  fix: write it as <!-- id: my-item -->',
    ],
    [
      'two id comments',
      '- [ ] EGD <!-- id: a --> <!-- id: b -->\n',
      'TODO.md:1: the line has two id comments\n  1 | - [ ] EGD <!-- id: a --> <!-- id: b -->\n  fix: keep one <!-- id: ... --> comment per item',
    ],
    [
      'two specs on one item',
      '- [ ] compare experiments/a.md and experiments/b.md\n',
      'TODO.md:1: the item links 2 specs (a, b); an item runs one spec\n  1 | - [ ] compare experiments/a.md and experiments/b.md\n  fix: split it into one item per spec',
    ],
    [
      'a spec link that is not a spec id',
      '- [ ] run experiments/EGD_n30.md\n',
      'TODO.md:1: spec link "experiments/EGD_n30.md": spec ids use lowercase letters, digits and dashes\n  1 | - [ ] run experiments/EGD_n30.md\n  fix: rename the spec to experiments/egd-n30.md and link that',
    ],
    [
      'a code fence that never closes',
      '# TODO\n```\n- [ ] hidden\n',
      'TODO.md:2: this code fence is never closed, so it hides every item below it\n  2 | ```\n  fix: close it with ``` on a line of its own',
    ],
    [
      'an HTML comment that never closes',
      '<!-- old ideas\n- [ ] hidden\n',
      'TODO.md:1: this HTML comment is never closed, so it hides every item below it\n  1 | <!-- old ideas\n  fix: close it with -->',
    ],
  ];
  for (const [name, text, message] of cases) {
    it(`fails with file, line, content and fix: ${name}`, () => {
      let caught: unknown;
      try {
        parseTodo(text);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(TodoFormatError);
      expect((caught as Error).message).toBe(message);
    });
  }

  it('names the file it was given', () => {
    expect(() => parseTodo('- [?] x\n', 'workspace/TODO.md')).toThrow(/^workspace\/TODO\.md:1: /);
  });

  it('keeps bracketed prose that is not a checkbox, such as [WIP] or a link', () => {
    const text = '- [WIP] rewrite\n- [1] footnote\n- [x](https://example.com)\n- [ ]: reference\n';
    expect(parseTodo(text).items).toEqual([]);
    expect(renderTodo(parseTodo(text))).toBe(text);
  });
});
